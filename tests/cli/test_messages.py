"""Issue 24.16: messages that add up, in the right number, and say what is really the case."""

from __future__ import annotations

from tests.conftest import add, cli


def test_a_month_that_does_not_exist_is_named_as_a_month(empty_store):
    assert cli("search", "--since", "2025-13").stderr == \
        "natoclaims: error: invalid date '2025-13': no month 13 (months are 01 to 12)\n"
    assert cli("search", "--until", "2025-02-30").stderr == \
        "natoclaims: error: invalid date '2025-02-30': 2025-02 has no day 30\n"


def test_a_troop_level_is_not_offered_the_measure_of_a_withdrawal(empty_store):
    add("--measure", "us-troops-withdrawn-from-germany", "--topic", "troops",
        text="Trump is weighing up withdrawing some 35,000 US troops from Germany")
    level = cli("add", "--actor", "Donald Trump", "--topic", "troops", "--source", "https://example.org/b", "--",
                "Trump is weighing up the 35,000 US troops in Germany")
    assert level.code == 0 and "probably measure" not in level.stderr, level
    change = cli("add", "--actor", "Donald Trump", "--topic", "troops", "--source", "https://example.org/c", "--",
                 "Trump is weighing up the 35,000-troop withdrawal from Germany")
    assert "probably measure us-troops-withdrawn-from-germany" in change.stderr, change


def test_a_source_domain_found_only_as_evidence_is_said(empty_store):
    claim = add()
    assert cli("review", claim, "false", "--evidence", "https://www.defense.gov/x").code == 0
    result = cli("search", "--source-domain", "defense.gov")
    assert result.code == 0 and result.stdout == ""
    assert result.stderr == ("no claim appeared on 'defense.gov': it is cited only as evidence of a verdict "
                             "(the evidence domain filter finds those claims)\n")
    assert cli("search", "--evidence-domain", "defense.gov", "-f", "ids").stdout.split() == [claim]


def test_counts_are_in_the_right_number(empty_store):
    one, two = add(text="a claim"), add(text="another claim entirely")
    assert cli("edit", one, "--note", "n").stderr == f"{one}: 1 field changed\n"
    assert cli("review", one, two, "false").stderr == "2 claims reviewed as false\n"
    assert cli("review", one, "false").stderr == "1 claim reviewed as false (1 already was)\n"
    assert cli("link", one, "contradicts", two).code == 0
    assert cli("contradictions", "--fail", "-f", "ids").stderr == "1 contradiction found\n"
    assert cli("unlink", one, two).stderr == "removed 1 link\n"
    assert cli("rm", one, "--yes").stderr == "deleted 1 claim\n"


def test_a_mistyped_status_verdict_or_id_gets_a_suggestion(two, empty_store):
    """Issue 24.15: did-you-mean was missing for a status, a verdict and an id."""
    a, _ = two
    before = empty_store.read_bytes()
    assert "unknown status 'fals' (did you mean false?)" in cli("search", "--status", "fals").stderr
    assert "unknown status 'fa' (did you mean false?)" in cli("review", a, "fa").stderr
    typo = a[:-1] + ("x" if a[-1] != "x" else "y")
    assert cli("show", typo).stderr == f"natoclaims: error: no claim with id {typo!r} (did you mean {a}?)\n"
    assert cli("show", "zzzzzzzz").stderr == "natoclaims: error: no claim with id 'zzzzzzzz'\n"
    assert empty_store.read_bytes() == before


def test_check_import_and_export_counts_are_in_the_right_number(empty_store):
    """Issue 24.16: '1 claims, no problems', 'imported 1 claim(s)', '1 claim(s) have a verdict'."""
    record = '{"text": "We will spend more", "actor": "Mark Rutte", "sources": [{"url": "https://a.org"}]}\n'
    assert cli("import", "-", "--dry-run", input=record).stderr == \
        "would import 1 claim, would update 0, would skip 0 duplicates, 0 invalid; 1 new actor: Mark Rutte\n"
    assert cli("import", "-", input=record).stderr == \
        "imported 1 claim, updated 0, skipped 0 duplicates, 0 invalid; 1 new actor: Mark Rutte\n"
    assert cli("check").stderr.endswith(": 1 claim, no problems\n")
    (claim,) = cli("search", "-f", "ids").stdout.split()
    assert cli("review", claim, "false").code == 0
    result = cli("export", "--format", "claimreview")
    assert result.code == 1 and f"1 claim has a verdict without a rationale ({claim})" in result.stderr, result


def test_measures_for_one_figure_are_counted_in_the_right_number(empty_store):
    claim_id = add(text="Some 35,000 troops will leave Germany")
    result = cli("edit", claim_id, "--measure", "troops-a", "--measure", "troops-b")
    assert result.code == 1 and f"2 --measure options for the 1 figure of claim {claim_id}:" in result.stderr, result
