"""Time whole natoclaims commands on synthetic stores of 1k, 10k and 100k claims (SPEC section 7).

    python benchmarks/run.py [--sizes 1000,10000,100000] [--repeat 5] [--merge-only]

Each command runs in a fresh process; the figure is the median wall time, and the ratio is
to the floor: the same Python parsing the store file with the GC off. Stores are built
deterministically (seeded) into benchmarks/stores/ and reused.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from natoclaims.paths import cache_file as cache_path
from natoclaims.store import empty_data, encode

# An installed package has its bytecode compiled; don't let a PYTHONDONTWRITEBYTECODE setting
# make every timed run recompile the sources.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
HERE = Path(__file__).resolve().parent
STORES = HERE / "stores"
NATOCLAIMS = shutil.which("natoclaims") or "natoclaims"
ACTORS = ["Donald Trump", "Mark Rutte", "J.D. Vance", "Pete Hegseth", "Keir Starmer", "Emmanuel Macron",
          "Friedrich Merz", "Pedro Sánchez", "Donald Tusk", "Giorgia Meloni"] + [f"Official {i}" for i in range(190)]
TOPICS = ["troops", "article-5", "defence-spending", "burden-sharing", "ukraine", "russia", "iran", "europe-defence", "trade"]
WORDS = ("alliance allies troops withdrawal germany poland spending budget defence commitment guarantee "
         "summit treaty deterrence eastern flank baltic sanctions ceasefire strait hormuz bases deployment "
         "security partners article pledge target readiness brigade exercise").split()
STATUSES = ["unverified"] * 6 + ["verified", "misleading", "false", "disputed", "inconclusive"]
MEASURES = [f"spending-share-{c}" for c in ("us", "de", "pl", "fr", "uk", "it", "es", "ee", "lt", "lv")] + \
           [f"troops-{c}" for c in ("germany", "poland", "europe", "baltics", "italy")]


TAKES = itertools.count()  # numbers the words of each timed `add`


def synthetic_claim(rng: random.Random, taken: set[str]) -> dict:
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


def build_store(size: int) -> Path:
    """A deterministic store of `size` claims (built once, then reused)."""
    path = STORES / f"claims-{size}-schema2.json"
    if path.exists():
        return path
    STORES.mkdir(parents=True, exist_ok=True)
    rng = random.Random(size)
    taken: set[str] = set()
    data = empty_data()
    data["actors"] = {name: {"name": name, "aliases": [name.split()[-1]], "role": None, "type": "person"}
                      for name in ACTORS}
    for _ in range(size):
        claim = synthetic_claim(rng, taken)
        data["claims"][claim["id"]] = claim
        for source in claim["sources"]:
            data["sources"][source["id"]] = {**source, "type": "article", "archive": None}
    path.write_bytes(encode(data))
    return path


def timed(argv: list[str], stdin: bytes | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def median(argv: list[str], repeat: int, prepare=None, stdin: bytes | None = None) -> float:
    times = []
    for _ in range(repeat):
        if prepare:
            prepare()
        times.append(timed(argv, stdin)[0])
    return statistics.median(times)


def peak_rss(argv: list[str]) -> int:
    """Peak RSS in KiB of one run, measured by a fresh wrapper process so earlier runs don't count."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True).stdout)


def paired(argv: list[str], floor_argv: list[str], repeat: int, prepare=None) -> tuple[float, float]:
    """Median seconds of a command and of the floor, run alternately so machine noise hits both alike."""
    times, floors = [], []
    for _ in range(repeat):
        floors.append(timed(floor_argv)[0])
        if prepare:
            prepare()
        times.append(timed(argv)[0])
    return statistics.median(times), statistics.median(floors)


