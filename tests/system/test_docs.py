"""The docs replayed: every ```console block of README.md and of each page in docs/, and the CLI reference.

Each page (README.md, docs/*.md but the generated cli-reference.md) runs top to bottom in one bash
session of its own on a fresh store. How a block is read, so that any section's examples run here too:
- a line starting with `$ ` is a command; a command ending in `\\` goes on over the next line, and
  one with a here-document (`<<'EOF'`) takes the lines up to its terminator;
- the lines after a command, up to the next command or the end of the block, are its output
  (stdout and stderr together, as a terminal shows them);
- `...` in the output stands for any text (a whole line of it: any number of lines, none too), as in doctest;
  `$?` in a command is the exit status of the command before it;
- commands starting with `pip install` are set-up, skipped;
- an HTML comment right before a block that starts with `not replayed` skips the block
  (`<!-- not replayed: needs network -->`).

The session: HOME in a temporary folder (shown as `~`; no XDG variables), in a folder of its own
(files the examples write land there, shown without their folder), the user's store made from the
bundled dataset before the first block, NATOCLAIMS_USER=ana, COLUMNS=100 (tables off a terminal have no
boxes), no colour, and today's date shown as the docs' (2026-11-23). Run this file as a script
(`python tests/system/test_docs.py [--write] [PAGE...]`) to print what each command gives; `--write`
puts what it gives in place of every output shown that it does not match (put `...` back where ids differ).

docs/cli-reference.md is every command's `--help`, written by `python docs/build_reference.py`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS_DAY = "2026-11-23"  # the day the docs' outputs were made
HEREDOC_RE = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "cli-reference.md")]


@dataclass
class Example:
    line: int  # where the command starts in its page
    command: str
    expected: str
    output_line: int = 0  # where its output starts (0-based), for --write


def examples(page: str) -> list[Example]:
    """Every command of every replayed ```console block, with the output the page shows."""
    found: list[Example] = []
    lines = page.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        previous = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        skipped = previous.startswith("<!--") and previous[4:].strip().startswith("not replayed")
        index += 1
        block: list[Example] = []
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            if line.startswith("$ "):
                start, command = index + 1, [line[2:]]
                while command[-1].endswith("\\") and index + 1 < len(lines):
                    index += 1
                    command.append(lines[index])
                heredoc = HEREDOC_RE.search(command[0])
                if heredoc:
                    while index + 1 < len(lines) and lines[index].strip() != heredoc.group(1):
                        index += 1
                        command.append(lines[index])
                block.append(Example(start, "\n".join(command), "", index + 1))
            elif block:
                block[-1].expected += line + "\n"
            index += 1
        if not skipped:
            found += [e for e in block if not e.command.startswith("pip install")]
        index += 1
    return found


def replay(commands: list[str], folder: Path) -> list[str]:
    """Run the commands in order in one bash session; what each printed (stdout and stderr)."""
    marker = f"@@docs-{secrets.token_hex(8)}@@"
    # the marker's echo must not clobber $?: each command sees the exit status of the one before it
    script = "".join(f"status=$?; echo {marker}; (exit $status)\n{{\n{command}\n}} 2>&1\n" for command in commands)
    work = folder / "work"
    work.mkdir(exist_ok=True)
    home = folder / "home"
    env = {**os.environ, "HOME": str(home), "NATOCLAIMS_USER": "ana", "COLUMNS": "100", "NO_COLOR": "1",
           "LC_ALL": "C.UTF-8", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "NATOCLAIMS_DB", "NATOCLAIMS_DEBUG", "FORCE_COLOR", "PAGER",
                 "NATOCLAIMS_PAGER"):
        env.pop(name, None)
    subprocess.run(["natoclaims", "init"], env=env, cwd=work, check=True, capture_output=True)
    proc = subprocess.run(["bash", "--noprofile", "--norc"], input=script, env=env, cwd=work, capture_output=True,
                          text=True, timeout=600)
    outputs = proc.stdout.split(marker + "\n")[1:]
    today = datetime.now(UTC).date().isoformat()
    return [o.replace(str(work) + os.sep, "").replace(str(home), "~").replace(today, DOCS_DAY) for o in outputs]


def replay_page(page: Path, folder: Path) -> list[tuple[Example, str]]:
    """A page's examples, each with what its command printed, on a fresh store in a folder of the page's own."""
    found = examples(page.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    outputs = replay([e.command for e in found], folder) if found else []
    assert len(outputs) == len(found), f"{page.name}: the session stopped early: {outputs[-1:]}"
    return list(zip(found, outputs, strict=True))


def matches(expected: str, actual: str) -> bool:
    """Whether the output is what the page shows, `...` standing for any text (spaces at line ends aside)."""
    pattern = "".join(
        "(?:.*\n)?" if line == "...\n" else  # a whole line of it: any number of lines, none too
        "".join(".*" if part == "..." else re.escape(part) for part in re.split(r"(\.\.\.)", line))
        for line in expected.splitlines(keepends=True))
    return re.fullmatch(pattern, trimmed(actual), re.DOTALL) is not None


def trimmed(output: str) -> str:
    """Output without the spaces at line ends that tables pad with (editors strip them from the pages)."""
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Example, str]]]:
    """Every page replayed, two sessions at a time (each page is one bash session, run in order)."""
    assert shutil.which("jq"), "the docs' pipelines use jq"
    folder = tmp_path_factory.mktemp("docs")
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda page: replay_page(page, folder / page.stem), PAGES)
        return {page.name: result for page, result in zip(PAGES, done, strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("page", [page.name for page in PAGES])
def test_the_examples_give_the_output_shown(page: str, replayed: dict[str, list[tuple[Example, str]]]) -> None:
    for example, actual in replayed[page]:
        assert matches(example.expected, actual), (
            f"{page} line {example.line}: $ {example.command}\n--- {page} shows:\n{example.expected}"
            f"--- it prints:\n{actual}")


def test_the_docs_have_their_pages_and_examples() -> None:
    names = {"capture.md", "verify.md", "find.md", "contradictions-and-repeats.md", "team.md", "claimreview.md",
             "library.md", "safety.md", "speed.md", "architecture.md", "cli-reference.md"}
    assert names <= {p.name for p in (ROOT / "docs").glob("*.md")}
    assert sum(len(examples(page.read_text(encoding="utf-8"))) for page in PAGES) > 100
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 160, "README.md is for a new user: the manual goes in docs/"
    for name in names:
        assert f"(docs/{name})" in readme, f"README.md links to docs/{name}"


@pytest.mark.slow
def test_the_cli_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("build_reference", ROOT / "docs" / "build_reference.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    current = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert current == build.reference(), "docs/cli-reference.md is not current: run `python docs/build_reference.py`"
    for command in ("natoclaims add", "natoclaims source archive", "natoclaims git setup", "natoclaims resolve"):
        assert f"\n## {command}\n" in current or f"\n### {command}\n" in current


def test_the_links_between_pages_lead_somewhere() -> None:
    for page in [*PAGES, ROOT / "docs" / "cli-reference.md"]:
        for target, anchor in re.findall(r"\]\(([^)#:\s]*\.md)?(?:#([^)\s]+))?\)", page.read_text(encoding="utf-8")):
            linked = (page.parent / target).resolve() if target else page
            assert linked.is_file(), f"{page.name} links to {target}, which is not there"
            if anchor:
                headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
                slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
                assert anchor in slugs, f"{page.name} links to {target}#{anchor}, a heading that is not there"


def test_the_block_reader_follows_the_conventions() -> None:
    page = ("text\n```console\n$ pip install .\n$ echo a \\\n  b\na b\n$ cat > f <<'EOF'\nx\nEOF\n$ cat f\n...\n```\n"
            "<!-- not replayed: needs network -->\n```console\n$ curl x\n```\n")
    found = examples(page)
    assert [e.command for e in found] == ["echo a \\\n  b", "cat > f <<'EOF'\nx\nEOF", "cat f"]
    assert [e.expected for e in found] == ["a b\n", "", "...\n"]
    assert [e.output_line for e in found] == [5, 9, 10]
    assert matches("one ... three\n...\n", "one two three\nfour\nfive\n")
    assert not matches("one\n", "two\n")
    assert matches("one\n...\ntwo\n", "one\ntwo\n")  # a line of `...` may stand for no line at all


def main(arguments: list[str]) -> None:
    """Print what each command of the pages named (else all) gives; with --write, put it in the page."""
    write = "--write" in arguments
    named = [a for a in arguments if a != "--write"]
    pages = [p for p in PAGES if not named or p.name in named or str(p) in named or p.stem in named]
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            lines = page.read_text(encoding="utf-8").splitlines()
            results = replay_page(page, Path(folder) / page.stem)
            for example, actual in results:
                mark = "ok " if matches(example.expected, actual) else "XX "
                print(f"{mark}{page.name} line {example.line}: $ {example.command}\n{actual}", end="")
            for example, actual in reversed(results):
                if write and not matches(example.expected, actual):
                    count = len(example.expected.splitlines())
                    lines[example.output_line:example.output_line + count] = trimmed(actual).splitlines()
            if write:
                page.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
