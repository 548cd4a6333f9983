"""Synthetic stores for benchmarks/run.py: deterministic claims, a store written record by record,
and edits made to the file's bytes as `files.encode` would write them after the change.

A 1M-claim store is 1.3 GB as a file; parsed, it is several times that. So the store is written
one record at a time (each record encoded by `natoclaims.store.encode`, indented for its place),
and the edits a benchmark needs (one claim's text, 300 claims as a `git pull` brings them) are
made on the record's bytes: the same bytes `encode` gives for the whole changed store, without
parsing the rest (tests/unit/test_benchmarks.py holds the two equal).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from natoclaims.store import empty_data, encode

ACTORS = ["Donald Trump", "Mark Rutte", "J.D. Vance", "Pete Hegseth", "Keir Starmer", "Emmanuel Macron",
          "Friedrich Merz", "Pedro Sánchez", "Donald Tusk", "Giorgia Meloni"] + [f"Official {i}" for i in range(190)]
TOPICS = ["troops", "article-5", "defence-spending", "burden-sharing", "ukraine", "russia", "iran", "europe-defence", "trade"]
WORDS = ("alliance allies troops withdrawal germany poland spending budget defence commitment guarantee "
         "summit treaty deterrence eastern flank baltic sanctions ceasefire strait hormuz bases deployment "
         "security partners article pledge target readiness brigade exercise").split()
STATUSES = ["unverified"] * 6 + ["verified", "misleading", "false", "disputed", "inconclusive"]
MEASURES = [f"spending-share-{c}" for c in ("us", "de", "pl", "fr", "uk", "it", "es", "ee", "lt", "lv")] + \
           [f"troops-{c}" for c in ("germany", "poland", "europe", "baltics", "italy")]
RECORD_START = b"\n    \""  # a record's key starts a line with 4 spaces (deeper lines have more)


def synthetic_claim(rng: random.Random, taken: set[str]) -> dict[str, Any]:
    """One realistic claim: 15-40 words, a figure on one in three, a stance on one in five."""
    claim_id = rng.choice(string.ascii_lowercase) + "".join(rng.choices(string.ascii_lowercase + string.digits, k=7))
    while claim_id in taken:
        claim_id = rng.choice(string.ascii_lowercase) + "".join(rng.choices(string.ascii_lowercase + string.digits, k=7))
    taken.add(claim_id)
    year, month = rng.randint(2014, 2026), rng.randint(1, 12)
    if year == 2026:
        month = rng.randint(1, 10)
    said_on = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{rng.randint(1, 28):02d}"])
    words = rng.choices(WORDS, k=rng.randint(15, 40))
    quantities, stances = [], []
    if rng.random() < 0.33:
        # Most figures on a measure agree with its true value for the year; 1 in 50 is well off.
        measure = rng.choice(MEASURES)
        truth = random.Random(f"{measure}-{year}").uniform(1000, 100000 if measure.startswith("troops") else 5)
        value = truth * (rng.uniform(0.6, 1.4) if rng.random() < 0.02 else rng.uniform(0.99, 1.01))
        if measure.startswith("troops"):
            value, unit = int(round(value, -2)), "troops"
        else:
            value, unit = round(value / 1000 + 0.8, 2), "%GDP"
        words[rng.randrange(len(words))] = f"{value:,}" + (" troops" if unit == "troops" else "% of GDP")
        quantities.append({"value": value, "unit": unit, "measure": measure,
                           "qualifier": rng.choice(["exact", "approx", "at-least"]), "as_of": None})
    if rng.random() < 0.2:
        # Positions on a proposition mostly agree: 1 in 20 takes the other side.
        proposition = rng.randrange(5000)
        side = ("for", "against")[proposition % 2 ^ (rng.random() < 0.05)]
        stances.append({"proposition": f"proposition-{proposition}", "position": side})
    text = " ".join(words).capitalize() + "."
    stamp = f"{year}-{month:02d}-01T00:00:00.000000Z"
    status = rng.choice(STATUSES)
    source = {"id": f"s{claim_id}", "url": f"https://www.{rng.choice(['nato.int', 'defense.gov', 'reuters.com', 'bbc.co.uk'])}/a/{claim_id}",
              "title": None, "outlet": None, "published": None}
    reviews = [] if status == "unverified" else [
        {"verdict": status, "note": "checked against the record", "evidence": [], "reviewer": "desk", "at": stamp}]
    return {
        "id": claim_id, "text": text, "kind": rng.choice(["quote", "paraphrase", "report"]),
        "actor": rng.choice(ACTORS), "said_on": said_on,
        "context": rng.choice([None, "told reporters", "at a press conference", "in an interview"]),
        "topics": rng.sample(TOPICS, rng.randint(1, 3)), "status": status, "sources": [source], "reviews": reviews,
        "quantities": quantities, "stances": stances, "links": [], "notes": None, "history": [],
        "created_at": stamp, "updated_at": stamp,
    }


def actors_table() -> dict[str, Any]:
    return {name: {"name": name, "aliases": [name.split()[-1]], "role": None, "type": "person"} for name in ACTORS}


def synthetic_data(size: int) -> dict[str, Any]:
    """The whole store `write_store(size)` writes, as one dict (for small sizes and the tests)."""
    rng, taken, data = random.Random(size), set[str](), empty_data()
    data["actors"] = actors_table()
    for _ in range(size):
        claim = synthetic_claim(rng, taken)
        data["claims"][claim["id"]] = claim
        for source in claim["sources"]:
            data["sources"][source["id"]] = {**source, "type": "article", "archive": None}
    return data


def record_piece(key: str, record: Any) -> bytes:
    """A record as `encode` writes it inside a table: `    "key": {...}`, indented for its place."""
    return b"    " + encode(key)[:-1] + b": " + encode(record)[:-1].replace(b"\n", b"\n    ")


def write_tables(path: Path, tables: dict[str, dict[str, bytes]]) -> None:
    """Write a store whose tables hold records already encoded by `record_piece`: the bytes
    `encode` gives for the whole store, without ever holding it parsed or as one string."""
    temporary = path.with_name(path.name + ".part")
    with open(temporary, "wb") as out:
        out.write(b"{\n")
        for number, name in enumerate(sorted(tables)):
            pieces = tables[name]
            out.write((b",\n" if number else b"") + b"  " + encode(name)[:-1] + b": ")
            if not pieces:
                out.write(b"{}")
                continue
            out.write(b"{\n")
            for index, key in enumerate(sorted(pieces)):
                out.write((b",\n" if index else b"") + pieces[key])
            out.write(b"\n  }")
        out.write(b"\n}\n")
    os.replace(temporary, path)


def write_store(path: Path, size: int) -> None:
    """The deterministic store of `size` claims (the same bytes as `encode(synthetic_data(size))`),
    written record by record: about 1.5x the file in memory, not the parsed store."""
    rng, taken = random.Random(size), set[str]()
    data = empty_data()
    tables: dict[str, dict[str, bytes]] = {name: {key: record_piece(key, value) for key, value in table.items()}
                                           for name, table in data.items()}
    tables["actors"] = {name: record_piece(name, actor) for name, actor in actors_table().items()}
    claims, sources = tables["claims"], tables["sources"]
    for _ in range(size):
        claim = synthetic_claim(rng, taken)
        claims[claim["id"]] = record_piece(claim["id"], claim)
        for source in claim["sources"]:
            sources[source["id"]] = record_piece(source["id"], {**source, "type": "article", "archive": None})
    del taken
    write_tables(path, tables)


def first_claim_id(raw: bytes) -> str:
    """The id of the first claim in the file (for `show ID`)."""
    at = raw.index(b'\n  "claims": {\n    "') + len(b'\n  "claims": {\n    "')
    return raw[at:raw.index(b'"', at)].decode()


def claim_ids(raw: bytes) -> list[str]:
    """Every claim id in the file, in file (key) order, found by the layout alone."""
    start = raw.index(b'\n  "claims": {') + len(b'\n  "claims": {')
    if raw[start:start + 1] == b"}":  # an empty table
        return []
    end = raw.index(b"\n  }", start)
    ids, at = [], raw.find(RECORD_START, start, end)
    while at >= 0:
        ids.append(raw[at + len(RECORD_START):raw.index(b'"', at + len(RECORD_START))].decode())
        at = raw.find(RECORD_START, at + 1, end)
    return ids


def rewrite_claims(raw: bytes, changes: dict[str, Callable[[dict[str, Any]], None]]) -> bytes:
    """The file with each named claim changed in place by its function, as `encode` would write the
    changed store: only those records are parsed and re-encoded, found in one pass (keys are sorted)."""
    table = raw.index(b'\n  "claims": {')
    view = memoryview(raw)  # slices of it are not copies (at 1M the file is 1.3 GB)
    parts: list[bytes | memoryview] = []
    done = 0
    for claim_id in sorted(changes):
        start = raw.index(RECORD_START + encode(claim_id)[1:-1] + b": {", max(done, table)) + 1
        following = raw.find(RECORD_START, start)  # the next record, maybe of the next table
        table_end = raw.find(b"\n  }", start, following if following >= 0 else len(raw))
        end = table_end if table_end >= 0 else following - 1  # before the comma that ends the record
        piece = raw[start:end]
        record = json.loads(piece[piece.index(b": ") + 2:])
        changes[claim_id](record)
        parts += [view[done:start], record_piece(claim_id, record)]
        done = end
    parts.append(view[done:])
    return b"".join(parts)


EDITS = itertools.count()


def edit_text(raw: bytes, claim_id: str) -> bytes:
    """One claim's text rewritten, as an editor would: a word added at the end."""
    def change(claim: dict[str, Any]) -> None:
        claim["text"] = f"{claim['text'][:-1]} (edit {next(EDITS)})."
    return rewrite_claims(raw, {claim_id: change})


