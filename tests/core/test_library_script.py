"""Issue 25's done-when: a ten-line library script opens a store, adds a claim, reviews it, exports
ClaimReview, imports a file and archives a page fetched from a URL, without touching the CLI. It runs
as a real `python -c` subprocess that imports only the top-level package `natoclaims`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import served

PAGE = ("<html><head><title>Summit</title></head><body><article><h1>Summit</h1>"
        "<p>Mark Rutte said on Tuesday: \u201cWe will defend every inch of allied territory.\u201d "
        "The alliance met in The Hague for two days of talks about spending and readiness.</p></article></body></html>")

# The script is the one docs/library.md shows, read from the page so the two cannot differ.
LIBRARY_PAGE = Path(__file__).resolve().parents[2] / "docs" / "library.md"
SCRIPT = LIBRARY_PAGE.read_text(encoding="utf-8").split("<!-- library-script -->\n```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def site() -> Iterator[str]:
    with served(PAGE) as url:
        yield url


def test_the_ten_line_library_script(tmp_path: Path, site: str) -> None:
    db, out, to_import = tmp_path / "claims.json", tmp_path / "reviews.jsonld", tmp_path / "more.jsonl"
    to_import.write_text(json.dumps({"text": "Spending will reach 5% of GDP by 2035", "actor": "Mark Rutte",
                                     "sources": [{"url": "https://example.org/declaration"}]}) + "\n", encoding="utf-8")
    assert len([line for line in SCRIPT.splitlines() if line.strip()]) <= 10
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(db), f"{site}/summit", str(to_import), str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "exact"]
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert [r["@type"] for r in reviews] == ["ClaimReview"] and reviews[0]["reviewRating"]["alternateName"] == "True"
    stored = json.loads(db.read_text(encoding="utf-8"))
    assert len(stored["claims"]) == 2
    assert any(source.get("archive") for source in stored["sources"].values())
    assert "natoclaims.cli" not in SCRIPT and "natoclaims.core" not in SCRIPT
