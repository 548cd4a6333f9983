"""Proposing claims from an article's text (SPEC 10): quotations, their speakers, dates, figures and topics.

A pure engine beside `model`: no I/O, no store. `core.extract` feeds it an article and the
store's actors and topics, and turns its candidates into claim records.
"""

from natoclaims.engines.extract.candidates import Candidate, find_candidates, selector, topics_of
from natoclaims.engines.extract.dates import said_on
from natoclaims.engines.extract.quotes import Quotation, quotations
from natoclaims.engines.extract.speakers import Speakers

__all__ = ["Candidate", "Quotation", "Speakers", "find_candidates", "quotations", "said_on", "selector", "topics_of"]
