"""Build data/claims.json, the bundled NATO dataset, from the two seed articles.

Every attributed quote, reported plan and figure in both articles is one claim below.
Run `python data/build_dataset.py` to regenerate the file through natoclaims' own
validation and store (ids and timestamps are fixed, so the output is byte-for-byte
reproducible); tests/core/test_dataset.py checks that the file in git is what this builds.
The articles' bytes come from the archived copies shipped beside the dataset
(`claims.json.archive/`, named by their SHA-256), so a fresh clone rebuilds it alone;
`--seeds DIR` reads them from a folder of the original files instead.
"""

from __future__ import annotations

import hashlib
import string
from pathlib import Path
from typing import Any

from natoclaims.core.archive import archive_source
from natoclaims.engines.quantities import extract_quantities
from natoclaims.model import check_claim, check_quantity, check_source_record
from natoclaims.store import Store, empty_data, encode

HERE = Path(__file__).resolve().parent
SHIPPED = HERE / "claims.json.archive"
ANALYSIS_FILE = "000_a1fb40e8e79895b0.txt"
POST_FILE = "004_05fee859d3df16f0.txt"
SEED_DIGESTS = {ANALYSIS_FILE: "c3bd492c6a8e7a37da4325790b9540f1c371f4d71462c9d27319e1b3fec39113",
                POST_FILE: "917392e2a407beecfd69cc4083f05b6c06eba44eab3330e4bd83c7750ccb5371"}
BUILT_AT = "2026-11-22T00:00:00.000000Z"

ANALYSIS = {
    "id": "analysis2025",
    "url": None,
    "title": "Trump's second-term NATO policy: troop withdrawals, Article 5, European reactions and the 5% demand (analysis, spring 2025)",
    "outlet": None,
    "published": "2025",
}
POST = {
    "id": "nakedpolitics7192",
    "url": "https://nakedpolitics.net/?p=7192",
    "title": "Trump\u2019s Breaking Point With NATO: \u201cThey Failed\u201d",
    "outlet": "Naked Politics",
    "published": "2026-04-10",
}

ACTORS = [
    ("Donald Trump", ["Trump", "President Trump", "President Donald Trump", "Donald J. Trump"], "President of the United States"),
    ("White House", ["the White House"], "Office of the US President"),
    ("J.D. Vance", ["Vance", "JD Vance", "J. D. Vance", "Vice President Vance"], "Vice President of the United States"),
    ("Pete Hegseth", ["Hegseth", "Defense Secretary Hegseth"], "US Secretary of Defense"),
    ("U.S. Defense officials (unnamed)", ["Pentagon officials", "US defence officials"], "US Department of Defense"),
    ("U.S. representatives at NATO", [], "US delegation to NATO"),
    ("Mark Rutte", ["Rutte", "Secretary-General Rutte"], "NATO Secretary General"),
    ("NATO", ["North Atlantic Treaty Organization", "the alliance"], "Alliance"),
    ("NATO official (unnamed)", [], None),
    ("Keir Starmer", ["Starmer", "Prime Minister Starmer"], "Prime Minister of the United Kingdom"),
    ("Emmanuel Macron", ["Macron", "President Macron"], "President of France"),
    ("France", ["French government"], "Government of France"),
    ("Christoph Heusgen", ["Heusgen"], "Chairman of the Munich Security Conference"),
    ("Gabrielius Landsbergis", ["Landsbergis"], "Former Foreign Minister of Lithuania"),
    ("Ben Wallace", ["Wallace"], "Former UK Defence Secretary"),
    ("Friedrich Merz", ["Merz", "Chancellor Merz"], "Chancellor of Germany"),
    ("Germany", ["German government", "Berlin"], "Government of Germany"),
    ("Spanish government", ["Spain", "Government of Spain"], "Government of Spain"),
    ("Poland", ["Polish government"], "Government of Poland"),
    ("Romania", ["Romanian government"], "Government of Romania"),
    ("Lithuania", ["Lithuanian government"], "Government of Lithuania"),
    ("Estonia", ["Estonian government"], "Government of Estonia"),
    ("Baltic states", ["the Baltics"], "Estonia, Latvia and Lithuania"),
    ("Viktor Orbán", ["Orbán", "Orban", "Viktor Orban"], "Prime Minister of Hungary"),
    ("European Commission", ["EU Commission"], "Executive of the European Union"),
    ("European defence ministers", [], None),
    ("European leaders", [], None),
    ("European allies", ["NATO allies"], None),
    ("European diplomat (unnamed)", [], None),
    ("European official (unnamed)", [], None),
    ("European officials (unnamed)", [], None),
    ("Expert (unnamed)", [], None),
    ("Senior analyst (unnamed)", [], None),
    ("Russian officials", [], None),
    ("Trump critics (unnamed)", [], None),
    ("Trump supporters (unnamed)", [], None),
    ("Analysis author (spring 2025)", [], "Author of the spring 2025 analysis of Trump's NATO policy"),
    ("Naked Politics", ["nakedpolitics.net"], "Outlet"),
]


