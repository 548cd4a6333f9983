"""The index holds to its promises (SPEC section 15, issue 26): it gives the answers a scan of the
store file gives, notices every change made to the file by anything else (re-indexing only the
records that changed), is rebuilt rather than believed when damaged or foreign, and can be
deleted, or be impossible to keep, without loss. Writes spliced through it keep the file's bytes
what the encoder writes, and the journal can undo every one of them."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims import core, model
from natoclaims.core import Filters
from natoclaims.engines.search import select, sort_claims
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.paths import index_pointer
from natoclaims.store import Store, files, index_rows
from natoclaims.store.index import Index, file_stamp
from tests import factories
from tests.conftest import examples
from tests.unit.test_order import listings, store_of

TEXTS = ["Some 35,000 US troops are stationed in Germany", "Only 12,000 US troops are stationed in Germany",
         "Allies will spend 5% of GDP on defence", "NATO is obsolete", "We pay 90% of the cost of NATO"]


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """An index counts as settled as soon as it is made, so that its stamp is trusted where it matches:
    what every read finds a minute after the last write (else a test's quick edits are all checked
    by their bytes, and a stamp believed where it must not be would go unseen)."""
    monkeypatch.setattr("natoclaims.store.index.TICK_NS", -1)
    monkeypatch.setattr("natoclaims.store.index.COARSE_TICK_NS", -1)


def database(store: Path) -> Path:
    """The index database the pointer names now."""
    pointer = index_pointer(store)
    return pointer.parent / pointer.read_text().strip()


def fresh(path: Path) -> Store:
    """The store as a new process opens it (no state carried over from an earlier read)."""
    return Store(path, user=factories.USER)


def rewrite(path: Path, change: Any, *, encoder: Any = files.encode) -> None:
    """An edit made by something other than natoclaims: parse the file, change it, write it back."""
    data = files.read_file(path)
    change(data)
    path.write_bytes(encoder(data))


def texts(store: Store) -> dict[str, str]:
    return {key: claim["text"] for key, claim in store.claims.items()}


def answers(store: Store) -> dict[str, Any]:
    """What reads give: every claim, a few searches, the counts."""
    return {"claims": dict(store.claims.items()), "actors": dict(store.actors.items()),
            "sources": dict(store.sources.items()),
            "troops": [c["id"] for c in core.find(store, Filters(query="troops"))],
            "35,000": [c["id"] for c in core.find(store, Filters(query="35,000"))],
            "rutte": [c["id"] for c in core.find(store, Filters(actors="Rutte"))],
            "stats": core.stats(store), "topics": core.topic_rows(store),
            "pairs": core.contradicting_pairs(store, Filters(), core.contradiction_kinds(leads=True))}


def scanned(path: Path) -> dict[str, Any]:
    """The same answers from a scan of the parsed file (the memory twin holding its tables)."""
    return answers(store_of(files.read_file(path)))


@pytest.fixture
def newsroom(file_store: Store) -> Store:
    """A store file with six claims added through the library, read once (so it is indexed)."""
    with file_store.writing():
        core.add_actor(file_store, "Mark Rutte", ["Rütte"], "NATO Secretary General")
    for n, text in enumerate(TEXTS):
        factories.add(file_store, text, actor="Mark Rutte" if n % 2 else "Donald Trump", said_on=f"2025-0{n + 1}",
                      topics=["troops"] if "troops" in text else ["money"])
    factories.add(file_store, "Trump's plan: no troops", actor="Donald Trump")
    assert file_store.path is not None and fresh(file_store.path).index is not None
    return file_store


def path_of(store: Store) -> Path:
    assert store.path is not None
    return store.path


# -- never stale --------------------------------------------------------------------------------------

def test_a_claim_rewritten_by_another_program_is_read_as_it_is_now(newsroom):
    path = path_of(newsroom)
    (first, *_) = sorted(newsroom.claims)
    rewrite(path, lambda data: data["claims"][first].update(text="Zeppelins will leave Germany"))
    store = fresh(path)
    assert store.claims[first]["text"] == "Zeppelins will leave Germany"
    assert [c["id"] for c in core.find(store, Filters(query="zeppel"))] == [first]
    assert first not in [c["id"] for c in core.find(store, Filters(query="troops"))]
    assert answers(store) == scanned(path)


def test_a_file_an_editor_reindented_is_read_and_then_written(newsroom):
    path = path_of(newsroom)
    (first, *_) = sorted(newsroom.claims)

    def change(data):
        data["claims"][first]["text"] = "Zeppelins will leave Germany"

    rewrite(path, change, encoder=lambda data: json.dumps(data, indent=4, ensure_ascii=False).encode())
    store = fresh(path)
    assert store.claims[first]["text"] == "Zeppelins will leave Germany"
    assert answers(store) == scanned(path)
    added = factories.add(store, "A claim after the editor", actor="Donald Trump")
    assert path.read_bytes() == files.encode(files.read_file(path))  # written whole: as natoclaims writes it
    after = fresh(path)
    assert after.claims[first]["text"] == "Zeppelins will leave Germany" and added["id"] in after.claims
    assert answers(after) == scanned(path)


def test_a_same_size_edit_with_the_time_put_back_is_read(newsroom):
    path = path_of(newsroom)
    (first, *_) = sorted(newsroom.claims)
    old = newsroom.claims[first]["text"]
    stat = path.stat()
    rewrite(path, lambda data: data["claims"][first].update(text=old.swapcase()))
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fresh(path).claims[first]["text"] == old.swapcase()


def test_an_edit_that_keeps_the_stamp_is_seen_by_check_and_by_writes(newsroom, monkeypatch):
    """The stamp may be forged (the index told it matches, as a file system that keeps times to the
    second would): a reader trusts it, but `check` and every write look at the bytes."""
    path = path_of(newsroom)
    (first, *_) = sorted(newsroom.claims)
    old = newsroom.claims[first]["text"]
    raw = path.read_bytes()
    at = raw.index(b'"kind": "paraphrase"', raw.index(f'"{first}": {{'.encode()))
    path.write_bytes(raw[:at] + b'"kind": "paraphrasX"' + raw[at + 20:])
    with sqlite3.connect(database(path)) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (file_stamp(path.stat()),))
        db.execute("UPDATE meta SET value = 1 WHERE key = 'settled'")
    assert any(f"{first}: unknown kind 'paraphrasX'" in p for p in core.check_store(fresh(path)))
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b'"kind": "paraphrasX"', b'"kind": "paraphrase"').replace(
        old.encode(), old.swapcase().encode()))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with sqlite3.connect(database(path)) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (file_stamp(path.stat()),))
    factories.add(fresh(path), "A later claim")
    assert files.read_file(path)["claims"][first]["text"] == old.swapcase()
    assert answers(fresh(path)) == scanned(path)


def test_a_stamp_taken_within_a_tick_of_the_change_is_checked_by_the_bytes(newsroom, monkeypatch):
    """Git's "racily clean" case: an edit made in the same clock tick as the write before it may leave
    every time as it was, so a stamp taken that soon is never trusted alone."""
    monkeypatch.setattr("natoclaims.store.index.TICK_NS", 10**18)
    monkeypatch.setattr("natoclaims.store.index.COARSE_TICK_NS", 10**18)
    path = path_of(newsroom)
    added = factories.add(newsroom, "Zeppelins will leave Germany", actor="Donald Trump")
    rewrite(path, lambda data: data["claims"][added["id"]].update(text="zEPPELINS WILL LEAVE gERMANY"))
    with sqlite3.connect(database(path)) as db:  # the times did not change: the stamp still matches
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (file_stamp(path.stat()),))
    assert fresh(path).claims[added["id"]]["text"] == "zEPPELINS WILL LEAVE gERMANY"




def test_a_claim_read_after_a_write_has_its_keys_in_the_files_order(newsroom):
    path = path_of(newsroom)
    added = factories.add(newsroom, "Zeppelins will leave Germany", actor="Donald Trump")
    on_file = files.read_file(path)["claims"][added["id"]]
    assert json.dumps(fresh(path).claims[added["id"]]) == json.dumps(on_file)


# -- incremental ----------------------------------------------------------------------------------------

@pytest.fixture
def thirty(file_store: Store) -> Path:
    """A store file of 30 claims written as natoclaims writes it, indexed."""
    path = path_of(file_store)
    claims = [factories.claim(f"c{n:05}", f"{TEXTS[n % len(TEXTS)]} number {n}", ["Mark Rutte", "Donald Trump"][n % 2],
                              read_figures=True, stored=True) for n in range(30)]
    path.write_bytes(files.encode(factories.store_data(*claims)))
    assert fresh(path).index is not None
    return path


def numbers(path: Path) -> dict[str, int]:
    with sqlite3.connect(database(path)) as db:
        return dict(db.execute("SELECT id, n FROM claims").fetchall())


def test_only_the_records_changed_outside_are_indexed_again(thirty, monkeypatch):
    before = numbers(thirty)
    changed = ["c00003", "c00017", "c00029"]

    def change(data):
        for key in changed:
            data["claims"][key]["text"] += " and more"

    rewrite(thirty, change)
    put = index_rows.put
    received: list[tuple[str, str]] = []

    def spy(db, rows):
        received.extend((table, key) for table, key, _, _ in rows)
        put(db, rows)

    monkeypatch.setattr(index_rows, "put", spy)
    store = fresh(thirty)
    assert all(store.claims[key]["text"].endswith(" and more") for key in changed)
    assert sorted(received) == [("claims", key) for key in changed]
    after = numbers(thirty)
    assert {k: n for k, n in after.items() if k not in changed} == {k: n for k, n in before.items() if k not in changed}
    assert all(after[key] != before[key] for key in changed)
    assert answers(store) == scanned(thirty)


def test_records_removed_outside_disappear_from_every_read(thirty):
    gone = ["c00004", "c00011"]

    def change(data):
        for key in gone:
            del data["claims"][key]

    rewrite(thirty, change)
    store = fresh(thirty)
    assert len(store.claims) == 28 and not set(gone) & set(store.claims)
    for key in gone:
        assert key not in store.claims
        with pytest.raises(NotFound):
            store.get(key)
    assert not set(gone) & {c["id"] for c in core.find(store, Filters(query="number"))}
    assert not set(gone) & {c["id"] for c in core.find(store, Filters(only_ids=frozenset(gone)))}
    assert sum(row["count"] for row in core.stats(store) if row["group"] == "status") == 28
    assert answers(store) == scanned(thirty)


def test_an_edit_that_adds_and_renames_records_is_read(thirty):
    def change(data):
        data["claims"]["c00099"] = {**data["claims"].pop("c00007"), "id": "c00099"}
        data["actors"]["Pete Hegseth"] = factories.actor("Pete Hegseth")

    rewrite(thirty, change)
    store = fresh(thirty)
    assert "c00007" not in store.claims and store.get("c00099")["id"] == "c00099"
    assert "Pete Hegseth" in store.actors
    assert answers(store) == scanned(thirty)


# -- inside a write: the change set over the index ---------------------------------------------------------

def test_reads_inside_a_write_see_its_own_changes(newsroom):
    """A change set begun over the index answers reads from the index and its own changes together:
    what the same reads give once it is written."""
    path = path_of(newsroom)
    keep, edited, removed = sorted(newsroom.claims)[:3]
    store = fresh(path)
    filters = [Filters(query="zeppelins"), Filters(query="troops"), Filters(actors="Trump"), Filters(topics="troops"),
               Filters(statuses="false"), Filters(only_ids=frozenset({keep, edited, removed}))]
    with store.writing():
        added = factories.add(store, "Zeppelins will leave Germany", actor="Pedro Sánchez", topics=["troops"])
        core.edit_claim(store, edited, text="Zeppelins and 35,000 troops will stay")
        core.remove_claims(store, [removed])
        core.set_status(store, [keep], "false", note="no")
        inside = {str(f): [c["id"] for c in core.find(store, f)] for f in filters}
        inside_rows = (core.stats(store), core.topic_rows(store), sorted(store.claims), store.get(added["id"][:6]))
        with pytest.raises(NotFound):
            store.get(removed)
    after = fresh(path)
    assert inside == {str(f): [c["id"] for c in core.find(after, f)] for f in filters}
    assert inside_rows == (core.stats(after), core.topic_rows(after), sorted(after.claims), after.get(added["id"]))
    assert added["id"] in inside[str(Filters(query="zeppelins"))] and removed not in sorted(after.claims)
    assert answers(after) == scanned(path)


def test_a_write_that_needs_the_whole_store_leaves_the_index_true(newsroom):
    path = path_of(newsroom)
    records = [("line 1", {"text": "Imported: 35,000 troops will stay", "actor": "Mark Rutte",
                           "sources": [{"url": "https://example.org/imported"}], "topics": ["troops"]}),
               ("line 2", {"text": "Imported: NATO is obsolete", "actor": "Donald Trump",
                           "sources": [{"url": "https://example.org/imported"}]})]
    core.import_claims(fresh(path), records)
    assert path.read_bytes() == files.encode(files.read_file(path))
    store = fresh(path)
    assert len(core.find(store, Filters(query="imported"))) == 2
    assert answers(store) == scanned(path)


# -- damaged or foreign: rebuilt, never believed ----------------------------------------------------------

def _garbage(db: Path, other: Path) -> None:
    db.write_bytes(b"this is not a database at all" * 200)


def _truncated(db: Path, other: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _tail_garbage(db: Path, other: Path) -> None:
    raw = db.read_bytes()
    db.write_bytes(raw[: len(raw) // 2] + bytes(range(256)) * (len(raw) // 512 + 1))


def _zero_bytes(db: Path, other: Path) -> None:
    db.write_bytes(b"")


def _empty_sqlite(db: Path, other: Path) -> None:
    db.unlink()
    sqlite3.connect(db).close()


def _other_tables(db: Path, other: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as made:
        made.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value)")


def _another_stores(db: Path, other: Path) -> None:
    shutil.copyfile(database(other), db)


def _another_format(db: Path, other: Path) -> None:
    with sqlite3.connect(db) as made:
        made.execute("UPDATE meta SET value = 1 WHERE key = 'format'")


def _another_path(db: Path, other: Path) -> None:
    with sqlite3.connect(db) as made:
        made.execute("UPDATE meta SET value = ? WHERE key = 'store'", (str(other),))


DAMAGE = {"garbage": _garbage, "truncated": _truncated, "the tail garbage": _tail_garbage, "zero bytes": _zero_bytes, "an empty sqlite db": _empty_sqlite,
          "a db of other tables": _other_tables, "another store's db": _another_stores,
          "another format": _another_format, "made for another path": _another_path}


@pytest.fixture
def other(isolated: Path) -> Path:
    """Another store, of other claims, indexed (its database in the same cache folder)."""
    path = isolated / "other" / "claims.json"
    store = factories.file_store(path)
    factories.add(store, "Zeppelins will leave Germany", actor="Someone Else")
    assert fresh(path).index is not None
    return path


@pytest.mark.parametrize("damage", [
    pytest.param(damage, id=name) for name, damage in DAMAGE.items()])
def test_a_damaged_or_foreign_index_is_rebuilt(newsroom, other, damage):
    path = path_of(newsroom)
    expected = scanned(path)
    newsroom.index.close()
    gc.collect()  # no connection left open: none keeps a -wal with pages of its own (see below)
    damaged = database(path)
    damage(damaged, other)
    store = fresh(path)
    assert answers(store) == expected
    assert database(path) != damaged  # a new database, under a new name: nothing of the old one is believed
    assert answers(fresh(path)) == expected  # and the rebuilt one is right the next time too
    assert fresh(other).claims.keys() == files.read_file(other)["claims"].keys()


def test_another_stores_database_named_by_the_pointer_is_not_believed(newsroom, other):
    path = path_of(newsroom)
    expected = scanned(path)
    pointer = index_pointer(path)
    stolen = pointer.parent / f"{pointer.stem}-{'0' * 12}.sqlite3"
    shutil.copyfile(database(other), stolen)
    pointer.write_text(stolen.name + "\n")
    assert answers(fresh(path)) == expected
    assert database(path) != stolen


def test_a_stale_wal_beside_the_database_is_not_believed(newsroom, other):
    path = path_of(newsroom)
    expected = scanned(path)
    with sqlite3.connect(database(other)) as writer:  # a -wal of another database, held open to keep it
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("DELETE FROM claims")
        writer.execute("UPDATE meta SET value = ? WHERE key = 'store'", (str(path),))
        writer.commit()
        wal = Path(f"{database(other)}-wal")
        assert wal.stat().st_size > 0
        shutil.copyfile(wal, f"{database(path)}-wal")
    assert answers(fresh(path)) == expected




@pytest.mark.parametrize("tables", [
    pytest.param(("labels", "words", "bodies", "claims"), id="every row of a claim"),
    pytest.param(("claims",), id="its claims row alone"),
])
def test_an_index_missing_a_row_is_mended_when_the_file_changes(newsroom, tables):
    path = path_of(newsroom)
    lost, edited = sorted(newsroom.claims)[:2]
    with sqlite3.connect(database(path)) as db:
        (n,), = db.execute("SELECT n FROM claims WHERE id = ?", (lost,)).fetchall()
        for table in tables:
            db.execute(f"DELETE FROM {table} WHERE {'rowid' if table == 'words' else 'n'} = ?", (n,))
    rewrite(path, lambda data: data["claims"][edited].update(text="Zeppelins will leave Germany"))
    store = fresh(path)
    assert lost in store.claims and store.get(lost)["id"] == lost
    assert answers(store) == scanned(path)


def test_deleting_the_cache_loses_nothing(newsroom, isolated):
    path = path_of(newsroom)
    before = answers(fresh(path))
    shutil.rmtree(isolated / "cache")
    assert answers(fresh(path)) == before == scanned(path)
    factories.add(fresh(path), "Added with no index")
    shutil.rmtree(isolated / "cache")
    assert answers(fresh(path)) == scanned(path)


# -- a cache folder that cannot be written ---------------------------------------------------------------

def test_reads_and_writes_work_where_the_cache_cannot_be_written(newsroom, isolated, monkeypatch):
    path = path_of(newsroom)
    expected = scanned(path)
    blocker = isolated / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    raw = path.read_bytes()
    store = fresh(path)
    assert answers(store) == expected
    assert store.index is None and len(store.warnings) <= 1
    assert path.read_bytes() == raw  # reads leave the store file as it was
    added = factories.add(store, "Written with no index", actor="Donald Trump")
    core.edit_claim(fresh(path), added["id"], text="Written with no index, edited")
    assert files.read_file(path)["claims"][added["id"]]["text"] == "Written with no index, edited"
    assert path.read_bytes() == files.encode(files.read_file(path))
    assert answers(fresh(path)) == scanned(path)


# -- the property: the index answers as a scan does -------------------------------------------------------

WORDS = ["troops", "Germany", "Sánchez", "Straße", "Strasse", "don't", "Trump’s", "Trump's", "we_will", "35,000",
         "35000", "12,000", "5%", "90", "2.5", "NATO", "obsolete", "Überraschung", "spend", "spending", "GDP", "a"]
ODD_TERMS = ["’s", "'s", "_will", "we_", "ß", "SS", "STRASSE", "3.5", "35.000", "35 000", "-5", "5%", '"unclosed phrase',
             '""', "*", "AND", "OR", "NOT", "NEAR(", "ü", "Ü", "é"]
PHRASES = ["US troops", "stationed in Germany", "5% of GDP", "35,000 US troops", "the cost of NATO"]
NAMES = ["Donald Trump", "Mark Rutte", "Pedro Sánchez", "Jens Stoltenberg", "Ursula von der Leyen"]
ALIASES = {"Donald Trump": ["POTUS", "Trump"], "Pedro Sánchez": ["Sanchez"], "Mark Rutte": ["Rütte"]}
DATES = [None, "2024", "2025", "2025-02", "2025-03", "2025-03-01", "2025-03-31", "2025-12-31", "2026-01"]
KINDS = list(model.KINDS)
VERDICTS = [s for s in model.STATUSES if s != "unverified"]
TOPICS = ["troops", "spending", "nato-budget", "article-5"]
MEASURES = [None, "us-troops-germany", "defence-spending"]
URLS = ["https://www.nato.int/a", "https://news.example.org/b", "https://example.com/c"]
PROPOSITIONS = ["us-defends-all-allies", "nato-is-obsolete"]

IDS = st.lists(st.text("abc123", min_size=5, max_size=5).map("c".__add__), unique=True, min_size=1, max_size=10)
TEXT = st.lists(st.sampled_from(WORDS + PHRASES + ODD_TERMS), min_size=1, max_size=6).map(" ".join)


@st.composite
def stores(draw: st.DrawFn) -> dict[str, Any]:
    """A store's tables: claims of every kind of value a filter or a report looks at."""
    ids = draw(IDS)
    claims = []
    for claim_id in ids:
        text = draw(TEXT)
        others = [i for i in ids if i != claim_id]
        links = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
        made = factories.claim(
            claim_id, text, draw(st.sampled_from([*NAMES, "Mark Rütte"])), said_on=draw(st.sampled_from(DATES)),
            topics=draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2)),
            stances=[factories.stance(p, q) for q, p in
                     draw(st.dictionaries(st.sampled_from(PROPOSITIONS), st.sampled_from(["for", "against"]), max_size=2)).items()],
            links=[factories.link(to, draw(st.sampled_from(["contradicts", "supports", "duplicates"]))) for to in links],
            read_figures=True, status=draw(st.sampled_from(list(model.STATUSES))), kind=draw(st.sampled_from(KINDS)), stored=True,
            context=draw(st.sampled_from([None, "at the summit", "Straße interview"])),
            sources=[factories.source_copy(factories.source(f"srcaaaa{n}", URLS[n])) for n in
                     draw(st.lists(st.integers(0, 2), unique=True, min_size=1, max_size=2))],
        )
        for quantity in made["quantities"]:
            quantity["measure"] = draw(st.sampled_from(MEASURES))
        claims.append(made)
    actors = [factories.actor(name, ALIASES.get(name, ())) for name in NAMES]
    return factories.store_data(*claims, actors=actors,
                                sources=[factories.source(f"srcaaaa{n}", url) for n, url in enumerate(URLS)])


