"""The library's warnings and report lines name its functions and arguments, never a command or an
option: the command line words them again (cli/wording.py), the library user reads them as they are."""

from __future__ import annotations

import io
import re

from natoclaims import core
from natoclaims.core import Store
from tests.core.conftest import ids

COMMAND_WORDS = re.compile(r"natoclaims [a-z]|--[a-z]")


def test_claimreview_without_a_publisher_url_warns_in_the_librarys_words(newsroom: Store) -> None:
    claim = next(iter(newsroom.claims))
    core.review(newsroom, [claim], "false", note="NATO's own table says otherwise")
    out = io.StringIO()
    core.export_claims(newsroom, out, "claimreview")
    assert newsroom.warnings == ["ClaimReview needs a url for each review: give publisher_url"]
    assert all("url" not in review for review in __import__("json").loads(out.getvalue()))


def test_claimreview_with_a_publisher_url_gives_each_review_its_url(newsroom: Store) -> None:
    claim = next(iter(newsroom.claims))
    core.review(newsroom, [claim], "false", note="NATO's own table says otherwise")
    out = io.StringIO()
    core.export_claims(newsroom, out, "claimreview", publisher_url="https://desk.example/checks")
    assert not newsroom.warnings
    [review] = __import__("json").loads(out.getvalue())
    assert review["url"] == f"https://desk.example/checks#claim-{claim}"


def test_a_source_given_again_with_another_title_is_kept_and_said_with_the_function(file_store: Store) -> None:
    core.add_source(file_store, "https://example.org/summit", title="Summit")
    core.add_claim(file_store, "Allies agreed on 5% by 2035", actor="Mark Rutte",
                   sources=[{"url": "https://example.org/summit", "title": "Another title"}])
    [warning] = [w for w in file_store.warnings if "registered with another" in w]
    source = next(iter(file_store.sources))
    assert warning == f"source {source} is registered with another title, kept as registered (edit_source changes it)"
    assert not COMMAND_WORDS.search(warning)
    assert ids(file_store, "Allies agreed")
