"""The Typer app: the root options, the command groups, and the one ladder from errors to exit statuses."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from natoclaims import __version__
from natoclaims.cli import (
    actors,
    claims,
    extract,
    finding,
    interchange,
    journal,
    reports,
    reviews,
    setup,
    sources,
    team,
    vocabularies,
)
from natoclaims.cli.env import Environment
from natoclaims.cli.output import fail, silence_stdout
from natoclaims.errors import ExitStatus, NatoclaimsError

# The order `natoclaims --help` lists commands in, as before the split (merged from the group
# modules, they would come group by group).
COMMAND_ORDER = (
    "init", "add", "show", "history", "edit", "review", "status", "rm", "search", "export", "import", "stats",
    "timeline", "actors", "topics", "measures", "propositions", "link", "unlink", "contradictions", "repeats", "check",
    "extract", "undo", "redo", "log", "compact", "actor", "source", "git", "merge-file", "conflicts", "resolve",
)


class NatoclaimsGroup(TyperGroup):
    """Runs the app and turns every error into one line on stderr and an exit status."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        debug = os.environ.get("NATOCLAIMS_DEBUG") == "1"
        import shlex

        self.command_line = shlex.join(["natoclaims", *(args if args is not None else sys.argv[1:])])
        environment = extra.pop("obj", None) or Environment()  # a test may bring its own
        try:
            result = super().main(args=args, prog_name=prog_name or "natoclaims", complete_var=complete_var,
                                  standalone_mode=False, obj=environment, **extra)
        except NatoclaimsError as exc:
            if debug:
                raise
            fail(str(exc), exc.exit_status)
        except typer.TyperException as exc:  # Click's usage errors: bad option, missing argument
            if debug:
                raise
            context = getattr(exc, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context else ""
            name = getattr(exc, "option_name", None)
            if name in ("--db", "--version") and context is not None:  # a root option written after the command
                command = context.command_path.partition(" ")[2]
                fail(f"{name} goes before the command: natoclaims {name} ... {command} ...", ExitStatus.USAGE)
            fail(exc.format_message() + hint, ExitStatus(exc.exit_code))
        except typer.Abort:
            fail("aborted", ExitStatus.ERROR)
        except BrokenPipeError:
            # The reader went away (`| head`): not an error; keep Python quiet about the closed pipe.
            silence_stdout()
            sys.exit(ExitStatus.OK)
        except KeyboardInterrupt:
            fail("interrupted", ExitStatus.INTERRUPTED)
        except OSError as exc:  # the store's own errors are StoreErrors: this is the output failing
            if debug:
                raise
            sys.exit(environment.output_failed(exc))
        except Exception as exc:
            if debug:
                raise
            fail(f"unexpected {type(exc).__name__}: {exc} (NATOCLAIMS_DEBUG=1 shows the traceback)", ExitStatus.ERROR)
        if result == ExitStatus.INTERRUPTED:  # Typer turns Ctrl-C into this status, silently
            fail("interrupted", ExitStatus.INTERRUPTED)
        sys.exit(result if isinstance(result, int) else ExitStatus.OK)

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in COMMAND_ORDER; any other after them, as registered."""
        return sorted(self.commands, key=lambda name: COMMAND_ORDER.index(name) if name in COMMAND_ORDER
                      else len(COMMAND_ORDER))


app = typer.Typer(
    cls=NatoclaimsGroup, rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=True,
    no_args_is_help=False, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]},
    help="Track who said what about NATO: claims, sources, verdicts and contradictions.",
)
for group in (setup, claims, reviews, sources, finding, interchange, reports, extract, actors, vocabularies, journal, team):
    app.add_typer(group.app)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"natoclaims {__version__}\n")
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option("--db", help="Store file (else $NATOCLAIMS_DB, else the user's data file).",
                                               dir_okay=True, metavar="PATH")] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never send long output through a pager "
                                            "($NATOCLAIMS_PAGER, else $PAGER, else 'less -FRX').")] = False,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Track who said what about NATO: claims, sources, verdicts and contradictions.

    Example: natoclaims search --actor Trump --topic troops
    """
    if ctx.invoked_subcommand is None:  # `natoclaims` alone: the help, as a result (stdout, exit 0), like git
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(ExitStatus.OK)
    if not isinstance(ctx.obj, Environment):  # a caller (a test) may pass its own as `obj`
        ctx.obj = Environment()
    ctx.obj.db = db
    ctx.obj.command = ctx.invoked_subcommand
    ctx.obj.paging = ctx.obj.paging and not no_pager
    ctx.obj.command_line = getattr(ctx.command, "command_line", "")
    ctx.call_on_close(ctx.obj.close)