def stance(text: str) -> dict[str, str]:
    proposition, position = text.split(":")
    return {"proposition": proposition, "position": position}


# Each claim: key (for links), actor, kind, said_on, text, context, topics, source,
# and optionally measure (names the one extracted figure), quantities, stances, links, notes.
CLAIMS: list[dict[str, Any]] = [
    # -- the spring 2025 analysis: troops ----------------------------------------------------
    dict(key="withdraw-35000", actor="Donald Trump", kind="report", said_on="2025-03", source=ANALYSIS,
         text="Reports emerged that Trump is \u201cweighing up withdrawing some 35,000\u201d U.S. troops from Germany \u2013 essentially a near-total pullout \u2013 and redeploying them to Eastern Europe.",
         context="Reports in early March 2025", topics=["troops", "germany", "eastern-flank"],
         measure="us-troops-withdrawn-from-germany", stances=["us-troop-withdrawal-from-europe:for"]),
    dict(key="reposition", actor="Donald Trump", kind="report", said_on="2025-03", source=ANALYSIS,
         text="Trump \u201cis said to be considering repositioning\u201d troops to countries that have \u201cupped their defence spending to meet GDP targets\u201d.",
         context="Reports in early March 2025 on the planned redeployment", topics=["troops", "defence-spending", "burden-sharing"]),
    dict(key="germany-free-ride", actor="Donald Trump", kind="paraphrase", said_on=None, source=ANALYSIS,
         text="Countries like Germany benefit from U.S. protection without paying their share.",
         context="An argument Trump has made for years", topics=["burden-sharing", "germany"]),
    dict(key="first-term-12000", actor="Donald Trump", kind="report", said_on=None, source=ANALYSIS,
         text="During his first term, Trump ordered the withdrawal of nearly 12,000 troops from Germany, a move halted by the subsequent administration amid congressional backlash.",
         context="First term; the analysis gives no date", topics=["troops", "germany"],
         measure="us-troops-withdrawn-from-germany"),
    dict(key="officials-not-announced", actor="U.S. Defense officials (unnamed)", kind="paraphrase", said_on="2025-03", source=ANALYSIS,
         text="U.S. Defense officials have not formally announced the 35,000-troop withdrawal, but acknowledge that \u201cthe redeployment of troops around the world\u201d is under consideration to best address current threats.",
         context="Response to reports of the Germany withdrawal", topics=["troops", "germany"],
         measure="us-troops-withdrawn-from-germany", stances=["us-announces-troop-withdrawal-from-europe:against"]),
    dict(key="vance-mean-tweet", actor="J.D. Vance", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Vance floated linking the remaining U.S. military presence in Germany to Berlin\u2019s domestic policies, questioning whether American taxpayers should support Germany\u2019s defense \u201cif you get thrown in jail in Germany for posting a mean tweet\u201d.",
         context="Remarks as US Vice President", topics=["troops", "germany", "burden-sharing"]),
    dict(key="hungary", actor="Donald Trump", kind="report", said_on="2025-03", source=ANALYSIS,
         text="Trump is considering relocating troops to partners he views as more friendly or burden-sharing, with speculation about deployments to Central-Eastern Europe, including Hungary.",
         context="According to administration sources", topics=["troops", "eastern-flank", "hungary"]),
    dict(key="heusgen", actor="Christoph Heusgen", kind="quote", said_on="2025-02", source=ANALYSIS,
         text="the US will likely announce a massive withdrawal of American soldiers from Europe",
         context="Warning on the eve of the Munich Security Conference, as the conference head", topics=["troops"],
         stances=["us-announces-troop-withdrawal-from-europe:for"]),
    dict(key="ministers-talks", actor="European defence ministers", kind="report", said_on="2025-03", source=ANALYSIS,
         text="European defense ministers convened emergency talks to \u201cbeef up their own security\u201d arrangements.",
         context="Early March, as news of the potential Germany drawdown spread", topics=["europe-defence"]),
    dict(key="starmer-coalition", actor="Keir Starmer", kind="report", said_on="2025-03", source=ANALYSIS,
         text="Keir Starmer has rallied a group of about 20 countries \u2013 mostly European and Commonwealth partners \u2013 to discuss a \u201ccoalition of the willing\u201d that could deploy peacekeepers to Ukraine as part of a future settlement.",
         context="Britain and France leading the effort", topics=["ukraine", "europe-defence"],
         measure="coalition-of-the-willing-countries"),
    # -- Article 5 ----------------------------------------------------------------------------------
    dict(key="wont-defend", actor="Donald Trump", kind="quote", said_on="2025-03", source=ANALYSIS,
         text="If they don\u2019t pay, I\u2019m not going to defend them",
         context="Told reporters in March, referring to allies he views as spending too little on defense",
         topics=["article-5", "defence-spending", "burden-sharing"], stances=["us-defends-all-allies:against"]),
    dict(key="leaders-worried", actor="European leaders", kind="report", said_on="2025-03", source=ANALYSIS,
         text="European leaders have been \u201calready worried about a withdrawal of U.S. security support\u201d.",
         context="Reaction in European capitals to Trump's remarks", topics=["article-5", "troops"]),
    dict(key="potentially-good", actor="Donald Trump", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="NATO could be \u201cpotentially good\u201d for the U.S., but only \u201cif\u2026 the spending issue could be fixed\u201d.",
         context="Trump on NATO's value", topics=["defence-spending", "burden-sharing"]),
    dict(key="screwing-trade", actor="Donald Trump", kind="quote", said_on="2025", source=ANALYSIS,
         text="are screwing us on trade",
         context="Describing allies as freeloaders who enjoy U.S. military protection", topics=["trade", "burden-sharing"]),
    dict(key="macron-afghanistan", actor="Emmanuel Macron", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Europeans were there for the United States in its time of need: European troops fought alongside Americans in Afghanistan after 9/11.",
         context="Used a Brussels meeting to remind Washington, in response to Trump", topics=["article-5", "burden-sharing"],
         stances=["europe-was-there-for-the-us:for"]),
    dict(key="rutte-bedrock", actor="Mark Rutte", kind="quote", said_on="2025-03", source=ANALYSIS,
         text="Transatlantic partnership remains the bedrock of our Alliance",
         context="Standing beside Trump at the White House", topics=["article-5"],
         stances=["us-guarantees-european-security:for"]),
    dict(key="rutte-commitment", actor="Mark Rutte", kind="paraphrase", said_on="2025-03", source=ANALYSIS,
         text="President Trump has personally \u201cmade clear the commitment of the U.S.\u201d to NATO.",
         context="At the White House, March 2025", topics=["article-5"],
         stances=["us-defends-all-allies:for"]),
    dict(key="rutte-do-more", actor="Mark Rutte", kind="paraphrase", said_on="2025-03", source=ANALYSIS,
         text="Rutte acknowledged Trump\u2019s \u201cexpectation that we in Europe must do more\u201d on defense spending.",
         context="At the White House, March 2025", topics=["defence-spending", "burden-sharing"]),
    dict(key="landsbergis", actor="Gabrielius Landsbergis", kind="quote", said_on="2025", source=ANALYSIS,
         text="may well mark the advent of the twilight of NATO",
         context="Lithuania's former foreign minister, on the end of unquestioned American support, if Europe does not swiftly reinforce its own defenses",
         topics=["article-5", "europe-defence"], stances=["us-committed-to-nato:against"],
         notes="The analysis also quotes \u201cthe twilight of NATO\u201d from \u201ca former Baltic foreign minister\u201d, especially if Washington pulls thousands of troops out of Europe."),
    dict(key="hegseth-realities", actor="Pete Hegseth", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="\u201cRealities\u201d will prevent the U.S. from being Europe\u2019s security guarantor indefinitely.",
         context="Warning to European allies in Brussels", topics=["article-5", "europe-defence"],
         stances=["us-guarantees-european-security:against"]),
    dict(key="russia-jubilation", actor="Russian officials", kind="report", said_on="2025-02", source=ANALYSIS,
         text="Russian officials reacted with jubilation to U.S. statements in Munich 2025, interpreting them to mean Article 5 could be rendered meaningless going forward.",
         context="Reaction to U.S. statements at the Munich Security Conference", topics=["russia", "article-5"],
         notes="Later in the analysis: some Russian officials even proclaim that NATO\u2019s Article 5 could be rendered null if the U.S. stance continues."),
    dict(key="putin-call", actor="Donald Trump", kind="report", said_on="2025", source=ANALYSIS,
         text="Trump held a 90-minute phone call with Putin and dispatched his envoy to Moscow to seek a 30-day ceasefire in Ukraine.",
         context="Examples of a new approach to Russia", topics=["russia", "ukraine"]),
    dict(key="allies-fear-deal", actor="European allies", kind="report", said_on="2025", source=ANALYSIS,
         text="European allies fear Trump might accept a deal favorable to Moscow \u2013 a form of \u201cappeasement\u201d reminiscent of past missteps with authoritarian powers.",
         context="On U.S. efforts to end the war in Ukraine", topics=["ukraine", "russia"]),
    # -- European reactions ---------------------------------------------------------------------------
    dict(key="rutte-invigorating", actor="Mark Rutte", kind="paraphrase", said_on="2025-03", source=ANALYSIS,
         text="Rutte credited Trump with \u201cnewly invigorating\u201d the alliance.",
         context="Visit to Washington in March", topics=["defence-spending"]),
    dict(key="commission-800bn", actor="European Commission", kind="report", said_on="2025-03", source=ANALYSIS,
         text="The European Commission called for \u20ac800 billion in new defense spending.",
         context="Cited by Rutte to show Trump that allies are heeding his message", topics=["defence-spending", "europe-defence"],
         measure="eu-rearmament-plan"),
    dict(key="commission-plan", actor="European Commission", kind="report", said_on="2025-03", source=ANALYSIS,
         text="The European Commission unveiled a broad \u201crearmament plan\u201d for the EU, with a White Paper on defense to follow shortly.",
         context="Early March 2025", topics=["europe-defence", "defence-spending"]),
    dict(key="trump-affirms", actor="Donald Trump", kind="report", said_on="2025-02", source=ANALYSIS,
         text="At a joint press conference with Keir Starmer, Trump gave a verbal affirmation of the U.S. commitment to NATO\u2019s mutual defense.",
         context="Joint press conference with Starmer in February; the analysis notes the commitment wavered soon after",
         topics=["article-5"], stances=["us-defends-all-allies:for"]),
    dict(key="diplomat-destroy", actor="European diplomat (unnamed)", kind="quote", said_on="2025", source=ANALYSIS,
         text="We\u2019ve now got an alliance between a Russian president who wants to destroy Europe and an American president who also wants to destroy Europe",
         context="Behind closed doors", topics=["russia", "europe-defence"], stances=["us-committed-to-nato:against"]),
    dict(key="appeasement", actor="European officials (unnamed)", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Trump\u2019s outreach to Putin over Ukraine is \u201cappeasement\u201d, comparable to Neville Chamberlain\u2019s concessions to Hitler in 1938.",
         context="A term on the lips of officials", topics=["ukraine", "russia"]),
    dict(key="wallace-munich", actor="Ben Wallace", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="There is an uncomfortable \u201cecho of Munich\u201d in 2025.",
         context="Former UK Defence Secretary, comparing Trump's outreach to Putin with 1938", topics=["ukraine", "russia"]),
    dict(key="orban-veto", actor="Viktor Orbán", kind="report", said_on="2025", source=ANALYSIS,
         text="Hungary\u2019s Orb\u00e1n vetoed an EU commitment to aid Ukraine; the rest of Europe swiftly condemned the move.",
         context="EU decision on aid to Kyiv", topics=["ukraine", "hungary"]),
    dict(key="germany-1trn", actor="Germany", kind="report", said_on="2025-03", source=ANALYSIS,
         text="Germany has loosened its stringent budget limits to enable a massive \u20ac1 trillion investment in defense and infrastructure.",
         context="Europe fast-tracking self-reliance", topics=["defence-spending", "europe-defence", "germany"],
         measure="germany-defence-infrastructure-investment"),
    dict(key="poland-engaged", actor="Poland", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Poland, like the Baltic states, prioritizes keeping the U.S. engaged at almost any cost; any European defense effort must not undermine NATO or the U.S. role.",
         context="Friction over European strategic autonomy", topics=["europe-defence"]),
    dict(key="baltics-engaged", actor="Baltic states", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="The Baltic states prioritize keeping the U.S. engaged at almost any cost.",
         context="Friction over European strategic autonomy", topics=["europe-defence"]),
    dict(key="france-autonomy", actor="France", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="France sees an opening to build \u201cEuropean strategic autonomy\u201d.",
         context="Long an advocate of European defense autonomy", topics=["europe-defence"]),
    # -- spending ---------------------------------------------------------------------------------------
    dict(key="five-percent", actor="Donald Trump", kind="paraphrase", said_on="2025-01", source=ANALYSIS,
         text="NATO members must increase their military spending to 5% of GDP.",
         context="Press conference just before taking office", topics=["defence-spending", "burden-sharing"],
         measure="nato-spending-demand", stances=["allies-should-spend-5-percent-of-gdp:for"]),
    dict(key="greater-responsibility", actor="Donald Trump", kind="paraphrase", said_on="2025-01", source=ANALYSIS,
         text="Europe must take \u201cgreater responsibility for its own security.\u201d",
         context="Arguing for the 5% demand", topics=["defence-spending", "europe-defence"]),
    dict(key="nato-two-percent", actor="NATO", kind="report", said_on="2014", source=ANALYSIS,
         text="NATO\u2019s official goal, agreed in 2014, is for each member to reach at least 2% of GDP on defense by 2024.",
         context="The alliance's spending guideline", topics=["defence-spending"],
         quantities=[{"value": 2, "unit": "%GDP", "measure": "nato-spending-guideline", "qualifier": "at-least", "as_of": "2024"}]),
    dict(key="us-3-5", actor="Analysis author (spring 2025)", kind="report", said_on="2025", source=ANALYSIS,
         text="No NATO country currently spends 5% of its GDP on defense \u2013 even the United States hovers around 3.5%.",
         context="Context for Trump's 5% demand", topics=["defence-spending"],
         quantities=[{"value": 3.5, "unit": "%GDP", "measure": "us-defence-spending-share", "qualifier": "approx", "as_of": None}]),
    dict(key="poland-4-7", actor="Poland", kind="report", said_on="2025", source=ANALYSIS,
         text="Poland has boosted defense outlays to about 4% in response to the war in Ukraine and plans to go to 4.7% this year.",
         context="The closest NATO member to 5%", topics=["defence-spending"],
         quantities=[{"value": 4, "unit": "%GDP", "measure": "poland-defence-spending-share", "qualifier": "approx", "as_of": None},
                     {"value": 4.7, "unit": "%GDP", "measure": "poland-defence-spending-plan", "qualifier": "exact", "as_of": "2025"}]),
    dict(key="lithuania-5", actor="Lithuania", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Lithuania has pledged to surpass 5% of GDP on defense starting next year, in light of the Russian threat.",
         context="Pledge alongside Estonia", topics=["defence-spending", "russia"],
         quantities=[{"value": 5, "unit": "%GDP", "measure": "lithuania-defence-spending-share", "qualifier": "at-least", "as_of": "2026"}]),
    dict(key="estonia-5", actor="Estonia", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="Estonia has pledged to surpass 5% of GDP on defense starting next year, in light of the Russian threat.",
         context="Pledge alongside Lithuania", topics=["defence-spending", "russia"],
         quantities=[{"value": 5, "unit": "%GDP", "measure": "estonia-defence-spending-share", "qualifier": "at-least", "as_of": "2026"}]),
    dict(key="five-unrealistic", actor="Analysis author (spring 2025)", kind="report", said_on="2025", source=ANALYSIS,
         text="Trump\u2019s blanket demand for 5% alliance-wide is seen by many as unrealistic: most NATO members, including Germany, Italy and Canada, are far from reaching it.",
         context="Assessment of the 5% demand", topics=["defence-spending"], quantities=[],
         stances=["allies-should-spend-5-percent-of-gdp:against"]),
    dict(key="expert-failure", actor="Expert (unnamed)", kind="quote", said_on="2025", source=ANALYSIS,
         text="My worry is that this 5 percent is actually setting up allies for failure",
         context="On suspicions that the 5% figure is a negotiating tactic or a pretext for a U.S. withdrawal",
         topics=["defence-spending"], quantities=[], stances=["allies-should-spend-5-percent-of-gdp:against"]),
    # -- NATO's response --------------------------------------------------------------------------------
    dict(key="rutte-not-retreating", actor="Mark Rutte", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="The alliance remains strong and the United States is not retreating from its commitments; the transatlantic bond is still the \u201cbedrock\u201d of NATO and collective defense remains in place.",
         context="Statements often made beside President Trump or other U.S. leaders", topics=["article-5"],
         stances=["us-committed-to-nato:for"]),
    dict(key="us-reps", actor="U.S. representatives at NATO", kind="report", said_on="2025", source=ANALYSIS,
         text="U.S. representatives have not formally renounced Article 5 or blocked alliance activities; U.S. forces are still participating in NATO exercises in the Baltics and Black Sea.",
         context="Internal NATO meetings, spring 2025", topics=["article-5"]),
    dict(key="nato-communiques", actor="NATO", kind="report", said_on="2025", source=ANALYSIS,
         text="The majority of allies are now meeting the 2% goal, and hundreds of billions in new European defense investments are planned in the coming years.",
         context="NATO communiqu\u00e9s", topics=["defence-spending"], quantities=[]),
    dict(key="analyst-cumulative", actor="Senior analyst (unnamed)", kind="paraphrase", said_on="2025", source=ANALYSIS,
         text="The \u201ccumulative effect\u201d of Trump\u2019s denunciations and unilateral moves is \u201cto further undermine NATO and faith in Article 5\u201d.",
         context="One senior analyst", topics=["article-5"]),
    dict(key="official-rudderless", actor="European official (unnamed)", kind="quote", said_on="2025", source=ANALYSIS,
         text="a NATO without U.S. leadership will be left rudderless",
         context="Warning against threats like mounting Russian aggression", topics=["europe-defence", "russia"]),
    dict(key="delinquent", actor="Donald Trump", kind="report", said_on="2025", source=ANALYSIS,
         text="Trump is skeptical about defending \u201cdelinquent\u201d members.",
         context="The analysis's conclusion", topics=["article-5", "defence-spending"]),
    # -- the April 2026 post: the Iran war -----------------------------------------------------------
    dict(key="wasnt-there", actor="Donald Trump", kind="quote", said_on="2026-04", source=POST,
         text="NATO WASN\u2019T THERE WHEN WE NEEDED THEM, AND THEY WON\u2019T BE THERE IF WE NEED THEM AGAIN.",
         context="Social media post following a tense White House meeting with Mark Rutte", topics=["iran", "burden-sharing"],
         stances=["europe-was-there-for-the-us:against"]),
    dict(key="tested-failed", actor="White House", kind="quote", said_on="2026-04", source=POST,
         text="tested and they failed",
         context="According to the White House, NATO was \u201ctested and they failed\u201d over the Iran war", topics=["iran"],
         stances=["allies-supported-the-us-in-the-iran-war:against"]),
    dict(key="turned-backs", actor="White House", kind="quote", said_on="2026-04", source=POST,
         text="turned their backs on the American people",
         context="The White House on allies' response to the Iran war", topics=["iran"],
         stances=["europe-was-there-for-the-us:against"]),
    dict(key="hormuz-help", actor="Donald Trump", kind="report", said_on="2026-04", source=POST,
         text="The United States asked for help securing the Strait of Hormuz, and Trump pushed NATO to present a plan to secure the strait.",
         context="After the U.S. entered the Iran conflict alongside Israel", topics=["iran"],
         stances=["allies-should-join-the-iran-war:for"]),
    dict(key="hormuz-demands", actor="Donald Trump", kind="report", said_on="2026-04", source=POST,
         text="Trump wanted concrete military and logistical support to reopen the Strait of Hormuz: military participation in securing the strait, faster operational support and coordination, and clear commitments from NATO countries.",
         context="What Trump asked NATO to do", topics=["iran"]),
    dict(key="defensive-offensive", actor="European allies", kind="report", said_on="2026-04", source=POST,
         text="Some countries drew distinctions between \u201cdefensive\u201d and \u201coffensive\u201d missions; others said they were not consulted in advance.",
         context="Allies' explanations for hesitating over the Strait of Hormuz", topics=["iran"]),
    dict(key="scramble", actor="NATO official (unnamed)", kind="paraphrase", said_on="2026-04", source=POST,
         text="Allies \u201chad to scramble\u201d after the war began.",
         context="One NATO official admitted", topics=["iran"]),
    dict(key="spain-airspace", actor="Spanish government", kind="report", said_on="2026-04", source=POST,
         text="Spain blocked U.S. planes involved in the Iran operation from using its airspace.",
         context="Spain and Germany draw the line", topics=["iran"], stances=["allies-should-join-the-iran-war:against"]),
    dict(key="spain-mistake", actor="Spanish government", kind="paraphrase", said_on="2026-04", source=POST,
         text="Alignment with the U.S. on Iran was a \u201cmistake.\u201d",
         context="Suggested by Spain's leadership", topics=["iran"]),
    dict(key="merz-stabilizing", actor="Friedrich Merz", kind="paraphrase", said_on="2026-04", source=POST,
         text="Germany would focus on \u201cstabilizing\u201d peace after the war, not participating in it.",
         context="Germany avoiding direct support for the Iran operation", topics=["iran", "germany"],
         stances=["allies-should-join-the-iran-war:against"]),
    dict(key="poland-bases", actor="Poland", kind="report", said_on="2026-04", source=POST,
         text="Poland signaled support and approved U.S. requests for base usage.",
         context="Eastern European nations moving more quickly during the Iran war", topics=["iran"],
         stances=["allies-supported-the-us-in-the-iran-war:for"]),
    dict(key="romania-bases", actor="Romania", kind="report", said_on="2026-04", source=POST,
         text="Romania signaled support and approved U.S. requests for base usage.",
         context="Eastern European nations moving more quickly during the Iran war", topics=["iran"],
         stances=["allies-supported-the-us-in-the-iran-war:for"]),
    dict(key="rutte-slow", actor="Mark Rutte", kind="paraphrase", said_on="2026-04", source=POST,
         text="Allies were slow, surprised, and not aligned with Trump\u2019s expectations.",
         context="Admitted by Rutte after the Iran war began", topics=["iran"]),
    dict(key="mark-on-nato", actor="Donald Trump", kind="quote", said_on="2026-04", source=POST,
         text="mark on NATO that will never disappear",
         context="Trump on the lack of allied support in the Iran war", topics=["iran"]),
    dict(key="unhelpful", actor="Donald Trump", kind="report", said_on="2026-04", source=POST,
         text="Trump\u2019s administration is considering moving U.S. troops out of \u201cunhelpful\u201d NATO countries and shifting forces to more supportive nations.",
         context="Options under consideration after the Iran war", topics=["troops", "iran"],
         stances=["us-troop-withdrawal-from-europe:for"]),
    dict(key="close-bases", actor="Donald Trump", kind="report", said_on="2026-04", source=POST,
         text="Trump\u2019s administration is considering potentially closing bases in countries like Spain or Germany and drawing down the U.S. military presence in Europe, with discussions about bringing troops back to the United States entirely.",
         context="Options under consideration after the Iran war", topics=["troops", "iran", "germany"],
         stances=["us-troop-withdrawal-from-europe:for"]),
    dict(key="80000", actor="Naked Politics", kind="report", said_on="2026-04", source=POST,
         text="More than 80,000 American troops are currently stationed across Europe.",
         context="On the scale of a possible withdrawal", topics=["troops"], measure="us-troops-in-europe"),
    dict(key="not-withdrawn", actor="Naked Politics", kind="report", said_on="2026-04", source=POST,
         text="Trump has not formally withdrawn from NATO, but he has gone further than ever before in signaling that he might.",
         context="Assessment in the post", topics=["alliance-cohesion"]),
    dict(key="critics-9-11", actor="Trump critics (unnamed)", kind="paraphrase", said_on="2026-04", source=POST,
         text="Trump is ignoring history: NATO invoked its mutual defense clause after the September 11 attacks and sent troops to fight alongside the United States.",
         context="Critics' response to Trump", topics=["article-5", "iran"], stances=["europe-was-there-for-the-us:for"]),
    dict(key="supporters", actor="Trump supporters (unnamed)", kind="paraphrase", said_on="2026-04", source=POST,
         text="Europe has underinvested in defense for decades and grown dependent on American protection; when a real test came, that dependence turned into hesitation.",
         context="Trump's supporters' view", topics=["burden-sharing", "iran"]),
    dict(key="no-exit-soon", actor="Naked Politics", kind="quote", said_on="2026-04", source=POST,
         text="We don\u2019t anticipate the Trump will exit NATO anytime soon, but there will be other tests, and an exit is not out of the question.",
         context="The post's closing assessment", topics=["alliance-cohesion"]),
]

