"""The bundled dataset through the commands: it checks clean and shows the articles' tensions."""

from tests.conftest import cli


def test_check_passes(bundled_store):
    result = cli("check")
    assert result.code == 0, result


def test_check_quotes_passes_and_show_prints_a_quote_in_its_context(bundled_store, monkeypatch):
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 0, result
    rows = result.json()
    assert rows and {r["match"] for r in rows} <= {"exact", "normalised"}
    assert result.stderr.endswith(f": {len(rows)} quotes checked: {len(rows)} exact\n")  # every quote archived
    monkeypatch.setenv("COLUMNS", "300")
    shown = cli("show", rows[0]["id"], "--format", "table")
    selector = rows[0]["selector"]
    assert " ".join(selector["exact"].split()) in shown.stdout
    assert f"…{' '.join(selector['prefix'].split())}" in " ".join(shown.stdout.split())


def test_contradictions_show_the_articles_tensions(bundled_store):
    pairs = cli("contradictions", "-f", "json").json()
    details = [detail for p in pairs for detail in p["details"].values()]  # a pair once, with every kind's detail
    assert "reversal by Donald Trump on us-defends-all-allies: for (2025-02) → against (2025-03)" in details
    assert "dispute on us-defends-all-allies: Donald Trump against vs Mark Rutte for" in details
    assert "dispute on us-guarantees-european-security: Pete Hegseth against vs Mark Rutte for" in details
    assert "dispute on europe-was-there-for-the-us: Emmanuel Macron for vs Donald Trump against" in details
    assert ("dispute on us-announces-troop-withdrawal-from-europe: Christoph Heusgen for vs "
            "U.S. Defense officials (unnamed) against") in details
    assert any(p["kind"] == "linked" and "Poland approved" in p["detail"] for p in pairs)
    assert len({frozenset((p["a"]["id"], p["b"]["id"])) for p in pairs}) == len(pairs)


def test_search_trump_lists_both_articles_in_date_order(bundled_store):
    claims = cli("search", "--actor", "Trump", "-f", "json").json()
    assert {c["actor"] for c in claims} == {"Donald Trump"}
    dated = [c["said_on"] for c in claims if c["said_on"]]
    assert dated == sorted(dated) and dated[0].startswith("2025") and dated[-1] == "2026-04"
    assert claims[-1]["said_on"] is None  # undated claims last
