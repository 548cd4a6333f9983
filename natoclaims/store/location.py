"""Which store a command uses (SPEC section 2): the one given, $NATOCLAIMS_DB, the one `git setup`
registered nearest above the working folder (read from `.gitattributes`, as git reads it), or the
user's data file; and the `.gitattributes` pattern that names a store."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from natoclaims.errors import StoreError
from natoclaims.paths import default_store
from natoclaims.store.files import read_owned  # the one way to open what natoclaims did not write itself

MERGE_DRIVER = "natoclaims"  # the merge driver's name in .gitattributes and git config
GIT_FILE_LIMIT = 1 << 20  # bytes read at most from a .gitattributes or .gitignore
StoreOrigin = Literal["given", "environment", "registered", "personal"]


def store_file(given: str | os.PathLike[str] | None = None) -> Path:
    """Which store: the one given (`--db`), else $NATOCLAIMS_DB, else the nearest one `git setup`
    registered, else the user's data file."""
    return find_store(given)[0]


def find_store(given: str | os.PathLike[str] | None = None) -> tuple[Path, StoreOrigin]:
    """Which store, and what named it (SPEC section 2): as git finds its repository, the store
    registered nearest above the working folder comes before the user's data file."""
    if given is not None:
        return Path(given), "given"
    if os.environ.get("NATOCLAIMS_DB"):
        return Path(os.environ["NATOCLAIMS_DB"]), "environment"
    try:
        registered = registered_store(Path.cwd())
    except FileNotFoundError:  # the working folder was deleted
        registered = None
    return (registered, "registered") if registered is not None else (default_store(), "personal")


def registered_store(folder: Path) -> Path | None:
    """The store `git setup` registered nearest above `folder` (its own folder or one above it) in
    the `.gitattributes` files of one git work tree, if any."""
    above = [folder, *folder.parents]
    top = next((i for i, f in enumerate(above) if os.path.lexists(f / ".git")), None)
    if top is None:
        return None
    within = above[:top + 1]
    stores = {store for attributes in within for store in _registered_in(attributes)}
    for candidate in within:
        here = sorted(store for store in stores if store.parent == candidate)
        if len(here) > 1:
            raise StoreError(f"{candidate}: {len(here)} stores are registered here ({', '.join(s.name for s in here)}); "
                             "name one with NATOCLAIMS_DB")
        if here:
            return here[0]
    return None


def _registered_in(folder: Path) -> list[Path]:
    """The stores a `.gitattributes` in `folder` hands to natoclaims; one that is a symbolic link,
    not this user's, too large or not text is skipped, as git skips a symlinked one."""
    try:
        raw = read_owned(folder / ".gitattributes", ".gitattributes", limit=GIT_FILE_LIMIT)
        text = raw.decode("utf-8") if raw else ""
    except (StoreError, UnicodeDecodeError):
        return []
    stores = []
    for line in text.splitlines():
        parsed = _parse_attributes_line(line)
        if parsed and f"merge={MERGE_DRIVER}" in parsed[1] and parsed[0]:
            stores.append(folder / parsed[0])
    return stores


def attributes_pattern(relative: str) -> str:
    """The `.gitattributes` pattern that matches exactly this path of the work tree (anchored at its
    top, glob characters escaped, C-quoted when it holds blanks or quotes); a path git cannot name
    in a pattern line (a newline, a control character) is refused."""
    if any(ord(c) < 32 and c != "\t" or c == "\x7f" for c in relative):
        raise StoreError(f"{relative!r}: git cannot name a file with a control character in .gitattributes; "
                         "rename the store")
    pattern = "/" + re.sub(r"([\\*?\[])", r"\\\1", relative)
    if not re.search(r'[ \t"]', pattern):
        return pattern
    return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def _parse_attributes_line(line: str) -> tuple[str, list[str]] | None:
    """A `.gitattributes` line as (the path in the work tree its pattern names, "" unless it is one
    anchored literal path; its attributes); None for a blank line, a comment or a pattern git would not read."""
    line = line.strip(" \t\r")
    if not line or line.startswith("#"):
        return None
    if line.startswith('"'):
        quoted = re.match(r'"((?:[^"\\]|\\.)*)"', line)
        if quoted is None:
            return None
        try:
            pattern = re.sub(rb"\\(?:([0-7]{3})|(.))", _unquote, quoted.group(1).encode()).decode()
        except UnicodeDecodeError:
            return None
        rest = line[quoted.end():]
    else:
        pattern, rest = [*re.split(r"[ \t]+", line, maxsplit=1), ""][:2]
    return _literal(pattern), rest.split()


def _unquote(escape: re.Match[bytes]) -> bytes:
    """One C-style escape of a quoted pattern, as git reads it (octal escapes are bytes of UTF-8)."""
    if escape.group(1):
        return bytes([int(escape.group(1), 8) & 0xFF])
    return {b"t": b"\t", b"n": b"\n", b"a": b"\a", b"b": b"\b", b"f": b"\f", b"r": b"\r", b"v": b"\v"}.get(
        escape.group(2), escape.group(2))


def _literal(pattern: str) -> str:
    """The path an anchored pattern without wildcards names (its escapes undone), else ""."""
    if not pattern.startswith("/"):
        return ""
    parts = []
    for token in re.finditer(r"\\(.)|([*?\[])|(.)", pattern[1:], re.DOTALL):
        if token.group(2):
            return ""
        parts.append(token.group(1) or token.group(3))
    path = "".join(parts)
    return path if all(step not in ("", ".", "..") for step in path.split("/")) else ""