# Where a contradiction needs judgment rather than a shared figure or stance.
LINKS = [
    ("tested-failed", "contradicts", "poland-bases",
     "The White House says NATO failed the test, yet Poland approved U.S. requests for base usage"),
    ("wasnt-there", "contradicts", "critics-9-11",
     "\u201cNATO wasn\u2019t there\u201d against NATO invoking Article 5 after 9/11"),
    ("rutte-slow", "supports", "scramble", None),
    ("close-bases", "updates", "withdraw-35000", "The 2026 options extend the 2025 Germany withdrawal plan"),
    ("trump-affirms", "contradicts", "wont-defend",
     "February: verbal affirmation of mutual defense beside Starmer; March: \u201cIf they don\u2019t pay, I\u2019m not going to defend them\u201d"),
]


# Who is not a person (ClaimReview's author @type comes from it); everyone else is one.
ACTOR_TYPES = {
    "White House": "government", "U.S. Defense officials (unnamed)": "group", "U.S. representatives at NATO": "group",
    "NATO": "organization", "France": "government", "Germany": "government", "Spanish government": "government",
    "Poland": "government", "Romania": "government", "Lithuania": "government", "Estonia": "government",
    "Baltic states": "group", "European Commission": "organization", "European defence ministers": "group",
    "European leaders": "group", "European allies": "group", "European officials (unnamed)": "group",
    "Russian officials": "group", "Trump critics (unnamed)": "group", "Trump supporters (unnamed)": "group",
    "Naked Politics": "media",
}