def edit_on_branch(claim: dict[str, Any], rng: random.Random, seed: int) -> None:
    """A claim as branch `seed` edited it: its context or a topic, with the history entry."""
    stamp = f"2026-11-{seed % 28 + 1:02d}T12:00:00Z"
    field, new = rng.choice([("context", f"edited on branch {seed}"), ("topics", [*claim["topics"], "nato"])])
    claim["history"].append({"at": stamp, "by": f"branch{seed}", "field": field, "old": claim[field], "new": new,
                             "note": None})
    claim[field], claim["updated_at"] = new, stamp


def pulled(raw: bytes, seed: int, changes: int) -> bytes:
    """The store as a `git pull` brings it: `changes` claims edited on branch `seed`."""
    rng = random.Random(seed)
    chosen = rng.sample(claim_ids(raw), changes)
    return rewrite_claims(raw, {claim_id: lambda claim: edit_on_branch(claim, rng, seed) for claim_id in chosen})


def branch(path: Path, seed: int, changes: int, registry: bool = False) -> dict[str, Any]:
    """The store at `path` as one branch left it: `changes` claims edited (context, a topic, a review)
    and `changes // 2` claims added; with `registry`, also a source retitled (every claim's copy
    with it), another archived and a claim removed, as the commands do them. (Parses the whole store.)"""
    rng = random.Random(seed)
    data = json.loads(path.read_bytes())
    stamp = f"2026-11-{seed % 28 + 1:02d}T12:00:00Z"
    for claim_id in rng.sample(sorted(data["claims"]), changes):
        edit_on_branch(data["claims"][claim_id], rng, seed)
    taken = set(data["claims"])
    for _ in range(changes // 2):
        claim = synthetic_claim(rng, taken)
        data["claims"][claim["id"]] = claim
        for source in claim["sources"]:
            data["sources"][source["id"]] = {**source, "type": "article", "archive": None}
    if registry:
        claims, sources = data["claims"], data["sources"]
        retitled, archived = rng.sample(sorted(sources), 2)
        sources[retitled]["title"] = f"Retitled on branch {seed}"
        for claim in claims.values():
            for source in claim["sources"]:
                if source["id"] == retitled:
                    source["title"] = sources[retitled]["title"]
        sources[archived]["archive"] = [{"digest": f"{seed:x}" * 64, "media_type": "text/html", "url": None,
                                         "archived_at": stamp, "title": None, "author": None, "site": None,
                                         "published": None}]
        del claims[rng.choice(sorted(claims))]
    return data
