"""The parsed-store cache: used only when it matches the store file, and always the same as
parsing the file, in the same order."""

import json
import marshal
import os
import shutil
import time

import pytest

from natoclaims.paths import cache_file as cache_path
from natoclaims.store import cache as store
from natoclaims.store import files, load, read_file
from tests.conftest import add, cli


def cached(db):
    """The cache's header fields and its data."""
    with open(cache_path(db), "rb") as handle:
        return handle.readline().decode().split(), marshal.loads(handle.read())


def in_order(value):
    """JSON that differs when any key order differs."""
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture
def settle(monkeypatch):
    """Wait until files count as settled (0.2 s here instead of 3 s)."""
    monkeypatch.setattr(store, "SETTLED_NS", 200_000_000)
    return lambda: time.sleep(0.25)


@pytest.fixture
def parsing(monkeypatch):
    """Count the JSON parses: a load that makes none came from the cache."""
    calls = []
    real = files.parse

    def counted(text, path):
        calls.append(path)
        return real(text, path)

    monkeypatch.setattr(files, "parse", counted)
    return calls


def test_every_write_leaves_a_cache_equal_to_parsing_the_file(empty_store):
    a = add("--stance", "troops-cut:for", text="Some 35,000 troops will leave Germany")
    b = add("--topic", "troops", text="Nearly 12,000 troops – not “35,000” – will move", actor="Pete Hegseth")
    steps = [
        ["edit", a, "--text", "Ünïcödé text", "--add-topic", "iran"],
        ["status", b, "false", "--note", "checked"],
        ["link", a, "contradicts", b, "--note", "see both"],
        ["actor", "add", "Jens Stoltenberg", "--alias", "Stoltenberg", "--type", "person"],
        ["actor", "alias", "Pete Hegseth", "Hegseth"],
        ["actor", "edit", "Pete Hegseth", "--type", "government"],
        ["source", "add", "https://www.nato.int/data", "--type", "dataset"],
        ["source", "edit", "https://www.nato.int/data", "--type", "official"],
        ["add", "--actor", "NATO", "--source", "https://b.org", "--type", "official", "--", "a claim"],
        ["review", a, "misleading", "--evidence", "https://www.nato.int/data"],
        ["import", "-"],
        ["rm", b, "--yes"],
        ["undo", "--yes"],
        ["init", "--force"],
    ]
    stdin = "".join(json.dumps({"text": f"imported {i}", "actor": "Importer", "sources": [{"url": "https://a.org"}]}) + "\n"
                    for i in range(3))
    for args in [[]] + steps:
        if args:
            result = cli(*args, input=stdin if args[0] == "import" else None)
            assert result.code == 0, (args, result)
        (tag, digest, stamp, form), data = cached(empty_store)
        assert form == store.AS_WRITTEN  # natoclaims wrote it: check need not look for repeated keys
        assert digest == store.hashlib.sha256(empty_store.read_bytes()).hexdigest()
        assert stamp == store.UNSETTLED  # just written: the digest decides until the file settles
        assert in_order(data) == in_order(read_file(empty_store)), args


def test_commands_read_the_cache_not_the_json(empty_store, parsing):
    a = add(text="Some 35,000 troops will leave Germany")  # parses the store `init` wrote
    parsing.clear()
    assert cli("show", a).code == 0
    assert cli("search", "troops", "--format", "ids").stdout.split() == [a]
    assert add(text="another") in cli("search", "--format", "ids").stdout
    assert parsing == []
    # Read within seconds of the write: a change in the same clock tick could keep the file's
    # times, so the cache still names the file by its digest only.
    assert cached(empty_store)[0][2] == store.UNSETTLED


def test_a_settled_file_is_recognised_by_its_stamp_without_reading_it(empty_store, parsing, settle, monkeypatch):
    a = add()
    parsing.clear()
    settle()
    assert cli("show", a).code == 0  # hashes once, then names the stamp in the cache
    assert cached(empty_store)[0][2] != store.UNSETTLED
    hashed = []
    real = store.hashlib.sha256
    monkeypatch.setattr(store.hashlib, "sha256", lambda data=b"": hashed.append(data) or real(data))
    assert cli("show", a).code == 0
    assert empty_store.read_bytes() not in hashed  # only the cache file's name was hashed
    assert parsing == []


