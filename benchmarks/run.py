"""Time whole natoclaims commands on synthetic stores of 10k, 100k and 1M claims (SPEC sections 7 and 15).

    python benchmarks/run.py [--sizes 10000,100000] [--repeat 5] [--rows search-actor,show,...]
    python benchmarks/run.py --sizes 1000000 --repeat 3          # the 1M column alone
    python benchmarks/run.py --sizes 1000000 --build-only        # build (and cache) the 1M store
    python benchmarks/run.py --list-rows

Whatever `natoclaims` is first on PATH is measured, each command in a fresh process; a figure is
the median wall time of --repeat runs, each read warmed by one untimed run first (the cold first
read, with every cache and index deleted, is its own row). The ratio is to the parse floor measured
in the same run on the same file: the same Python parsing it with the GC off (SPEC section 7), one
floor run before each row so machine noise hits both alike. Peak RSS is the child's own ru_maxrss.
Stores are built deterministically (seeded) into benchmarks/stores/ (not in git) and reused; each
size is measured on a copy in a temporary folder, with its own $XDG_CACHE_HOME.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synthetic import branch, edit_text, first_claim_id, pulled, write_store
from timing import Cell, Failed, Run, run

from natoclaims.store import encode

# An installed package has its bytecode compiled; don't let a PYTHONDONTWRITEBYTECODE setting
# make every timed run recompile the sources.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
HERE = Path(__file__).resolve().parent
STORES = HERE / "stores"
NATOCLAIMS = shutil.which("natoclaims") or "natoclaims"
TAKES = itertools.count()  # numbers the words of each timed `add`: an identical claim is refused
ROWS = {  # key: label, in the order of the table
    "first-read": "first read (builds index): `search --actor X --format ids`",
    "search-actor": "`search --actor X --format ids`",
    "search-words": "`search` two words `--format ids`",
    "show": "`show ID`",
    "stats": "`stats`",
    "contradictions": "`contradictions --format ids`",
    "repeats": "`repeats --format ids`",
    "check": "`check`",
    "external-edit": "read after an external edit (`search --actor X`)",
    "pull": "first read after a `git pull` of 300 changed claims",
    "add": "`add`",
    "import": "`import` of N claims (JSON Lines, empty store)",
    "jq": "`jq` selecting the same actor",
    "merge": "`merge-file`",
    "startup": "start-up on the bundled dataset (its own table)",
}
HEAVY = {"merge", "jq"}  # parse the whole store in this process or in jq: only at 1M when named in --rows
BIG = 1_000_000


@dataclass(frozen=True)
class Settings:
    repeat: int = 5  # timed runs per row
    timeout: float = 1800.0  # seconds before a command is killed
    stores: Path = STORES  # where built stores are kept


def build_store(size: int, stores: Path) -> Path:
    """The deterministic store of `size` claims (built once in `stores`, then reused)."""
    path = stores / f"claims-{size}-schema2.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        write_store(path, size)
        print(f"built {path.name}: {time.perf_counter() - start:.1f} s, {path.stat().st_size / 2**20:,.0f} MiB, "
              f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
              file=sys.stderr)
    return path


class Bench:
    """The rows of one store size, on a copy of the store with its own cache folder."""

    def __init__(self, size: int, settings: Settings) -> None:
        self.size, self.repeat, self.timeout = size, settings.repeat, settings.timeout
        self.source = build_store(size, settings.stores)
        self.folder = Path(tempfile.mkdtemp(prefix=f"natoclaims-bench-{size}-"))
        self.store = self.folder / "store" / "claims.json"
        self.store.parent.mkdir()
        shutil.copyfile(self.source, self.store)
        self.env = {**os.environ, "XDG_CACHE_HOME": str(self.folder / "cache")}
        self.floor_argv = [sys.executable, "-c", f"import gc, json; gc.disable(); json.load(open({str(self.store)!r}))"]
        self.floors: list[Run] = []
        self.cells: dict[str, Cell] = {}
        self.raw = self.store.read_bytes()
        self.some_id = first_claim_id(self.raw)

    def cli(self, *args: str, db: Path | None = None) -> list[str]:
        return [NATOCLAIMS, "--db", str(db or self.store), *args]

    def forget(self) -> None:
        """Delete every cache and index of the store (its journal and lock stay)."""
        shutil.rmtree(self.folder / "cache", ignore_errors=True)
        for path in self.store.parent.iterdir():
            if path != self.store and not path.name.endswith((".journal", ".lock")):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def rewrite(self, content: bytes, *, in_place: bool) -> None:
        """The store file changed outside natoclaims: an editor writes in place, git writes a new file."""
        if in_place:
            with open(self.store, "r+b") as out:
                out.write(content)
                out.truncate()
        else:
            temporary = self.store.with_name("pulled.tmp")
            temporary.write_bytes(content)
            os.replace(temporary, self.store)

    def row(self, key: str, argv: list[str], *, prepare: Callable[[], None] | None = None, warm: bool = True,
            times: int | None = None) -> None:
        """Time `argv`: one untimed run if `warm`, then the median of `times` runs, each after `prepare`."""
        cell = self.cells.setdefault(key, Cell())
        try:
            self.floors.append(run(self.floor_argv, timeout=self.timeout))
            if warm:
                run(argv, self.env, self.timeout)
            for _ in range(times or self.repeat):
                if prepare:
                    prepare()
                cell.runs.append(run(argv, self.env, self.timeout))
        except Failed as failure:
            cell.note = str(failure)
        report = cell.note or f"{cell.ms():,.0f} ms, {cell.rss_mib():,.0f} MiB"
        print(f"{self.size:>9,} {ROWS[key]}: {report}", file=sys.stderr, flush=True)

    def reads(self, rows: set[str]) -> None:
        search = self.cli("search", "--actor", "Rutte", "--format", "ids")
        if "first-read" in rows:
            self.row("first-read", search, prepare=self.forget, warm=False)
        for key, args in [("search-actor", ["search", "--actor", "Rutte", "--format", "ids"]),
                          ("search-words", ["search", "troops", "germany", "--format", "ids"]),
                          ("show", ["show", self.some_id]), ("stats", ["stats"]),
                          ("contradictions", ["contradictions", "--format", "ids"]),
                          ("repeats", ["repeats", "--format", "ids"]), ("check", ["check"])]:
            if key in rows:
                self.row(key, self.cli(*args))
        if "external-edit" in rows:
            run(search, self.env, self.timeout)  # the index (or cache) matches the file before each edit
            self.row("external-edit", search, warm=False,
                     prepare=lambda: self.rewrite(edit_text(self.raw, self.some_id), in_place=True))
        if "pull" in rows:
            after = pulled(self.raw, 1, 300)

            def pull() -> None:
                self.rewrite(self.raw, in_place=False)
                run(search, self.env, self.timeout)  # up to date with the branch before the pull
                self.rewrite(after, in_place=False)

            self.row("pull", search, prepare=pull, warm=False)
            del after
        if rows & {"external-edit", "pull"}:
            self.rewrite(self.raw, in_place=False)

    def add(self) -> None:
        argv = self.cli("add", "Allies pledged 5% of GDP", "--actor", "Mark Rutte", "--source", "https://nato.int/x")

        def new_words() -> None:
            argv[4] = f"Allies pledged 5% of GDP (take {next(TAKES)})"

        new_words()
        self.row("add", argv, prepare=new_words)

    def import_(self) -> None:
        exported = self.folder / "claims.jsonl"
        empty = self.folder / "empty" / "claims.json"
        with open(exported, "wb") as out:
            subprocess.run(self.cli("export", "--format", "jsonl"), stdout=out, env=self.env, check=True)

        def empty_store() -> None:
            shutil.rmtree(empty.parent, ignore_errors=True)
            empty.parent.mkdir()
            run(self.cli("init", "--empty", db=empty), self.env, self.timeout)

        self.row("import", self.cli("import", str(exported), db=empty), prepare=empty_store, warm=False,
                 times=max(1, self.repeat // 2))
        exported.unlink()

    def jq(self) -> None:
        jq = shutil.which("jq")
        if jq:
            self.row("jq", [jq, '.claims[] | select(.actor == "Mark Rutte") | .id', str(self.store)], warm=False)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def bench_merge(size: int, settings: Settings, changes: int = 300) -> list[tuple[str, Cell, float]]:
    """`merge-file` (git's driver) of two branches that each changed `changes` claims and added half as
    many; then the same with a source retitled, another archived and a claim removed on each side.
    Each is timed alternately with the parse floor: (label, cell, median floor ms)."""
    path, timeout = build_store(size, settings.stores), settings.timeout
    folder = Path(tempfile.mkdtemp(prefix="natoclaims-merge-"))
    ours_file, theirs_file, work = folder / "ours.json", folder / "theirs.json", folder / "claims.json"
    floor_argv = [sys.executable, "-c", f"import gc, json; gc.disable(); json.load(open({str(path)!r}))"]
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
    rows = []
    try:
        for registry in (False, True):
            ours_file.write_bytes(encode(branch(path, 1, changes, registry)))
            theirs_file.write_bytes(encode(branch(path, 2, changes, registry)))
            cell, floors = Cell(), []
            try:
                for _ in range(settings.repeat):
                    floors.append(run(floor_argv, timeout=timeout).seconds)
                    shutil.copyfile(ours_file, work)
                    Path(str(work) + ".conflicts").unlink(missing_ok=True)
                    cell.runs.append(run([NATOCLAIMS, "merge-file", str(path), str(work), str(theirs_file)], env, timeout))
            except Failed as failure:
                cell.note = str(failure)
            label = f"`merge-file`, {changes} changes + {changes // 2} new on each side"
            if registry:
                label += ", a source retitled, one archived, a claim removed"
            rows.append((label, cell, statistics.median(floors) * 1000 if floors else 0.0))
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # three copies of the store
    return rows


def bench_startup(settings: Settings) -> list[tuple[str, float, float]]:
    """Start-up on the bundled dataset: (label, median ms, x `python -c pass`)."""
    bare = python_pass(settings.repeat)
    rows = [("`python -c pass`", bare, 1.0)]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "claims.json"
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(folder) / "cache")}
        subprocess.run([NATOCLAIMS, "--db", str(db), "init"], stderr=subprocess.DEVNULL, env=env, check=True)
        some_id = subprocess.run([NATOCLAIMS, "--db", str(db), "search", "--format", "ids"], env=env,
                                 capture_output=True, text=True).stdout.split()[0]
        for label, args in [("`--version`", ["--version"]), ("`--help`", ["--help"]),
                            ("`search --actor X --format ids`", ["search", "--actor", "Trump", "--format", "ids"]),
                            ("`show ID`", ["show", some_id]),
                            ("`add`", ["add", "A claim", "--actor", "Trump", "--source", "https://a.org"])]:
            argv = [NATOCLAIMS, "--db", str(db), *args]
            times = []
            for number in range(settings.repeat + 1):  # the first run warms (and is not counted)
                if args[0] == "add":
                    argv[4] = f"A claim, take {next(TAKES)}"
                seconds = run(argv, env, settings.timeout).seconds
                if number:
                    times.append(seconds)
            ms = statistics.median(times) * 1000
            rows.append((label, ms, ms / bare))
    return rows


def figure(cell: Cell, floor_ms: float) -> str:
    if cell.note:
        return cell.note
    return f"{cell.ms():,.0f} ms ({cell.ms() / floor_ms:.2f}x)"


def table(columns: list[tuple[str, dict[str, str]]]) -> str:
    """Rows = labels in first-seen order, columns = sizes."""
    labels = list(dict.fromkeys(label for _, cells in columns for label in cells))
    lines = ["| | " + " | ".join(title for title, _ in columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(cells.get(label, "") for _, cells in columns) + " |")
    return "\n".join(lines)


def python_pass(repeat: int) -> float:
    """The start-up floor: median ms of a bare `python -c pass`."""
    return statistics.median(run([sys.executable, "-c", "pass"]).seconds for _ in range(repeat)) * 1000


def bench_size(size: int, rows: set[str], settings: Settings) -> tuple[str, dict[str, str]]:
    """One column of the table: every selected row at one size."""
    title = f"{size:,} claims ({build_store(size, settings.stores).stat().st_size / 2**20:,.0f} MiB)"
    if rows == {"merge"}:
        return title, merge_cells(size, settings)
    bench = Bench(size, settings)
    bare = python_pass(settings.repeat)
    try:
        bench.reads(rows)
        if "add" in rows:
            bench.add()
        if "import" in rows:
            bench.import_()
        if "jq" in rows:
            bench.jq()
        while len(bench.floors) < settings.repeat:
            bench.floors.append(run(bench.floor_argv, timeout=settings.timeout))
    finally:
        bench.close()
    floor = statistics.median(run.seconds for run in bench.floors) * 1000
    cells = {"`python -c pass`": f"{bare:,.0f} ms",
             "parse floor: `json.load`, GC off": f"{floor:,.0f} ms (1.00x)"}
    for key in ROWS:
        if key in bench.cells:
            cells[ROWS[key]] = figure(bench.cells[key], floor)
    rss = {"first-read": "first read", "search-actor": "`search --actor X`", "show": "`show ID`", "import": "`import`"}
    cells["peak RSS: parse floor"] = f"{max(run.rss_kib for run in bench.floors) / 1024:,.0f} MiB"
    for key, what in rss.items():
        cell = bench.cells.get(key)
        if cell:
            cells[f"peak RSS: {what}"] = cell.note or f"{cell.rss_mib():,.0f} MiB"
    if "merge" in rows:
        cells.update(merge_cells(size, settings))
    return title, cells


def merge_cells(size: int, settings: Settings) -> dict[str, str]:
    return {label + " (x its own floor)": figure(cell, merge_floor) if merge_floor else cell.note
            for label, cell, merge_floor in bench_merge(size, settings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Comma-separated store sizes (e.g. 10000,100000,1000000).")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per row (the median is reported).")
    parser.add_argument("--rows", default="all", help="Comma-separated row keys (see --list-rows), or 'all'. "
                        "At 1M, 'all' leaves out merge and jq (they parse the whole store) and import (see --import-1m).")
    parser.add_argument("--import-1m", action="store_true", help="Also time `import` at sizes of 1M and more (long).")
    parser.add_argument("--merge-only", action="store_true", help="Only the merge driver (merge-file) rows.")
    parser.add_argument("--build-only", action="store_true", help="Build (or find) the stores and stop.")
    parser.add_argument("--timeout", type=float, default=1800.0, help="Seconds before a command is killed [1800].")
    parser.add_argument("--stores", type=Path, default=STORES, help="Where built stores are kept [benchmarks/stores].")
    parser.add_argument("--list-rows", action="store_true", help="List the row keys and stop.")
    args = parser.parse_args()
    if args.list_rows:
        for key, label in ROWS.items():
            print(f"{key:15} {label}")
        return
    settings = Settings(args.repeat, args.timeout, args.stores)
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.build_only:
        for size in sizes:
            print(build_store(size, settings.stores))
        return
    chosen = set(ROWS) if args.rows == "all" else set(args.rows.split(","))
    if args.merge_only:
        chosen = {"merge"}
    unknown = chosen - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))} (see --list-rows)")
    print(f"natoclaims: {NATOCLAIMS}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if "startup" in chosen:
        startup = bench_startup(settings)
        print("| bundled dataset | median | x `python -c pass` |\n|---|---|---|")
        for label, ms, ratio in startup:
            print(f"| {label} | {ms:,.0f} ms | {ratio:.2f}x |")
        print(flush=True)
    columns = []
    for size in sizes:
        rows = set(chosen) - {"startup"}
        if size >= BIG and args.rows == "all" and not args.merge_only:
            rows -= HEAVY
        if size >= BIG and not args.import_1m:
            rows.discard("import")
        if rows:
            columns.append(bench_size(size, rows, settings))
    if columns:
        print(f"Medians of {args.repeat} fresh processes; (x) is the ratio to the parse floor measured in the same run.")
        print(table(columns))


if __name__ == "__main__":
    main()
