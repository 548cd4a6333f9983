"""Quality and speed of `extract` (SPEC 10): precision and recall against gold quote/speaker pairs.

    python benchmarks/extraction.py [--min-confidence 0.5] [--show]

Each gold file in benchmarks/gold/ names an article (a seed article, or a small excerpt of a
public news page saved under benchmarks/articles/, its URL in the gold file) and every direct or
partial quotation in it with its speaker, written by hand before the extractor was run on it.
Speakers are resolved through the bundled dataset's actor table, as `extract` does on a store
holding it. A candidate is right when its words are a gold quote's (ignoring case, typographic
quotes and punctuation at either end) and its actor is that quote's speaker. For the seeds, the
bundled dataset's own quotes are scored too. Times: one article through the library, after
start-up (median of 20), and 1 MB of text.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

from natoclaims.engines.extract import find_candidates
from natoclaims.formats.articles import read_article
from natoclaims.model.text import fold
from natoclaims.paths import bundled_dataset

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def words(text: str) -> str:
    """A quote's words for comparison: folded, typographic marks and end punctuation ignored."""
    text = fold(text.replace("’", "'").replace("‘", "'"))
    return " ".join(re.findall(r"[\w']+", text))


def score(gold: dict, actors: dict, min_confidence: float, show: bool) -> tuple[int, int, int, int]:
    """(right candidates, quote candidates, gold pairs found, gold pairs) for one article."""
    path = Path(gold["article"]) if gold["article"].startswith("/") else ROOT / gold["article"]
    article = read_article(path.read_bytes(), url=gold["url"] if (gold["url"] or "").startswith("http") else None)
    found = [c for c in find_candidates(article.text, published=article.published or gold["published"], actors=actors)
             if c.kind == "quote" and c.confidence >= min_confidence]
    pairs = {(words(q["text"]), q["actor"]) for q in gold["quotes"]}
    right = [c for c in found if (words(c.text), c.actor) in pairs]
    hit = {(words(c.text), c.actor) for c in right}
    if show:
        for c in found:
            mark = "ok " if c in right else "BAD"
            print(f"  {mark} {c.confidence:.2f} {c.actor!r:32} {c.text[:70]!r} ({c.cue})")
        for text, actor in sorted(pairs - hit):
            print(f"  MISSED {actor!r:29} {text[:70]!r}")
    return len(right), len(found), len(hit), len(pairs)


def dataset_recall(actors: dict, claims: list[dict], min_confidence: float) -> tuple[int, int]:
    """How many of the bundled dataset's quotes the seeds yield with the right actor."""
    seeds = {"analysis2025": "/work/shared/seeds/000_a1fb40e8e79895b0.txt",
             "nakedpolitics7192": "/work/shared/seeds/004_05fee859d3df16f0.txt"}
    found, total = 0, 0
    for source_id, path in seeds.items():
        if not Path(path).exists():
            continue
        article = read_article(Path(path).read_bytes())
        got = {(words(c.text), c.actor) for c in find_candidates(article.text, published=article.published, actors=actors)
               if c.kind == "quote" and c.confidence >= min_confidence}
        for claim in claims:
            if claim["kind"] == "quote" and any(s["id"] == source_id for s in claim["sources"]):
                total += 1
                wanted = words(claim["text"])
                found += any(actor == claim["actor"] and (text == wanted or wanted in text) for text, actor in got)
    return found, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument("--show", action="store_true", help="List each candidate and each missed quote.")
    options = parser.parse_args()
    data = json.loads(bundled_dataset().read_text())
    actors = data["actors"]
    totals = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    print(f"{'article':34} {'precision':>9} {'recall':>7}   (quote candidates with confidence >= {options.min_confidence})")
    for path in sorted((HERE / "gold").glob("*.json")):
        gold = json.loads(path.read_text())
        if gold["article"].startswith("/") and not Path(gold["article"]).exists():
            continue
        if options.show:
            print(path.stem)
        right, found, hit, pairs = score(gold, actors, options.min_confidence, options.show)
        for i, n in enumerate((right, found, hit, pairs)):
            totals[gold["tuned_on"]][i] += n
        print(f"{path.stem:34} {right}/{found:<7} {hit}/{pairs}")
    for tuned, (right, found, hit, pairs) in totals.items():
        label = "seeds (tuned on)" if tuned else "news text (gold before any run)"
        print(f"{label:34} precision {right / max(found, 1):.2f}  recall {hit / max(pairs, 1):.2f}")
    got, total = dataset_recall(actors, list(data["claims"].values()), options.min_confidence)
    print(f"{'bundled dataset quotes (seeds)':34} recall {got}/{total} = {got / max(total, 1):.2f}")

    seed = Path("/work/shared/seeds/000_a1fb40e8e79895b0.txt")
    if seed.exists():
        text = read_article(seed.read_bytes()).text
        runs = []
        for _ in range(20):
            started = time.perf_counter()
            find_candidates(text, published="2025", actors=actors)
            runs.append(time.perf_counter() - started)
        print(f"one article ({len(text)} characters): median {statistics.median(runs) * 1000:.1f} ms")
        big = (text + "\n") * (1_000_000 // len(text) + 1)
        started = time.perf_counter()
        count = len(find_candidates(big[:1_000_000], published="2025", actors=actors))
        print(f"1 MB of article text: {time.perf_counter() - started:.2f} s, {count} candidates")
        print(f"natoclaims extract (whole command, start-up included): median {command_time(seed) * 1000:.0f} ms")
    sys.stdout.flush()


def command_time(path: Path, repeat: int = 5) -> float:
    """Median wall time of `natoclaims extract FILE -f jsonl` on a copy of the bundled dataset."""
    import os
    import shutil
    import subprocess
    import tempfile

    beside = Path(sys.executable).parent / "natoclaims"  # the one installed with this Python, not another on PATH
    command = str(beside) if beside.exists() else shutil.which("natoclaims") or "natoclaims"
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "claims.json"
        shutil.copy(bundled_dataset(), store)
        env = {**os.environ, "NATOCLAIMS_DB": str(store)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        runs = []
        for _ in range(repeat + 1):  # the first run writes the cache and the bytecode
            started = time.perf_counter()
            subprocess.run([command, "extract", str(path), "-f", "jsonl"], env=env, check=True, capture_output=True)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs[1:])


if __name__ == "__main__":
    main()
