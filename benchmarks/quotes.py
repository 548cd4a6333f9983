"""Time `check --quotes` on 1,000 archived articles with 10 quotes each (SPEC section 8).

    python benchmarks/quotes.py [--articles 1000] [--quotes 10] [--repeat 3]

The store is built deterministically (seeded) into benchmarks/stores/quotes-N.json with its
archive folder: each article ~600 words of plain text, archived through the library; of each
article's quotes 7 are exact, 1 differs in typography, 1 has a changed word and 1 is not there.
Each run is a fresh process; the figure is the median wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from natoclaims.core import archive_source
from natoclaims.core.archive import anchor_claim
from natoclaims.model import check_claim, check_source_record
from natoclaims.store import Store, empty_data, encode

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
HERE = Path(__file__).resolve().parent
NATOCLAIMS = shutil.which("natoclaims") or "natoclaims"
WORDS = ("alliance allies troops withdrawal germany poland spending budget defence commitment guarantee "
         "summit treaty deterrence eastern flank baltic sanctions ceasefire strait hormuz bases deployment "
         "security partners article pledge target readiness brigade exercise we will not they must").split()
AT = "2026-11-22T00:00:00.000000Z"


def article(rng: random.Random) -> tuple[str, list[str]]:
    """An article's text and the sentences quoted from it."""
    sentences = [" ".join(rng.choices(WORDS, k=rng.randint(12, 24))).capitalize() + "." for _ in range(40)]
    text = "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))
    return text, [s.rstrip(".") for s in rng.sample(sentences, 10)]


def quotes_for(rng: random.Random, said: list[str], count: int) -> list[str]:
    """Exact quotes, then one with typographic apostrophes and case changed, one with a word changed, one absent."""
    chosen = said[:count]
    if count >= 3:
        chosen[-3] = chosen[-3].upper()
        words = chosen[-2].split()
        words[len(words) // 2] = "never"
        chosen[-2] = " ".join(words)
        chosen[-1] = " ".join(rng.choices(["banana", "orchestra", "violet", "meadow", "lantern"], k=12))
    return chosen


def build(path: Path, articles: int, quotes: int) -> None:
    if path.exists():
        return
    rng = random.Random(13)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(empty_data()))
    store = Store(path, user="bench")
    with store.writing():
        claims = []
        for n in range(articles):
            source_id = f"src{n:06d}"
            store.put_record("sources", source_id, check_source_record({
                "id": source_id, "url": f"https://news.example.com/{n}", "title": f"Story {n}", "outlet": None,
                "published": None, "type": "article", "archive": None}))
            text, said = article(rng)
            archive_source(store, source_id, text.encode(), media_type="text/plain", at=AT)
            for i, quote in enumerate(quotes_for(rng, said, quotes)):
                claim = check_claim({"id": f"q{n:06d}x{i:02d}", "text": quote, "kind": "quote", "actor": "Mark Rutte",
                                     "sources": [{"id": source_id, "url": f"https://news.example.com/{n}",
                                                  "title": f"Story {n}"}]}, now=AT)
                anchor_claim(store, claim)
                claims.append(claim)
        store.put_actor({"name": "Mark Rutte", "aliases": [], "role": None, "type": "person"})
        store.insert_claims(claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--quotes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = HERE / "stores" / f"quotes-{args.articles}x{args.quotes}.json"
    started = time.perf_counter()
    build(path, args.articles, args.quotes)
    print(f"store: {path} ({args.articles} articles, {args.articles * args.quotes} quotes; "
          f"built/reused in {time.perf_counter() - started:.1f} s)")
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        done = subprocess.run([NATOCLAIMS, "--db", str(path), "check", "--quotes", "--format", "tsv"],
                              capture_output=True, text=True)
        times.append(time.perf_counter() - started)
    print(done.stderr.strip().splitlines()[-1])
    print(f"check --quotes: median {statistics.median(times):.2f} s over {args.repeat} runs "
          f"({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
