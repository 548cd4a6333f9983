"""Precision of the `possible` leads (issue 17), and what grouping does to the stance rows.

    python benchmarks/leads.py

Leads are found among the bundled dataset plus claims recorded from articles written by others
(tests/fixtures/held_out_claims.json, with the pairs a fact-checker labelled as worth reading);
figures are extracted from the text as `add` does. A lead not labelled is a false alarm.
"""

from __future__ import annotations

import json
from pathlib import Path

from natoclaims.engines.contradictions import CONFIRMED_KINDS, find_contradictions
from natoclaims.engines.quantities import extract_quantities
from natoclaims.store import bundled_dataset, read_file

HELD_OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "held_out_claims.json"


def held_out() -> tuple[list[dict], set[frozenset[str]]]:
    """The recorded claims as store records, and the labelled pairs."""
    data = json.loads(HELD_OUT.read_text())
    claims = [{"id": c["id"], "actor": c["actor"], "said_on": c["said_on"], "text": c["text"], "topics": c["topics"],
               "quantities": extract_quantities(c["text"]), "stances": [], "links": []} for c in data["claims"]]
    return claims, {frozenset(pair) for pair in data["contradicting"]}


def main() -> None:
    bundled = list(read_file(bundled_dataset())["claims"].values())
    recorded, labelled = held_out()
    leads = find_contradictions(bundled + recorded, ["possible"])
    right = [p for p in leads if frozenset((p["a"]["id"], p["b"]["id"])) in labelled]
    print(f"leads: {len(leads)}, worth reading: {len(right)}, precision: "
          f"{len(right) / len(leads):.2f}" if leads else "leads: 0")
    found = {frozenset((p["a"]["id"], p["b"]["id"])) for p in leads}
    print(f"labelled pairs found: {len(found & labelled)} of {len(labelled)}")
    for pair in leads:
        mark = "+" if frozenset((pair["a"]["id"], pair["b"]["id"])) in labelled else "-"
        print(f"  {mark} {pair.get('similarity', 0):.2f} {pair['a']['id']} {pair['b']['id']} {pair['detail']}")
    confirmed = find_contradictions(bundled, CONFIRMED_KINDS)
    print("confirmed pairs in the bundled dataset:",
          {kind: sum(kind in p["kinds"] for p in confirmed) for kind in CONFIRMED_KINDS})
    stance = [p for p in confirmed if "stance" in p["kinds"]]
    disputes = {p["proposition"] for p in confirmed if p["kind"] == "stance" and p["subkind"] == "dispute"}
    reversals = [p for p in confirmed if p["kind"] == "stance" and p["subkind"] == "reversal"]
    print(f"stance rows: {len(stance)} pairs before grouping, {len(disputes) + len(reversals)} rows after "
          f"({len(disputes)} disputed propositions, {len(reversals)} reversals; "
          f"{len(stance) - sum(p['kind'] == 'stance' for p in stance)} pairs shown with a stronger kind)")


if __name__ == "__main__":
    main()
