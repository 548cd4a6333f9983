"""One claim at a time: `add`, `show`, `history`, `edit`, `rm`, `link`, `unlink`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Optional

import typer

from natoclaims.cli.actors import announce_new_actor
from natoclaims.cli.env import environment
from natoclaims.cli.options import (
    QUANTITY_FORMS,
    ClaimIdArg,
    FormatOption,
    complete_actor_names,
    complete_claim_ids,
    complete_source_ids,
    complete_topics,
)
from natoclaims.cli.output import message
from natoclaims.cli.reviews import ask_rationale
from natoclaims.errors import UsageError
from natoclaims.model.vocabulary import SourceType
from natoclaims.render import counted

app = typer.Typer()


def repeat_note(earlier: Mapping[str, Any]) -> str:
    """What a new claim saying the same as `earlier` is told: the verdict that one got, if any."""
    said = f"a near-identical claim by {earlier['actor']} exists: {earlier['id']} {earlier['text'][:60]!r}"
    if earlier["status"] == "unverified":
        return said
    rated = earlier["reviews"][-1]["at"][:10] if earlier["reviews"] else earlier["updated_at"][:10]
    return f"repeats {earlier['id']}, rated {earlier['status']} on {rated}: {said}"


def say_tidied(tidied: list[str]) -> None:
    """Tell the user what was repaired or trimmed in the text they gave."""
    if tidied:
        message(f"note: in the text, {' and '.join(tidied)}")


@app.command()
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The claim; '-' reads it from stdin.")],
    # A list only so that a second --actor is refused rather than silently replacing the first.
    actor: Annotated[list[str], typer.Option("--actor", "-a", help="Who said it (a name or alias).", autocompletion=complete_actor_names)],
    kind: Annotated[str, typer.Option("--kind", help="quote, paraphrase or report.")] = "paraphrase",
    said_on: Annotated[Optional[str], typer.Option("--date", "-d", help="When it was said: '2025-03-06', 'early March 2025'.")] = None,
    context: Annotated[Optional[str], typer.Option("--context", help="Where and how it was said.")] = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", "-s", help="Where it appeared: a URL (registered if new) or a registered source's id (repeatable).",
                                                              autocompletion=complete_source_ids)] = None,
    source_title: Annotated[Optional[str], typer.Option("--source-title", help="Title of the first source, if new.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Outlet of the first source, if new.")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date of the first source, if new.")] = None,
    source_type: Annotated[Optional[SourceType], typer.Option("--type", help="Type of the first source, if new.")] = None,
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic slug (repeatable).", autocompletion=complete_topics)] = None,
    status: Annotated[str, typer.Option("--status", help="Verification status.")] = "unverified",
    quantity: Annotated[Optional[list[str]], typer.Option("--quantity", "-q", help=f"A figure (repeatable): {QUANTITY_FORMS}.")] = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", "-m", help="Measure key for each --quantity, in order.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The date the figures are for, if not the date said.")] = None,
    stance: Annotated[Optional[list[str]], typer.Option("--stance", help="PROPOSITION:for|against (repeatable).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Free-text notes.")] = None,
    new_actor: Annotated[bool, typer.Option("--new-actor", help="Make the actor a new one even if a known actor has that word ('Rutte').")] = False,
) -> None:
    """Add a claim and print its new id.

    Example: natoclaims add "We will move some 35,000 troops out of Germany" --actor Trump
    --kind quote --date "early March 2025" --source https://example.org/story --topic troops
    """
    from natoclaims import core

    if len(actor) > 1:
        raise UsageError(f"--actor given {len(actor)} times: a claim has one actor")
    env = environment(ctx)
    if text == "-":
        text = env.stdin_text()
    sources: list[str | dict[str, str | None]] = list(source or [])
    details = {"title": source_title, "outlet": outlet, "published": published, "type": source_type}
    if any(details.values()):
        if sources and "://" not in sources[0]:
            raise UsageError("--source-title, --outlet, --published and --type describe a new source; "
                             "change a registered one with 'natoclaims source edit ID'")
        sources[:1] = [{"url": source[0] if source else None, **details}]
    rationale = ask_rationale(env, status, None)
    store = env.store()
    result = core.add_claim(
        store, text=text, actor=actor[0], kind=kind, said_on=said_on, context=context, sources=sources,
        topics=topic or [], status=status, quantities=quantity or [], measures=measure or [],
        stances=stance or [], notes=note, as_of=as_of, new_actor=new_actor, rationale=rationale,
    )
    say_tidied(result.tidied)
    if result.new_actor:
        announce_new_actor(store, result.claim["actor"])
    for other in result.similar:
        message(f"warning: {repeat_note(other)}")
    if result.measures:
        from natoclaims.render import describe_figure

        for figure, measure_key, like in result.measures:
            message(f"note: {describe_figure(figure)} is probably measure {measure_key} (like {like['id']}): "
                    f"give --measure {measure_key} to record it so")
    env.output.lines([result.claim["id"]])


@app.command()
def show(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Claim ids or unique prefixes (>= 4 chars); '-' reads stdin.", metavar="ID...",
                                             autocompletion=complete_claim_ids)],
    fmt: FormatOption = None,
) -> None:
    """Show claims in full.

    Example: natoclaims show k3x9 --format json
    """
    env = environment(ctx)
    store = env.store()
    if ids == ["-"]:
        ids = env.stdin_ids()
    claims = [store.get(i) for i in ids]
    if env.output.wants_table(fmt):
        from natoclaims import core
        from natoclaims.render import claim_panel

        for claim in claims:
            env.output.rich(claim_panel(claim, core.linked_from(store, claim["id"]), core.check_quotes(store, [claim])))
    else:
        env.output.claims(claims, fmt)


@app.command()
def history(ctx: typer.Context, claim_id: ClaimIdArg, fmt: FormatOption = None) -> None:
    """Show the change log of a claim.

    Example: natoclaims history k3x9
    """
    env = environment(ctx)
    env.output.refuse_ids(fmt, "a claim's history")
    claim = env.store().get(claim_id)
    if env.output.wants_table(fmt):
        from natoclaims.render import history_table

        env.output.rich(history_table(claim["history"], title=f"History of {claim['id']}"))
        return
    env.output.rows(claim["history"], ["at", "by", "field", "old", "new", "note"], fmt)


@app.command()
def edit(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Claim ids or unique prefixes; '-' reads ids from stdin, one a line.",
                                             metavar="ID...")],
    text: Annotated[Optional[str], typer.Option("--text", help="New text ('-' reads stdin).")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="New actor.", autocompletion=complete_actor_names)] = None,
    said_on: Annotated[Optional[str], typer.Option("--date", help="New date.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="quote, paraphrase or report.")] = None,
    context: Annotated[Optional[str], typer.Option("--context", help="New context.")] = None,
    add_source: Annotated[Optional[list[str]], typer.Option("--add-source", help="Add an appearance: a URL or a registered source id (repeatable).")] = None,
    add_topic: Annotated[Optional[list[str]], typer.Option("--add-topic", help="Add a topic (repeatable).", autocompletion=complete_topics)] = None,
    remove_topic: Annotated[Optional[list[str]], typer.Option("--remove-topic", help="Remove a topic (repeatable).", autocompletion=complete_topics)] = None,
    quantity: Annotated[Optional[list[str]], typer.Option("--quantity", help=f"Replace the figures (repeatable): {QUANTITY_FORMS}.")] = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", help="Measure key for each --quantity; without --quantity, for the figures already there (one for all, or one each).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date the figures (new or already there); '' clears it.")] = None,
    stance: Annotated[Optional[list[str]], typer.Option("--stance", help="Set a stance: PROPOSITION:for|against.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Replace the notes.")] = None,
    reason: Annotated[Optional[str], typer.Option("--why", help="Why, recorded in the history.")] = None,
    new_actor: Annotated[bool, typer.Option("--new-actor", help="Make the actor a new one even if a known actor has that word ('Rutte').")] = False,
) -> None:
    """Change fields of claims (several at once are one change set); every change is recorded in
    their history.

    Example: natoclaims edit k3x9 --date 2025-03-06 --add-topic troops --why "date from transcript"
    """
    from natoclaims import core

    env = environment(ctx)
    if ids == ["-"] and text == "-":
        raise UsageError("standard input holds either the ids or the new text, not both")
    ids = env.stdin_ids() if ids == ["-"] else ids
    if text == "-":
        text = env.stdin_text()
    changes = {
        "text": text, "actor": actor, "said_on": said_on, "kind": kind, "context": context,
        "add_sources": add_source, "add_topics": add_topic, "remove_topics": remove_topic,
        "quantities": quantity, "measures": measure, "stances": stance, "notes": note, "as_of": as_of,
    }
    given: dict[str, Any] = {name: value for name, value in changes.items() if value is not None}  # edit_claim's keywords
    if not given:
        raise UsageError("nothing to change: give at least one option (see 'natoclaims edit --help')")
    store = env.store()
    with store.writing():  # one change set for every claim named
        claims = list(dict.fromkeys(store.get(i)["id"] for i in ids))  # a claim named twice is edited once
        results = [core.edit_claim(store, claim_id, why=reason, new_actor=new_actor, **given) for claim_id in claims]
    say_tidied(results[0].tidied)  # the one new text of every claim edited
    if any(result.new_actor for result in results):
        announce_new_actor(store, results[0].claim["actor"])
    for result in results:
        message(f"{result.claim['id']}: {counted(result.changed, 'field')} changed" if result.changed else
                f"{result.claim['id']}: nothing changed")


@app.command()
def rm(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Claim ids or unique prefixes.", metavar="ID...")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete claims; links pointing at them are removed too. Asks on a terminal; a script gives --yes.

    Example: natoclaims rm k3x9 --yes
    """
    from natoclaims import core

    env = environment(ctx)
    if not yes and not env.stdin_is_terminal:  # nobody to ask: a script must say so
        raise UsageError("rm asks before deleting, and standard input is not a terminal: give --yes to delete")
    store = env.store()
    if ids == ["-"]:
        ids = env.stdin_ids()
    claims = [store.get(i) for i in ids]
    if not yes:
        for claim in claims:
            message(f"  {claim['id']}  {claim['actor']}: {claim['text'][:70]}")
        if not typer.confirm(f"Delete {counted(len(claims), 'claim')}?", err=True):
            message("nothing deleted")  # a "no" is an answer, not an error
            return
    removed, unlinked = core.remove_claims(store, [c["id"] for c in claims])
    message(f"deleted {counted(removed, 'claim')}"
            + (f", removed links from {counted(unlinked, 'other claim')}" if unlinked else ""))


@app.command("link")
def link_claims(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="A")],
    relation: Annotated[str, typer.Argument(help="contradicts, supports, updates or duplicates.", metavar="RELATION")],
    b: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="B")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why they are related.")] = None,
) -> None:
    """Relate two claims explicitly.

    Example: natoclaims link k3x9 contradicts p2m4 --note "February pledge vs March threat"
    """
    from natoclaims import core

    first, second = core.link(environment(ctx).store(), a, relation, b, note)
    message(f"{first} {relation} {second}")


@app.command("unlink")
def unlink_claims(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="A")],
    b: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="B")],
) -> None:
    """Remove the links between two claims.

    Example: natoclaims unlink k3x9 p2m4
    """
    from natoclaims import core

    removed = core.unlink(environment(ctx).store(), a, b)
    message(f"removed {counted(removed, 'link')}")