def bench_size(size: int, repeat: int) -> list[tuple[str, float, str]]:
    path = build_store(size)
    floor_argv = [sys.executable, "-c", f"import gc, json; gc.disable(); json.load(open({str(path)!r}))"]
    rows = [("floor: json.load, gc off", median(floor_argv, repeat), "1.00x")]
    work = Path(tempfile.mkdtemp()) / "claims.json"

    def fresh_copy() -> None:
        shutil.copyfile(path, work)

    def no_cache() -> None:
        cache_path(path).unlink(missing_ok=True)

    def row(label: str, argv: list[str], prepare=None, times: int = repeat) -> None:
        seconds, floor = paired(argv, floor_argv, times, prepare)
        rows.append((label, seconds, f"{seconds / floor:.2f}x"))

    # Usual use: the parsed-store cache matches the file (the previous command made it).
    search = [NATOCLAIMS, "--db", str(path), "search", "--actor", "Rutte", "--format", "ids"]
    subprocess.run(search, stdout=subprocess.DEVNULL, check=True)
    row("search --actor X", search)
    row("search two words", [NATOCLAIMS, "--db", str(path), "search", "troops", "germany", "--format", "ids"])
    row("contradictions", [NATOCLAIMS, "--db", str(path), "contradictions", "--format", "ids"])
    row("repeats", [NATOCLAIMS, "--db", str(path), "repeats", "--format", "ids"])
    row("check", [NATOCLAIMS, "--db", str(path), "check"])
    add = [NATOCLAIMS, "--db", str(work), "add", "Allies pledged 5% of GDP", "--actor", "Mark Rutte",
           "--source", "https://nato.int/x"]
    def new_words() -> None:  # each add says something new: a claim identical to one stored is refused
        add[4] = f"Allies pledged 5% of GDP (take {next(TAKES)})"

    fresh_copy()
    subprocess.run(add, stdout=subprocess.DEVNULL, check=True)
    row("add", add, new_words)
    # The first command after the file changed outside natoclaims parses the JSON and caches it.
    row("search --actor X, no cache", search, no_cache)
    row("contradictions, no cache", [NATOCLAIMS, "--db", str(path), "contradictions", "--format", "ids"], no_cache)
    row("add, no cache", add, fresh_copy)
    exported = work.parent / "claims.jsonl"
    with open(exported, "wb") as out:
        subprocess.run([NATOCLAIMS, "--db", str(path), "export", "--format", "jsonl"], stdout=out, check=True)
    empty = work.parent / "empty.json"

    def empty_store() -> None:
        empty.unlink(missing_ok=True)
        Path(str(empty) + ".journal").unlink(missing_ok=True)
        subprocess.run([NATOCLAIMS, "--db", str(empty), "init", "--empty"], stderr=subprocess.DEVNULL, check=True)

    row(f"import {size:,} jsonl", [NATOCLAIMS, "--db", str(empty), "import", str(exported)], empty_store, max(1, repeat // 2))
    jq = shutil.which("jq")
    if jq:
        row("jq select actor", [jq, '.claims[] | select(.actor == "Mark Rutte") | .id', str(path)])
    size_kib = path.stat().st_size / 1024
    for label, prepare in (("search peak RSS", None), ("search peak RSS, no cache", no_cache)):
        if prepare:
            prepare()
        rss = peak_rss(search)
        rows.append((label, rss / 1024, f"{rss / size_kib:.2f}x file ({size_kib / 1024:.0f} MiB)"))
    return rows


def branch(path: Path, seed: int, changes: int, registry: bool = False) -> dict:
    """The store at `path` as one branch left it: `changes` claims edited (context, a topic, a review)
    and `changes // 2` claims added; with `registry`, also a source retitled (every claim's copy
    with it), another archived and a claim removed, as the commands do them."""
    import json

    rng = random.Random(seed)
    data = json.loads(path.read_bytes())
    stamp = f"2026-11-{seed % 28 + 1:02d}T12:00:00Z"
    for claim_id in rng.sample(sorted(data["claims"]), changes):
        claim = data["claims"][claim_id]
        field, new = rng.choice([("context", f"edited on branch {seed}"), ("topics", [*claim["topics"], "nato"])])
        claim["history"].append({"at": stamp, "by": f"branch{seed}", "field": field, "old": claim[field], "new": new,
                                 "note": None})
        claim[field], claim["updated_at"] = new, stamp
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


def bench_merge(size: int, repeat: int, changes: int = 300) -> list[tuple[str, float, str]]:
    """`merge-file` (git's driver) of two branches that each changed `changes` claims and added half as
    many; then the same with a source retitled, another archived and a claim removed on each side."""
    path = build_store(size)
    folder = Path(tempfile.mkdtemp())
    ours_file, theirs_file, work = folder / "ours.json", folder / "theirs.json", folder / "claims.json"
    floor_argv = [sys.executable, "-c", f"import gc, json; gc.disable(); json.load(open({str(path)!r}))"]

    def fresh_ours() -> None:
        shutil.copyfile(ours_file, work)
        Path(str(work) + ".conflicts").unlink(missing_ok=True)

    rows = []
    try:
        for registry in (False, True):
            ours_file.write_bytes(encode(branch(path, 1, changes, registry)))
            theirs_file.write_bytes(encode(branch(path, 2, changes, registry)))
            seconds, floor = paired([NATOCLAIMS, "merge-file", str(path), str(work), str(theirs_file)], floor_argv,
                                    repeat, fresh_ours)
            label = f"merge-file, {changes} changes + {changes // 2} new on each side"
            if registry:
                label += ", a source retitled, one archived, a claim removed"
            else:
                rows.append(("floor: json.load, gc off", floor, "1.00x"))
            rows.append((label, seconds, f"{seconds / floor:.2f}x"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # three copies of the store
    return rows


def bench_startup(repeat: int) -> list[tuple[str, float, str]]:
    bare = median([sys.executable, "-c", "pass"], repeat)
    rows = [("python -c pass", bare, "1.00x")]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "claims.json"
        subprocess.run([NATOCLAIMS, "--db", str(db), "init"], stderr=subprocess.DEVNULL, check=True)
        some_id = subprocess.run([NATOCLAIMS, "--db", str(db), "search", "--format", "ids"],
                                 capture_output=True, text=True).stdout.split()[0]
        for label, args in [("--version", ["--version"]), ("--help", ["--help"]),
                            ("search --actor X --format ids", ["search", "--actor", "Trump", "--format", "ids"]),
                            ("show ID", ["show", some_id]),
                            ("add", ["add", "A claim", "--actor", "Trump", "--source", "https://a.org"])]:
            argv = [NATOCLAIMS, "--db", str(db), *args]

            def new_words(argv: list[str] = argv) -> None:  # an identical claim would be refused
                if argv[3] == "add":
                    argv[4] = f"A claim, take {next(TAKES)}"

            seconds = median(argv, repeat, new_words)
            rows.append((label, seconds, f"{seconds / bare:.2f}x"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--merge-only", action="store_true", help="Only the merge driver (merge-file) case.")
    args = parser.parse_args()
    print("| store | command | median | ratio |\n|---|---|---|---|")
    if args.merge_only:
        for size in map(int, args.sizes.split(",")):
            for label, seconds, ratio in bench_merge(size, args.repeat):
                print(f"| {size:,} | {label} | {seconds * 1000:.0f} ms | {ratio} |")
        return
    for label, seconds, ratio in bench_startup(args.repeat):
        print(f"| bundled | {label} | {seconds * 1000:.0f} ms | {ratio} |")
    for size in map(int, args.sizes.split(",")):
        for label, value, ratio in bench_size(size, args.repeat):
            figure = f"{value:.0f} MiB" if "RSS" in label else f"{value * 1000:.0f} ms"
            sys.stdout.write(f"| {size:,} | {label} | {figure} | {ratio} |\n")
            sys.stdout.flush()
        for label, seconds, ratio in bench_merge(size, args.repeat):
            print(f"| {size:,} | {label} | {seconds * 1000:.0f} ms | {ratio} |")


if __name__ == "__main__":
    main()