def words_of(data: dict[str, Any]) -> list[str]:
    return sorted({w for c in data["claims"].values() for w in c["text"].split()}) or ["troops"]


@st.composite
def filters_for(draw: st.DrawFn, data: dict[str, Any]) -> Filters:
    """Filters that select some of these claims: words, prefixes and phrases of their texts, numbers,
    actors by name, part or alias, and every other field."""
    words = words_of(data)
    query_parts = draw(st.lists(st.one_of(
        st.sampled_from(words), st.sampled_from(words).map(lambda w: w[: max(1, len(w) // 2)]),
        st.sampled_from(PHRASES).map(lambda p: f'"{p}"'), st.sampled_from(WORDS + ODD_TERMS)), max_size=2))
    ids = sorted(data["claims"])
    return Filters(
        query=" ".join(query_parts) or None,
        actors=tuple(draw(st.lists(st.sampled_from(NAMES + ["Trump", "POTUS", "Rutte", "sanchez", "von der", "Nobody"]),
                                   max_size=2))),
        topics=tuple(draw(st.lists(st.sampled_from(TOPICS + ["Article 5"]), max_size=2))),
        statuses=tuple(draw(st.lists(st.sampled_from(list(model.STATUSES)), max_size=2))),
        kinds=tuple(draw(st.lists(st.sampled_from(KINDS), max_size=1))),
        since=draw(st.sampled_from([None, "2025", "2025-03", "2025-03-15"])),
        until=draw(st.sampled_from([None, "2025", "2025-03", "2025-03-01"])),
        measures=tuple(draw(st.lists(st.sampled_from([m for m in MEASURES if m]), max_size=1))),
        source_domains=tuple(draw(st.lists(st.sampled_from(["nato.int", "example.org", "news.example.org"]), max_size=1))),
        evidence_domains=tuple(draw(st.lists(st.sampled_from(["nato.int"]), max_size=1))),
        only_ids=draw(st.none() | st.sets(st.sampled_from(ids)).map(frozenset)),
    )


def scan_find(data: dict[str, Any], filters: Filters, sort: str = "date", reverse: bool = False) -> list[str]:
    aliases = {name: actor.get("aliases", []) for name, actor in data["actors"].items()}
    return [c["id"] for c in sort_claims(select(list(data["claims"].values()), filters, aliases), sort, reverse)]


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])
@given(data=st.data(), tables=stores())
def test_the_index_answers_as_a_scan_of_the_file_does(db, data, tables):
    db.write_bytes(files.encode(tables))
    shutil.rmtree(index_pointer(db).parent, ignore_errors=True)
    parsed = files.read_file(db)
    store = fresh(db)
    assert store.index is not None and store.narrows
    for _ in range(8):
        filters = data.draw(filters_for(parsed))
        sort = data.draw(st.sampled_from(["date", "actor", "status", "created"]))
        assert [c["id"] for c in core.find(store, filters, sort=sort)] == scan_find(parsed, filters, sort), filters
        assert core.repeats(store, filters) == core.repeats(store_of(parsed), filters)
        assert core.contradicting_pairs(store, filters, core.contradiction_kinds(leads=True)) == \
            core.contradicting_pairs(store_of(parsed), filters, core.contradiction_kinds(leads=True))
    twin = store_of(files.read_file(db))
    assert listings(fresh(db)) == listings(twin)
    for claim_id in parsed["claims"]:
        for prefix in (claim_id, claim_id[:5], claim_id[:4], claim_id[:4].upper(), claim_id[:4] + "z"):
            assert got(store, prefix) == got(twin, prefix)


def got(store: Store, prefix: str) -> Any:
    """What `Store.get` gives for a prefix: the claim, or the error and its message."""
    try:
        return store.get(prefix)
    except Exception as exc:  # noqa: BLE001 (compared, never hidden)
        return type(exc).__name__, str(exc)


ENCODERS = {"as natoclaims writes": files.encode,
            "re-indented": lambda data: json.dumps(data, indent=4).encode(),
            "on one line, keys in another order": lambda data: json.dumps(
                {t: dict(reversed(list(records.items()))) for t, records in reversed(list(data.items()))},
                ensure_ascii=False).encode()}


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])
@given(data=st.data(), before=stores(), after=stores())
def test_an_index_kept_across_outside_edits_answers_as_a_scan(db, data, before, after):
    """One store, then another made of some of its claims kept, some changed, some dropped and some
    new (as `git pull` or an editor leaves it), written in any layout: the index, re-indexed, answers
    as a scan of the new file."""
    db.write_bytes(files.encode(before))
    shutil.rmtree(index_pointer(db).parent, ignore_errors=True)
    assert fresh(db).index is not None
    kept = data.draw(st.sets(st.sampled_from(sorted(before["claims"]))))
    edited = data.draw(st.sets(st.sampled_from(sorted(before["claims"]))))
    claims = {key: before["claims"][key] for key in sorted(kept)} | after["claims"]
    for key in sorted(edited & kept):
        replacement = data.draw(st.sampled_from(sorted(after["claims"].values(), key=lambda c: c["id"])))
        claims[key] = {**replacement, "id": key, "links": before["claims"][key]["links"]}
    linked = {key: {**claim, "links": [link for link in claim["links"] if link["to"] in claims]}
              for key, claim in claims.items()}
    changed = {**after, "claims": linked, "actors": {**before["actors"], **after["actors"]}}
    db.write_bytes(ENCODERS[data.draw(st.sampled_from(sorted(ENCODERS)))](changed))
    parsed = files.read_file(db)
    store = fresh(db)
    assert store.index is not None
    for _ in range(4):
        filters = data.draw(filters_for(parsed))
        assert [c["id"] for c in core.find(store, filters)] == scan_find(parsed, filters), filters
    assert listings(fresh(db)) == listings(store_of(parsed))


