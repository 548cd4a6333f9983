"""The Typer app: the root options, the command groups, and the one ladder from errors to exit statuses."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from natoclaims import __version__
from natoclaims.cli.env import Environment
from natoclaims.cli.output import fail, silence_stdout
from natoclaims.errors import ExitStatus, NatoclaimsError

# Which module registers each command, in the order `natoclaims --help` lists them. A run builds
# only the group of the command it was given (building all of them costs ~30 ms at every start).
GROUP_OF = {
    "init": "setup", "add": "claims", "show": "claims", "history": "claims", "edit": "claims", "review": "reviews",
    "status": "reviews", "rm": "claims", "search": "finding", "export": "interchange", "import": "interchange",
    "stats": "reports", "timeline": "finding", "actors": "actors", "topics": "labels",
    "measures": "labels", "propositions": "labels", "link": "claims", "unlink": "claims",
    "contradictions": "finding", "repeats": "finding", "check": "reports", "extract": "extract", "undo": "journal",
    "redo": "journal", "log": "journal", "compact": "journal", "actor": "actors", "source": "sources", "git": "team",
    "merge-file": "team", "conflicts": "team", "resolve": "team",
}
COMMAND_ORDER = tuple(GROUP_OF)
ROOT_OPTIONS_WITH_VALUES = ("--db",)


class NatoclaimsGroup(TyperGroup):
    """Runs the app and turns every error into one line on stderr and an exit status."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        debug = os.environ.get("NATOCLAIMS_DEBUG") == "1"
        import shlex

        self.command_line = shlex.join(["natoclaims", *(args if args is not None else sys.argv[1:])])
        environment = extra.pop("obj", None) or Environment()  # a test may bring its own
        try:
            result = super().main(args=args, prog_name=prog_name or "natoclaims", complete_var=complete_var,
                                  standalone_mode=False, windows_expand_args=windows_expand_args, obj=environment,
                                  **extra)
        except NatoclaimsError as exc:
            if debug:
                raise
            from natoclaims.cli.wording import in_flags

            fail(in_flags(exc), exc.exit_status)
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


def build(groups: Any = None) -> typer.Typer:
    """The app with the commands of `groups` (module names; all of them when None)."""
    import importlib

    app = typer.Typer(
        cls=NatoclaimsGroup, rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=True,
        no_args_is_help=False, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]},
        help="Track who said what about NATO: claims, sources, verdicts and contradictions.",
    )
    app.callback()(main_options)
    for group in dict.fromkeys(GROUP_OF.values() if groups is None else groups):
        app.add_typer(importlib.import_module(f"natoclaims.cli.{group}").app)
    return app


def app_for(argv: list[str]) -> typer.Typer:
    """The app a run with these arguments needs: only its command's group, or every command when
    there is none to go by (`--help`, a typo that wants suggestions, shell completion)."""
    words = iter(argv)
    for word in words:
        if word in ROOT_OPTIONS_WITH_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            group = GROUP_OF.get(word)
            if group is None or any(name.endswith("_COMPLETE") for name in os.environ):
                break
            return build([group])
    else:
        if "--version" in argv and not any(word in ("-h", "--help") for word in argv):
            return build([])
    return build()


def __getattr__(name: str) -> Any:
    if name == "app":  # every command: for tests and library users that invoke the app themselves
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"natoclaims {__version__}\n")
        raise typer.Exit(ExitStatus.OK)


def main_options(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option("--db", help="Store file (else $NATOCLAIMS_DB, else the one 'git setup' registered here or above, else the user's data file).",
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
