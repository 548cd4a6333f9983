"""The one place tests make claims, sources, actors and stores.

Two kinds of claim: `claim()` is a record as the pure engines take it (only the fields given, or
every stored field with `stored=True`), built without a store; `add()` puts a claim into a `Store`
through the library, as a user's call would. `source()` and `actor()` are records as stored;
`store_data()` a whole store as plain data; `memory_store()` and `file_store()` a `Store`.
`unchanged()` says a refused call left the store's files byte for byte as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from natoclaims import core
from natoclaims.store import Store, initialise

USER = "tester"
TEXT = "Some 35,000 troops will leave Germany"
SOURCE_URL = "https://example.org/a"
STORED_AT = "2026-01-01T00:00:00Z"

# New actor names and the known actors none of them is near (each with why), for `add` and `add_claim`.
NEAR_NONE = [
    ("Trump", []),  # nothing to be close to
    ("Donald Trump", ["Donald Tusk"]),  # one shared word, different people
    ("Donald Tusk", ["Donald Trump"]),
    ("Australia", ["Austria"]),
    ("Mark Carney", ["Mark Rutte"]),
    ("Vladimir Putin", ["Volodymyr Zelensky"]),
]
# Names that are one known actor (Mark Rutte, Pete Hegseth, Donald Trump aliased POTUS), and that actor.
WORDS_OF_ONE_ACTOR = [
    ("Rutte", "Mark Rutte"),  # a whole word of the name
    ("rütte", "Mark Rutte"),  # ignoring case and accents
    ("Rutte Mark", "Mark Rutte"),  # the same words
    ("Secretary Hegseth", "Pete Hegseth"),  # a title before a word of the name
    ("Donald", "Donald Trump"),  # a word of one actor only
    ("POTUS", "Donald Trump"),  # an alias
]

# An article page as a news site serves it (navigation, an ad, a footer around the article), with a quote
# in it, and that quote as typed exactly, spaced and cased otherwise, changed, and not in the page at all.
ARTICLE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Rutte on troops | Example News</title>
<meta name="author" content="Ana Reporter"><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-06-24"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="ad">Buy now! Subscribe for 1 euro a month.</div>
<article><h1>Rutte on troops</h1>
<p>NATO Secretary General Mark Rutte said on Tuesday that allies must spend more on defence.</p>
<p>\u201cWe will defend every inch of allied territory,\u201d Rutte told reporters in Brussels, adding that
the alliance\u2019s posture was \u201crock solid \u2014 and ready\u201d.</p>
<p>He noted that more than 300,000 troops were now on high readiness across the alliance.</p>
</article><footer>\u00a9 Example News 2025. All rights reserved. Cookie settings.</footer></body></html>"""
QUOTE_EXACT = "We will defend every inch of allied territory"
QUOTE_SPACED = "we will defend every inch of  allied territory."
QUOTE_CHANGED = "We will defend every metre of allied territory"
QUOTE_ABSENT = "NATO is obsolete and America will leave it"
ARTICLE_URL = "https://news.example.com/rutte-troops"


def claim(cid: str, text: str = "troops leave", actor: str = "A", *, said_on: str | None = "2025-03",
          topics: Iterable[str] = (), quantities: Iterable[dict[str, Any]] = (), stances: Iterable[dict[str, Any]] = (),
          links: Iterable[dict[str, Any]] = (), read_figures: bool = False, status: str | None = None,
          url: str | None = None, sourced: bool = False, stored: bool = False, **fields: Any) -> dict[str, Any]:
    """A claim record for the engines: id, actor, date, text, figures, stances, links and topics
    (and any other field given). `read_figures` takes the figures from the text as `add` does;
    `status` adds the status with its review (none for unverified) as a verdict gives it; `url`
    one source at that URL (`sourced`: at https://example.org/ID). With `stored`, every field a stored claim has, checked as `add` checks it."""
    if read_figures:
        from natoclaims.engines.quantities import extract_quantities

        quantities = extract_quantities(text)
    record = {"id": cid, "actor": actor, "said_on": said_on, "text": text, "quantities": list(quantities),
              "stances": list(stances), "links": list(links), "topics": list(topics), **fields}
    if stored:
        from natoclaims.model import check_claim

        record.setdefault("sources", [source_copy()])
        if status is not None:
            record["status"] = status
        return check_claim(record, now=STORED_AT)
    if status is not None:
        record.update(status=status, updated_at="2025-04-01T00:00:00Z", reviews=[
            {"verdict": status, "note": None, "evidence": [], "reviewer": "desk", "at": "2025-04-02T00:00:00Z"}
        ] if status != "unverified" else [])
    if url is not None or sourced:
        url = url or f"https://example.org/{cid}"
        record["sources"] = [{"id": f"s{cid}", "url": url, "title": None, "outlet": None, "published": None}]
    return record