# -- spliced writes keep the bytes -------------------------------------------------------------------------

def _add(store: Store, draw: Any) -> None:
    factories.add(store, draw(TEXT), actor=draw(st.sampled_from(NAMES)), said_on=draw(st.sampled_from(DATES[1:])),
                  topics=draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2)),
                  sources=[draw(st.sampled_from(URLS))], kind=draw(st.sampled_from(KINDS)))


def _pick(store: Store, draw: Any) -> str | None:
    keys = sorted(store.claims)
    return draw(st.sampled_from(keys)) if keys else None


def _edit(store: Store, draw: Any) -> None:
    if (key := _pick(store, draw)) is not None:
        core.edit_claim(store, key, text=draw(TEXT), add_topics=draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2)))


def _review(store: Store, draw: Any) -> None:
    if (key := _pick(store, draw)) is not None:
        core.review(store, [key], draw(st.sampled_from(VERDICTS)), note="checked against the record",
                    evidence=[draw(st.sampled_from(["https://factcheck.example.net/1", "https://www.nato.int/facts"]))])


def _status(store: Store, draw: Any) -> None:
    if (key := _pick(store, draw)) is not None:
        core.set_status(store, [key], draw(st.sampled_from(VERDICTS)), note="a note")


def _remove(store: Store, draw: Any) -> None:
    if (key := _pick(store, draw)) is not None:
        core.remove_claims(store, [key])