def claim_id(actor: str, text: str) -> str:
    """A fixed id from the claim's words, so rebuilding gives the same file; a letter then 7 base-36 digits."""
    number = int(hashlib.sha256(f"{actor}\n{text}".encode()).hexdigest(), 16)
    first, number = string.ascii_lowercase[number % 26], number // 26
    digits = []
    for _ in range(7):
        number, digit = divmod(number, 36)
        digits.append((string.ascii_lowercase + string.digits)[digit])
    return first + "".join(digits)


def build_records() -> list[dict[str, Any]]:
    ids = {c["key"]: claim_id(c["actor"], c["text"]) for c in CLAIMS}
    records = []
    for spec in CLAIMS:
        if "quantities" in spec:
            quantities = [check_quantity(q) for q in spec["quantities"]]
        else:
            quantities = extract_quantities(spec["text"])
            if "measure" in spec:
                assert len(quantities) == 1, (spec["key"], quantities)
                quantities[0]["measure"] = spec["measure"]
        record = {
            "id": ids[spec["key"]], "text": spec["text"], "kind": spec["kind"], "actor": spec["actor"],
            "said_on": spec["said_on"], "context": spec.get("context"), "topics": spec["topics"],
            "status": "unverified", "sources": [dict(spec["source"])], "quantities": quantities,
            "stances": [stance(s) for s in spec.get("stances", [])],
            "links": [{"relation": rel, "to": ids[b], "note": note} for a, rel, b, note in LINKS if a == spec["key"]],
            "notes": spec.get("notes"), "history": [], "created_at": BUILT_AT, "updated_at": BUILT_AT,
        }
        records.append(check_claim(record, now=BUILT_AT))
    return records


