"""The library's errors in the command line's words.

The library names its functions' arguments ("2 measures for 3 quantities", "force=True"); the
command line names its options ("2 --measure options for 3 --quantity options", "--force"). An
error that speaks of arguments says which mistake it is (`about`) and the values it was worded
from (`facts`); here each such mistake is worded again with the options, exactly as the command
line has always said it. The error ladder of `application` words every error through `in_flags`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from natoclaims.errors import NatoclaimsError
from natoclaims.render import counted

OLDER = "use 'undo --id' for an older change set"


# The library's arguments that are dates, as the options that give them.
DATE_OPTIONS = {"since": "--since", "until": "--until", "as_of": "--as-of"}


def _argument_date(message: str, phrase: str, argument: str) -> str:
    """A date error with the option in place of the argument: the phrase comes before the date given."""
    return message.replace(phrase, f"{DATE_OPTIONS.get(argument, argument)} date", 1)


def _already_undone(change: str, undone_by: str | None) -> str:
    return f"change set {change} is already undone" + (
        f" (by {undone_by}; 'undo --id {undone_by}' re-applies it)" if undone_by else "")


FLAG_WORDING: dict[str, Callable[..., str]] = {
    "measures-count": lambda measures, quantities: f"{measures} --measure options for {quantities} --quantity options",
    "measures-without-quantities": lambda figures: f"--measure needs --quantity: the text states {figures} figures, not one",
    "no-figures": lambda claim: f"claim {claim} states no figures: give them with --quantity",
    "measures-per-figure": lambda measures, figures, claim: (
        f"{measures} --measure options for the {counted(figures, 'figure')} of claim {claim}: "
        "give one for all or one per figure"),
    "no-source": lambda: "a claim needs a source: --source URL or --source-title TITLE",
    "within": lambda within: f"--within takes a number of days, 0 or more, not {within}",
    "min-count": lambda min_count: f"--min must be 1 or more, not {min_count}",
    "keep": lambda keep: "--keep must be 0 or more",
    "undo-unrecorded": lambda unrecorded: (f"cannot undo: {unrecorded}, so undo would skip it; "
                                           f"make the journal writable again, or {OLDER}"),
    "undo-gap": lambda unrecorded, given: (f"cannot undo: {unrecorded}, so undo cannot revert it"
                                           + ("" if given else f"; {OLDER}")),
    "already-undone": _already_undone,
    "store-exists": lambda path: f"{path}: a store already exists here (use --force to replace it)",
    "argument-date": _argument_date,
    "same-claim": lambda claim, actor: (f"claim {claim} by {actor} already says this on the same date; "
                                        f"to record another appearance: natoclaims edit {claim} --add-source URL"),
    "actor-has-claims": lambda actor, claims, shown: (
        f"{actor!r} is the actor of {counted(claims, 'claim')} ({shown}); to move them to "
        f"another actor and remove it: natoclaims actor merge {shlex.quote(actor)} OTHER"),
    "conflict-markers": lambda path: (
        f"{path}: holds git conflict markers (<<<<<<<, =======, >>>>>>>): git merged it line by "
        f"line; run 'natoclaims --db {path} git setup', then 'git merge --abort' and merge again"),
    "empty-store": lambda path: (f"{path}: the file is empty, not a natoclaims store "
                                 "(run 'natoclaims init --force' to start over)"),
}


# The library's advice in its warnings and `check` lines, as the commands that do it.
ADVICE_IN_COMMANDS = (
    (re.compile(r"^source (\S+) (is registered with another .*, kept as registered) \(edit_source changes it\)$"),
     r"source \1 \2 ('natoclaims source edit \1' changes it)"),
    (re.compile(r"\(see open_conflicts; settle it with resolve\)$"),
     "(see 'natoclaims conflicts'; settle it with 'natoclaims resolve')"),
)


def advice_in_commands(line: str) -> str:
    """A warning or a `check` line of the library with the commands named where it names functions."""
    for pattern, wording in ADVICE_IN_COMMANDS:
        line = pattern.sub(wording, line)
    return line


def in_flags(error: NatoclaimsError) -> str:
    """The error's message as the command line says it: with its options where the library names arguments."""
    word: Callable[..., Any] | None = FLAG_WORDING.get(getattr(error, "about", None) or "")
    return str(error) if word is None else word(**error.facts)