def figure(value: float, unit: str = "troops", measure: str | None = "us-troops-germany", qualifier: str = "exact",
           as_of: str | None = None) -> dict[str, Any]:
    """One figure as a claim states it."""
    return {"value": value, "unit": unit, "measure": measure, "qualifier": qualifier, "as_of": as_of}


def stance(position: str, proposition: str = "us-defends-all-allies") -> dict[str, Any]:
    return {"proposition": proposition, "position": position}


def link(to: str, relation: str = "contradicts", note: str | None = None) -> dict[str, Any]:
    return {"to": to, "relation": relation, "note": note}


def source(sid: str = "srcaaaa1", url: str | None = "https://www.nato.int/a", *, title: str | None = "Summit",
           outlet: str | None = "NATO", published: str | None = None, kind: str = "article") -> dict[str, Any]:
    """A registered source record, as the sources table holds it."""
    return {"id": sid, "url": url, "title": title, "outlet": outlet, "published": published, "type": kind,
            "archive": None}


def source_copy(record: dict[str, Any] | None = None) -> dict[str, Any]:
    """A source as a claim carries it (the registered record without its type and archive)."""
    record = record or source()
    return {field: record[field] for field in ("id", "url", "title", "outlet", "published")}


def actor(name: str, aliases: Sequence[str] = (), role: str | None = None, kind: str = "person") -> dict[str, Any]:
    """An actor record, as the actors table holds it."""
    return {"name": name, "aliases": sorted(aliases), "role": role, "type": kind}


def store_data(*claims: dict[str, Any], sources: Sequence[dict[str, Any]] = (),
               actors: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A whole store as plain data: the claims given (stored claims), the sources they cite and
    an actor record for every actor they name (the ones given win)."""
    from natoclaims.store.files import empty_data

    data = empty_data()
    registered = {s["id"]: s for s in sources}
    for each in claims:
        for cited in each.get("sources", []):
            registered.setdefault(cited["id"], {**cited, "type": "article", "archive": None})
    data["sources"] = registered
    data["actors"] = {name: actor(name) for name in {c["actor"] for c in claims}} | {a["name"]: a for a in actors}
    data["claims"] = {c["id"]: c for c in claims}
    return data


def memory_store(user: str = USER) -> Store:
    """The store twin held in memory: no file, no journal on disk."""
    return Store(None, user=user)


def file_store(path: Path, user: str = USER) -> Store:
    """A new, empty store file at `path` (with its journal beside it once written)."""
    initialise(path, empty=True, force=False, user=user)
    return Store(path, user=user)


def add(store: Store, text: str = TEXT, *, actor: str = "Donald Trump", sources: Sequence[str] = (SOURCE_URL,),
        **fields: Any) -> dict[str, Any]:
    """Add a claim through the library and return it as stored."""
    return core.add_claim(store, text, actor=actor, sources=list(sources), **fields).claim


def files_of(path: Path) -> dict[str, bytes]:
    """Every file of a store (the store and its sidecars beside it) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())
            if p.is_file() and p.name.startswith(path.name) and not p.name.endswith(".lock")}


@contextmanager
def unchanged(store: Store) -> Iterator[None]:
    """The block must leave the store as it was: a file store's files byte for byte, the memory
    twin's tables equal."""
    if store.path is None:
        import copy

        before_tables = copy.deepcopy(store.tables.data())
        yield
        assert store.tables.data() == before_tables
        return
    before = files_of(store.path)
    yield
    assert files_of(store.path) == before


@contextmanager
def served(page: str) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that answers every GET with `page` as UTF-8 HTML: its base URL."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