def test_a_file_changed_outside_natoclaims_is_never_read_from_the_cache(empty_store, settle):
    a = add(text="Some 35,000 troops will leave Germany")
    settle()
    assert cli("show", a).code == 0
    assert cached(empty_store)[0][2] != store.UNSETTLED
    # The same size, in place, with the modification time put back: only the content differs.
    stat = empty_store.stat()
    content = empty_store.read_bytes()
    with open(empty_store, "r+b") as handle:
        handle.write(content.replace(b"35,000 troops", b"53,000 troops"))
    os.utime(empty_store, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    settle()
    assert cli("show", a, "--format", "json").json()[0]["text"] == "Some 53,000 troops will leave Germany"
    # Replaced by another file altogether.
    other = empty_store.with_name("other.json")
    cli("--db", str(other), "init", "--empty")
    shutil.copyfile(other, empty_store)
    assert cli("search", "--format", "ids").stdout == ""


def test_a_copy_with_the_same_bytes_uses_the_cache_by_its_digest(empty_store, parsing):
    a = add()
    parsing.clear()
    copy = empty_store.with_name("copy.json")
    shutil.copyfile(empty_store, copy)
    shutil.copyfile(cache_path(empty_store), cache_path(copy))
    assert cli("--db", str(copy), "show", a).code == 0
    assert parsing == []


@pytest.mark.parametrize("damage", [b"", b"garbage", b"natoclaims-cache-2/x/y a b\n", "truncate", "wrong tag"])
def test_a_damaged_cache_costs_only_time(empty_store, damage):
    a = add()
    path = cache_path(empty_store)
    content = path.read_bytes()
    if damage == "truncate":
        damage = content[: len(content) // 2]
    elif damage == "wrong tag":
        damage = content.replace(store.CACHE_TAG.encode(), b"natoclaims-cache-1/cpython-39/marshal-4", 1)
    path.write_bytes(damage)
    assert cli("show", a, "--format", "ids").stdout.strip() == a
    assert in_order(cached(empty_store)[1]) == in_order(read_file(empty_store))  # rebuilt


def test_load_equals_parse_on_the_bundled_dataset(isolated):
    db = isolated / "claims.json"
    cli("init")
    first = load(db)  # parses and caches
    assert in_order(load(db)) == in_order(first) == in_order(read_file(db))


def test_a_cache_half_written_by_a_killed_process_is_cleared_later(empty_store):
    add()
    folder = cache_path(empty_store).parent
    old = folder / f".{cache_path(empty_store).name}.abc.tmp"
    recent = folder / f".{cache_path(empty_store).name}.def.tmp"  # perhaps being written right now
    for path in (old, recent):
        path.write_bytes(b"half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    add(text="a second claim")
    assert not old.exists() and recent.exists()


def test_check_reads_the_file_on_another_thread_and_names_a_read_error(empty_store, monkeypatch):
    from natoclaims.errors import StoreError

    add()
    data, raw = store.load_verified(empty_store)
    assert raw is None and in_order(data) == in_order(read_file(empty_store))  # natoclaims wrote it: no second parse

    def failing(data=b""):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store.hashlib, "sha256", failing)
    with pytest.raises(StoreError, match="cannot read: Input/output error"):
        store.load_verified(empty_store)
    result = cli("check")
    assert result.code == 1 and "cannot read: Input/output error" in result.stderr and "Traceback" not in result.stderr


def test_check_finds_out_once_whether_a_file_is_as_natoclaims_writes_it(empty_store):
    add()
    data = read_file(empty_store)
    empty_store.write_text(json.dumps(data))  # another tool's layout: one line
    assert cli("search").code == 0
    assert cached(empty_store)[0][3] == store.NOT_COMPARED  # a reader does not spend time on it
    assert cli("check").code == 0
    assert cached(empty_store)[0][3] == store.NOT_AS_WRITTEN  # so check looks for repeated keys
    empty_store.write_bytes(files.encode(data))  # the same tables as natoclaims writes them
    assert cli("search").code == 0 and cli("check").code == 0
    assert cached(empty_store)[0][3] == store.AS_WRITTEN
    empty_store.write_text(json.dumps(data)[:-1] + ', "actors": {}}')  # a table named twice
    result = cli("check")
    assert result.code == 1 and "duplicate key 'actors' in the store file" in result.stdout, result