def seed_article(name: str, seeds: Path | None = None) -> bytes:
    """The bytes of one seed article: the file `name` in `seeds`, else its archived copy shipped here."""
    from natoclaims.store.archive import read_copy

    return (seeds / name).read_bytes() if seeds is not None else read_copy(SHIPPED, SEED_DIGESTS[name]).raw


def build(path: Path, seeds: Path | None = None) -> None:
    """Write the dataset to `path` through the store, with both seed articles (from `seeds`, else
    the shipped copies) archived beside it (`claims.json.archive/`) and every quote anchored in them."""
    # Read first: building data/claims.json itself writes into the folder the copies come from.
    analysis, post = seed_article(ANALYSIS_FILE, seeds), seed_article(POST_FILE, seeds)
    path.write_bytes(encode(empty_data()))
    store = Store(path)
    with store.writing():
        for name, aliases, role in ACTORS:
            store.put_actor({"name": name, "aliases": sorted(aliases), "role": role, "type": ACTOR_TYPES.get(name, "person")})
        for source in (ANALYSIS, POST):
            store.put_record("sources", source["id"], check_source_record({**source, "type": "article", "archive": None}))
        store.insert_claims(build_records())
        # The analysis as the text it is; the post as the WordPress JSON it was served as.
        archive_source(store, ANALYSIS["id"], analysis, media_type="text/plain", at=BUILT_AT)
        archive_source(store, POST["id"], post, media_type="application/json", at=BUILT_AT)


def main(argv: list[str] | None = None) -> None:
    """`python data/build_dataset.py [OUTPUT]`: usage on --help, never a store named '--help'."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=HERE / "claims.json",
                        help="where to write the store (default: data/claims.json beside this script)")
    parser.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                        help=f"read the seed articles ({ANALYSIS_FILE}, {POST_FILE}) from DIR "
                             "(default: their archived copies in data/claims.json.archive/)")
    arguments = parser.parse_args(argv)
    build(arguments.output, arguments.seeds)


if __name__ == "__main__":
    main()
