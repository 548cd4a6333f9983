"""SPEC section 6: every wrong form of input is refused with one line, exit 1 or 2, store unchanged (through CliRunner)."""

import json

import pytest

from tests.conftest import assert_refused, cli

SRC = ["--source", "https://example.org/a"]
BAD = [
    # add
    (["add", "", "--actor", "A", *SRC], "empty claim text"),
    (["add", "   ", "--actor", "A", *SRC], "empty claim text"),
    (["add", "x", "--actor", "", *SRC], "empty actor"),
    (["add", "x", *SRC], "Missing option '--actor'"),
    (["add", "x", "--actor", "A"], "needs a source"),
    (["add", "x", "--actor", "A", "--source", "javascript:alert(1)"], "only http and https"),
    (["add", "x", "--actor", "A", "--source", "file:///etc/passwd"], "only http and https"),
    (["add", "x", "--actor", "A", "--source", "example.org"], "only http and https"),
    (["add", "x", "--actor", "A", "--source", "http://example.org/\udcff"], "not UTF-8"),
    (["add", "x", "--actor", "A", "--source", "http://[x]/a"], "invalid source URL"),
    (["add", "x", "--actor", "A", "--source", "http://example.org:99999/a"], "Port out of range"),
    (["add", "x", "--actor", "A", "--source", "http://example.org:abc/a"], "Port could not be cast"),
    (["source", "add", "http://[::1"], "invalid source URL"),
    (["source", "add", "http://:80/a"], "no host"),
    (["add", "x", "--actor", "A", *SRC, "--status", "true"], "unknown status"),
    (["add", "x", "--actor", "A", *SRC, "--kind", "rumour"], "unknown kind"),
    (["add", "x", "--actor", "A", *SRC, "--date", "03/04/2025"], "ambiguous"),
    (["add", "x", "--actor", "A", *SRC, "--date", "June 24-25, 2025"], "time of day"),
    (["add", "x", "--actor", "A", *SRC, "--date", "2099-01-01"], "future"),
    (["add", "x", "--actor", "A", *SRC, "--date", "next tuesday-ish"], "date"),
    (["add", "x", "--actor", "A", *SRC, "--quantity", "troops"], "invalid quantity"),
    (["add", "x", "--actor", "A", *SRC, "--quantity", "many troops"], "invalid quantity"),
    (["add", "x", "--actor", "A", *SRC, "--quantity", "5 tanks"], "unknown unit"),
    (["add", "x", "--actor", "A", *SRC, "--quantity", "5 troops", "--measure", "a", "--measure", "b"], "--measure"),
    (["add", "no figures here", "--actor", "A", *SRC, "--measure", "a"], "--measure needs --quantity"),
    (["add", "x", "--actor", "A", *SRC, "--stance", "nocolon"], "invalid stance"),
    (["add", "x", "--actor", "A", *SRC, "--stance", "p:maybe"], "unknown stance position"),
    (["add", "x", "--actor", "A", *SRC, "--topic", "!!"], "invalid topic"),
    (["add", "x", "--actor", "A", *SRC, "--bogus"], "No such option"),
    # show / history / edit / status / rm
    (["show", "nosuch99"], "no claim with id"),
    (["show", "abc"], "at least 4"),
    (["show"], "Missing argument"),
    (["history", "nosuch99"], "no claim with id"),
    (["edit", "{a}"], "nothing to change"),
    (["edit", "{a}", "--text", ""], "empty claim text"),
    (["edit", "{a}", "--kind", "rumour"], "unknown kind"),
    (["edit", "{a}", "--date", "03/04/2025"], "ambiguous"),
    (["edit", "{a}", "--add-source", "javascript:x"], "only http"),
    (["edit", "{a}", "--remove-topic", "absent"], "no topic"),
    (["edit", "{a}", "--quantity", "lots"], "invalid quantity"),
    (["edit", "{a}", "--quantity", "800-700 troops"], "from the lower figure to the higher"),
    (["edit", "{a}", "--measure", "a"], "states no figures"),
    (["edit", "{a}", "--as-of", "2099"], "future"),
    (["add", "x", "--actor", "A", *SRC, "--quantity", "5 troops", "--as-of", "soon-ish"], "as-of"),
    (["edit", "nosuch99", "--text", "x"], "no claim with id"),
    (["status", "{a}", "true"], "unknown status"),
    (["status", "nosuch99", "false"], "no claim with id"),
    (["status", "{a}", "false", "--source", "ftp://x"], "only http"),
    (["rm", "nosuch99", "--yes"], "no claim with id"),
    (["rm", "{a}", "nosuch99", "--yes"], "no claim with id"),
    # links
    (["link", "{a}", "contradicts", "{a}"], "itself"),
    (["link", "{a}", "refutes", "{b}"], "unknown relation"),
    (["link", "{a}", "contradicts", "nosuch99"], "no claim with id"),
    (["unlink", "{a}", "{b}"], "no link"),
    # search
    (["search", "--since", "03/04/2025"], "ambiguous"),
    (["search", "--until", "whenever"], "date"),
    (["search", "--status", "maybe"], "unknown status"),
    (["search", "--kind", "rumour"], "unknown kind"),
    (["search", "--sort", "colour"], "Invalid value for '--sort'"),
    (["search", "--limit", "-1"], "Invalid value for '--limit'"),
    (["search", "--format", "xml"], "Invalid value for '--format'"),
    (["contradictions", "--kind", "sideways"], "Invalid value for '--kind'"),
    # actors
    (["actor", "add", ""], "empty actor name"),
    (["actor", "add", "Donald Trump"], "already names"),
    (["actor", "alias", "Nobody Known", "x"], "no actor"),
    (["actor", "alias", "Mark Rutte", "Trump"], "already names"),
    (["nosuchcommand"], "No such command"),
]


@pytest.mark.parametrize("args, reason", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_is_refused_cleanly(two, empty_store, args, reason):
    a, b = two
    before = empty_store.read_bytes()
    result = cli(*[x.format(a=a, b=b) for x in args])
    assert_refused(result, reason)
    assert empty_store.read_bytes() == before


def test_usage_errors_exit_2_and_value_errors_exit_1(two):
    assert cli("search", "--format", "xml").code == 2
    assert cli("show", "nosuch99").code == 1


def test_unexpected_errors_are_one_line_without_debug(two, monkeypatch):
    from natoclaims import core

    monkeypatch.setattr(core, "find", lambda *a, **k: 1 / 0)
    result = cli("search")
    assert result.code == 1 and "unexpected ZeroDivisionError" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("url", ["http://[x]/a", "http://[::1", "http://example.org:99999/", "http://example.org/\udcff"])
def test_an_import_record_with_a_broken_url_is_refused(two, empty_store, tmp_path, url):
    before = empty_store.read_bytes()
    record = {"text": "x", "actor": "A", "sources": [{"url": url}]}
    (tmp_path / "in.json").write_text(json.dumps([record]))
    assert_refused(cli("import", str(tmp_path / "in.json")), "invalid source URL")
    assert empty_store.read_bytes() == before