def _link(store: Store, draw: Any) -> None:
    keys = sorted(store.claims)
    if len(keys) >= 2:
        a, b = draw(st.lists(st.sampled_from(keys), min_size=2, max_size=2, unique=True))
        with contextlib.suppress(InvalidInput):  # already linked: refused, nothing written
            core.link(store, a, "contradicts", b)


def _unlink(store: Store, draw: Any) -> None:
    linked = [(c["id"], link["to"]) for c in store.claims.values() for link in c["links"]]
    if linked:
        a, b = draw(st.sampled_from(linked))
        core.unlink(store, a, b)


def _source(store: Store, draw: Any) -> None:
    core.add_source(store, f"https://example.net/{draw(st.integers(0, 5))}", title=draw(st.sampled_from([None, "A title"])))


def _actor(store: Store, draw: Any) -> None:
    name, alias = draw(st.sampled_from([("Kaja Kallas", "KK"), ("Pete Hegseth", "PH"), ("Jens Stoltenberg", None)]))
    if name in store.actors:
        core.edit_actor(store, name, role=draw(st.sampled_from(["minister", "envoy"])))
    else:
        with contextlib.suppress(InvalidInput):  # the name is another's alias now (merged): refused, nothing written
            core.add_actor(store, name, [alias] if alias and draw(st.booleans()) else [], None)


