"""The README replayed: every ```console block, top to bottom, in one bash session on a fresh store.

How a block is read, so that any section's examples run here too:
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
boxes), no colour, and today's date shown as the README's (2026-11-23). Run this file as a script
(`python tests/system/test_readme.py`) to print what each command gives, to update the README.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_DAY = "2026-11-23"  # the day the README's outputs were made
HEREDOC_RE = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")


@dataclass
class Example:
    line: int  # where the command starts in README.md
    command: str
    expected: str


def examples(readme: str) -> list[Example]:
    """Every command of every replayed ```console block, with the output the README shows."""
    found: list[Example] = []
    lines = readme.splitlines()
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
                block.append(Example(start, "\n".join(command), ""))
            elif block:
                block[-1].expected += line + "\n"
            index += 1
        if not skipped:
            found += [e for e in block if not e.command.startswith("pip install")]
        index += 1
    return found


def replay(commands: list[str], folder: Path) -> list[str]:
    """Run the commands in order in one bash session; what each printed (stdout and stderr)."""
    marker = f"@@readme-{secrets.token_hex(8)}@@"
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
    return [o.replace(str(work) + os.sep, "").replace(str(home), "~").replace(today, README_DAY) for o in outputs]


def matches(expected: str, actual: str) -> bool:
    """Whether the output is what the README shows, `...` standing for any text (spaces at line ends aside)."""
    pattern = "".join(
        "(?:.*\n)?" if line == "...\n" else  # a whole line of it: any number of lines, none too
        "".join(".*" if part == "..." else re.escape(part) for part in re.split(r"(\.\.\.)", line))
        for line in expected.splitlines(keepends=True))
    return re.fullmatch(pattern, trimmed(actual), re.DOTALL) is not None


def trimmed(output: str) -> str:
    """Output without the spaces at line ends that tables pad with (editors strip them from the README)."""
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


@pytest.mark.slow
def test_readme_examples_give_the_output_shown(tmp_path: Path) -> None:
    assert shutil.which("jq"), "the README's pipelines use jq"
    found = examples((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) > 20
    outputs = replay([e.command for e in found], tmp_path)
    assert len(outputs) == len(found), outputs[-1:]
    for example, actual in zip(found, outputs, strict=True):
        assert matches(example.expected, actual), (
            f"README.md line {example.line}: $ {example.command}\n--- README shows:\n{example.expected}"
            f"--- it prints:\n{actual}")


def test_the_block_reader_follows_the_conventions() -> None:
    readme = ("text\n```console\n$ pip install .\n$ echo a \\\n  b\na b\n$ cat > f <<'EOF'\nx\nEOF\n$ cat f\n...\n```\n"
              "<!-- not replayed: needs network -->\n```console\n$ curl x\n```\n")
    found = examples(readme)
    assert [e.command for e in found] == ["echo a \\\n  b", "cat > f <<'EOF'\nx\nEOF", "cat f"]
    assert [e.expected for e in found] == ["a b\n", "", "...\n"]
    assert matches("one ... three\n...\n", "one two three\nfour\nfive\n")
    assert not matches("one\n", "two\n")
    assert matches("one\n...\ntwo\n", "one\ntwo\n")  # a line of `...` may stand for no line at all


if __name__ == "__main__":
    found = examples((ROOT / "README.md").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        for example, actual in zip(found, replay([e.command for e in found], Path(folder)), strict=False):
            mark = "ok " if matches(example.expected, actual) else "XX "
            print(f"{mark}line {example.line}: $ {example.command}\n{actual}", end="")
