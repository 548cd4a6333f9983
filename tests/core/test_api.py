"""The library's face: its names resolve and say what they are, its errors speak of its own
arguments (the command line words them with its options), and `Filters` takes one value bare."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import natoclaims
from natoclaims import core
from natoclaims.cli.wording import FLAG_WORDING, in_flags
from natoclaims.errors import InvalidInput, NatoclaimsError, StoreError
from natoclaims.store import Store, initialise, open_store, read_file

# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [natoclaims, core], ids=["natoclaims", "natoclaims.core"])
def test_every_exported_name_resolves_and_has_a_docstring(module):
    for name in module.__all__:
        value = getattr(module, name)
        if name in ("__version__", "StoreOrigin", "MAX_ARTICLE_BYTES"):  # a string, a Literal type, a number
            continue
        assert inspect.getdoc(value), f"{module.__name__}.{name} has no docstring"


def test_the_facade_offers_everything_the_core_does():
    assert set(core.__all__) <= set(natoclaims.__all__)


def test_every_public_function_of_a_core_module_is_exported():
    for part in ("actors", "claims", "reviews", "journal", "reports", "labels"):
        module = __import__(f"natoclaims.core.{part}", fromlist=["_"])
        own = {name for name, value in vars(module).items() if not name.startswith("_")
               and (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__}
        assert own <= set(core.__all__), f"core.{part} does not export {sorted(own - set(core.__all__))}"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        natoclaims.nothing  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        core.nothing  # noqa: B018


# -- errors speak of arguments --------------------------------------------------------------------


def _error(call, *args, **kwargs) -> NatoclaimsError:
    with pytest.raises(NatoclaimsError) as caught:
        call(*args, **kwargs)
    return caught.value


SOURCE = ["https://e.org/a"]


@pytest.fixture
def memory_store_empty():
    return Store(None)


def test_figures_and_measures(memory_store_empty):
    error = _error(core.add_claim, memory_store_empty, "Some 35,000 troops", actor="A", sources=SOURCE, quantities=["35000 troops"],
                   measures=["a", "b"])
    assert (str(error), in_flags(error)) == ("2 measures for 1 quantities", "2 --measure options for 1 --quantity options")
    error = _error(core.add_claim, memory_store_empty, "no figures here", actor="A", sources=SOURCE, measures=["a"])
    assert str(error) == "measures need quantities: the text states 0 figures, not one"
    assert in_flags(error) == "--measure needs --quantity: the text states 0 figures, not one"
    plain = core.add_claim(memory_store_empty, "no figures here", actor="A", sources=SOURCE).claim["id"]
    error = _error(core.edit_claim, memory_store_empty, plain, measures=["a"])
    assert str(error) == f"claim {plain} states no figures: give them as quantities"
    assert in_flags(error) == f"claim {plain} states no figures: give them with --quantity"
    one = core.add_claim(memory_store_empty, "Some 35,000 troops", actor="A", sources=SOURCE).claim["id"]
    error = _error(core.edit_claim, memory_store_empty, one, measures=["a", "b"])
    assert str(error) == f"2 measures for the 1 figure of claim {one}: give one for all or one per figure"
    assert in_flags(error) == f"2 --measure options for the 1 figure of claim {one}: give one for all or one per figure"


def test_a_claim_needs_a_source(memory_store_empty):
    error = _error(core.add_claim, memory_store_empty, "Text", actor="A")
    assert isinstance(error, InvalidInput) and "--" not in str(error)
    assert str(error) == "a claim needs a source: give sources (URLs, registered source ids or source records)"
    assert in_flags(error) == "a claim needs a source: --source URL or --source-title TITLE"


def test_reports_and_journal_numbers(memory_store_empty):
    error = _error(core.contradicting_pairs, memory_store_empty, core.Filters(), ["numeric"], -1)
    assert (str(error), in_flags(error)) == ("within takes a number of days, 0 or more, not -1",
                                             "--within takes a number of days, 0 or more, not -1")
    error = _error(core.repeats, memory_store_empty, None, (), 0)
    assert (str(error), in_flags(error)) == ("min_count must be 1 or more, not 0", "--min must be 1 or more, not 0")
    error = _error(core.compact, memory_store_empty, -1)
    assert (str(error), in_flags(error)) == ("keep must be 0 or more", "--keep must be 0 or more")


def test_undo_of_an_undone_change_set(tmp_path):
    memory_store_empty = open_store(tmp_path / "claims.json")
    core.add_claim(memory_store_empty, "One", actor="A", sources=SOURCE)
    core.add_claim(memory_store_empty, "Two", actor="A", sources=SOURCE)
    first = memory_store_empty.journal.entries()[0][0]["id"]
    core.undo(memory_store_empty)
    core.undo(memory_store_empty)  # the first change set, now undone
    undone_by = memory_store_empty.journal.entries()[0][-1]["id"]
    error = _error(core.undo, memory_store_empty, first)
    assert str(error) == f"change set {first} is already undone (by {undone_by}; undoing {undone_by} re-applies it)"
    assert in_flags(error) == f"change set {first} is already undone (by {undone_by}; 'undo --id {undone_by}' re-applies it)"


def test_initialise_and_an_empty_file(tmp_path):
    path = tmp_path / "claims.json"
    initialise(path, empty=True, force=False)
    error = _error(initialise, path, empty=True, force=False)
    assert isinstance(error, StoreError)
    assert str(error) == f"{path}: a store already exists here (force=True replaces it)"
    assert in_flags(error) == f"{path}: a store already exists here (use --force to replace it)"
    path.write_text("")
    error = _error(read_file, path)
    assert str(error) == f"{path}: the file is empty, not a natoclaims store (initialise it with force=True to start over)"
    assert in_flags(error) == f"{path}: the file is empty, not a natoclaims store (run 'natoclaims init --force' to start over)"


def test_the_library_names_no_option_in_these_errors():
    assert set(FLAG_WORDING) >= {"measures-count", "measures-without-quantities", "no-figures", "measures-per-figure",
                                 "no-source", "within", "min-count", "keep", "undo-unrecorded", "undo-gap",
                                 "already-undone", "store-exists", "empty-store"}
    plain = InvalidInput("no about: said as it is")
    assert in_flags(plain) == "no about: said as it is"


# -- Filters takes one value bare --------------------------------------------------------------------

TUPLE_FIELDS = [f.name for f in dataclasses.fields(core.Filters) if f.type in ("tuple[str, ...]",)]


def test_filters_has_the_tuple_fields_it_is_tested_for():
    assert TUPLE_FIELDS == ["actors", "topics", "statuses", "kinds", "source_domains", "evidence_domains", "measures"]


@pytest.mark.parametrize("field", TUPLE_FIELDS)
def test_a_bare_string_is_one_value(field):
    assert getattr(core.Filters(**{field: "Trump"}), field) == ("Trump",)
    assert core.Filters(**{field: "Trump"}) == core.Filters(**{field: ("Trump",)})
    assert getattr(core.Filters(**{field: ["a", "b"]}), field) == ("a", "b")  # a list is its values, and hashable
    hash(core.Filters(**{field: ["a", "b"]}))
    with pytest.raises(TypeError, match=f"Filters.{field} takes a string or strings, not int"):
        core.Filters(**{field: 3})


def test_find_with_a_bare_actor_finds_that_actor(memory_store_empty):
    trump = core.add_claim(memory_store_empty, "Some 35,000 troops will leave Germany", actor="Trump", sources=SOURCE).claim
    core.add_claim(memory_store_empty, "We are not leaving", actor="Hegseth", sources=SOURCE)
    assert [c["id"] for c in core.find(memory_store_empty, core.Filters(actors="Trump"))] == [trump["id"]]
    assert [c["id"] for c in core.find(memory_store_empty, core.Filters(only_ids=trump["id"]))] == [trump["id"]]


def test_dates_name_the_argument(memory_store_empty):
    error = _error(core.search_filters, since="someday")
    assert str(error).startswith("cannot read a since date from 'someday'")
    assert in_flags(error).startswith("cannot read a --since date from 'someday'")
    error = _error(core.change_log, memory_store_empty, until="2999-01-01")
    assert (str(error), in_flags(error)) == ("until date '2999-01-01' is in the future",
                                             "--until date '2999-01-01' is in the future")
    claim = core.add_claim(memory_store_empty, "Some 35,000 troops", actor="A", sources=SOURCE).claim["id"]
    error = _error(core.edit_claim, memory_store_empty, claim, measures=["troops"], as_of="as of since")
    assert "as_of date" in str(error) and "--" not in str(error)
    assert in_flags(error) == str(error).replace("as_of date", "--as-of date", 1)


def test_advice_names_functions_and_the_command_line_its_commands(memory_store_empty):
    first = core.add_claim(memory_store_empty, "Text", actor="Donald Trump", said_on="2025-01-01", sources=SOURCE).claim["id"]
    error = _error(core.add_claim, memory_store_empty, "Text", actor="Donald Trump", said_on="2025-01-01", sources=SOURCE)
    assert str(error).endswith(f"to record another appearance, add a source to it: edit_claim(store, {first!r}, "
                               "add_sources=[URL])")
    assert in_flags(error) == (f"claim {first} by Donald Trump already says this on the same date; "
                               f"to record another appearance: natoclaims edit {first} --add-source URL")
    error = _error(core.remove_actor, memory_store_empty, "Donald Trump")
    assert str(error) == (f"'Donald Trump' is the actor of 1 claim ({first}); to move them to another actor and "
                          "remove it: merge_actors(store, 'Donald Trump', OTHER)")
    assert in_flags(error) == (f"'Donald Trump' is the actor of 1 claim ({first}); to move them to another actor and "
                               "remove it: natoclaims actor merge 'Donald Trump' OTHER")


def test_conflict_markers(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text("<<<<<<< ours\n{}\n=======\n{}\n>>>>>>> theirs\n")
    error = _error(read_file, path)
    assert "git_setup" in str(error) and "natoclaims" not in str(error).replace("natoclaims store", "")
    assert in_flags(error).endswith(f"run 'natoclaims --db {path} git setup', then 'git merge --abort' and merge again")