def _rename(store: Store, draw: Any) -> None:
    names = sorted(set(store.actors) - {"Renamed Person"})
    if names and "Renamed Person" in store.actors:
        core.merge_actors(store, draw(st.sampled_from(names)), "Renamed Person")
    elif names:
        core.rename_actor(store, draw(st.sampled_from(names)), "Renamed Person")


WRITES = {"add": _add, "edit": _edit, "review": _review, "status": _status, "remove": _remove, "link": _link,
          "unlink": _unlink, "source": _source, "actor": _actor, "rename": _rename}


@pytest.mark.slow
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])
@given(data=st.data())
def test_spliced_writes_keep_the_bytes_and_can_all_be_undone(db, isolated, data):
    for leftover in (db, db.with_name("claims.json.journal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(isolated / "cache", ignore_errors=True)
    store = factories.file_store(db)
    first = db.read_bytes()
    factories.add(store, "Some 35,000 US troops are stationed in Germany", actor="Donald Trump")
    for name in data.draw(st.lists(st.sampled_from(sorted(WRITES)), min_size=1, max_size=8)):
        WRITES[name](fresh(db), data.draw)
        assert db.read_bytes() == files.encode(files.read_file(db)), name
        assert answers(fresh(db)) == scanned(db), name
        index = Index(db)
        assert index.sync(verify=True) and index.as_written
        index.close()
    shutil.rmtree(isolated / "cache")
    assert answers(fresh(db)) == scanned(db)
    while True:
        try:
            core.undo(fresh(db))
        except NotFound:
            break
        assert db.read_bytes() == files.encode(files.read_file(db))
    assert db.read_bytes() == first
