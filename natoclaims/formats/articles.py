"""Articles: the text and metadata of a page, a WordPress post or a plain-text file, from its bytes.

Pure: bytes in, an `Article` out, or an `InvalidInput` naming what is wrong with them. Both
`source archive` (which keeps the bytes and anchors quotes in the text) and `extract` (which
proposes claims from the text) read articles here, so both see the same text.
trafilatura is loaded only when a page is HTML (it takes ~0.2 s to import).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import cast

import orjson

from natoclaims.errors import InvalidInput

MAX_BYTES = 50 * 1024 * 1024
"""The largest article read: far above any real page, well below what would exhaust memory."""

HTML = "text/html"
TEXT = "text/plain"
WORDPRESS = "application/json"

# Leading bytes of the binary formats people most often hand us by mistake.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<article|<p[\s>]|<div[\s>]|<!--)", re.I)
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
MAX_TAG_PARTS = 1000
"""The most a start tag keeps for the HTML parsers (characters, a quoted value counting as one): past it, thousands
of attributes on one element take libxml2, htmldate and jusText time that grows with their square."""
# One part of a start tag, atomic so that a stray quote never makes the search try two readings of a tag.
_TAG_PART = r"""(?>[^<>"']|"[^"]*"|'[^']*'|["'])"""
_GIANT_TAG = re.compile(rf"<([A-Za-z][^\s/<>]*+)({_TAG_PART}{{{MAX_TAG_PARTS}}}){_TAG_PART}*>")


LARGE_PAGE = 4 * 1024 * 1024
"""The longest markup (characters) given to trafilatura, which takes ~5 s a MB and far more past a few MB,
in C code no Ctrl-C reaches: a longer page's text is its block elements' text, in time linear in its size."""
_UNSEEN = ("head", "script", "style", "noscript", "template", "svg", "iframe", "object")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "article",
           "section", "header", "footer", "aside", "nav", "main", "ul", "ol", "dl", "dt", "dd", "table", "figure",
           "figcaption", "hr", "address", "form", "fieldset")


@dataclass(frozen=True)
class Article:
    """The readable text of an article and what it says about itself."""

    text: str
    media_type: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    url: str | None = None


def read_article(data: bytes, *, media_type: str | None = None, charset: str | None = None,
                 url: str | None = None) -> Article:
    """The article in `data`: HTML (its main text by trafilatura), a WordPress post's JSON, or plain text.

    `media_type` and `charset` are what a server said (a Content-Type), if anything; the bytes
    decide otherwise. `url` is where the bytes came from, which helps trafilatura.
    """
    if not data.strip():
        raise InvalidInput("the file is empty")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for an article")
    refuse_binary(data)
    text = decode(data, charset)
    kind = _kind(text, media_type)
    if kind == WORDPRESS:
        return _wordpress(text, url)
    if kind == HTML:
        return _page(text, url)
    body = _clean(text)
    if not body:
        raise InvalidInput("the file holds no text")
    return Article(text=body, media_type=TEXT, url=url)


def refuse_binary(data: bytes) -> None:
    """Refuse images, PDFs, archives and other binary data, naming what it looks like."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            raise InvalidInput(f"{name} is not supported: give an HTML page or a text file")
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput("binary data is not supported: give an HTML page or a text file")


def decode(data: bytes, charset: str | None = None) -> str:
    """The text of `data`: a byte-order mark, then UTF-8, then a declared charset, then a detected one.

    Mojibake (UTF-8 once read as Windows-1252) is repaired with ftfy's encoding fix only, which
    leaves curly quotes and dashes as they are: a quote's exact words are what we anchor.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict") if _is_utf8(data[3:]) else None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_as(data, "utf-16")
    else:
        text = data.decode("utf-8") if _is_utf8(data) else None
    if text is None:
        declared = charset or _declared_charset(data)
        text = _decode_as(data, declared) if declared else None
    if text is None:
        text = _detected(data)
    if "\x00" in text:
        raise InvalidInput("binary data is not supported: give an HTML page or a text file")
    if _looks_mojibake(text):
        import ftfy

        text = ftfy.fix_encoding(text)
    return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_as(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _declared_charset(data: bytes) -> str | None:
    found = _DECLARED_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _detected(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InvalidInput("the file is not text in any encoding natoclaims can tell (not UTF-8, none declared)")
    return str(best)


def _looks_mojibake(text: str) -> bool:
    # UTF-8 read as Windows-1252 leaves "Ã" or "â€" before the second byte of each character.
    return "Ã" in text or "â€" in text


def _kind(text: str, media_type: str | None) -> str:
    declared = (media_type or "").split(";")[0].strip().lower()
    if declared in ("application/json", "text/json") or (text.lstrip().startswith("{") and _is_json(text)):
        return WORDPRESS
    if declared in ("text/html", "application/xhtml+xml"):
        return HTML
    if declared and declared != "text/plain" and not declared.startswith("text/"):
        raise InvalidInput(f"{declared} is not supported: give an HTML page or a text file")
    if declared != "text/plain" and _HTML_START.match(text.encode("utf-8", "surrogatepass")[:512]):
        return HTML
    return TEXT


def _is_json(text: str) -> bool:
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True


def _wordpress(text: str, url: str | None) -> Article:
    try:
        post = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"the file is not valid JSON ({error})") from None
    content = post.get("content") if isinstance(post, dict) else None
    rendered = content.get("rendered") if isinstance(content, dict) else None
    if not isinstance(rendered, str):
        raise InvalidInput("JSON is supported only as a WordPress post (with content.rendered)")
    page = _page(rendered, url or _string(post.get("link")))
    title = post.get("title")
    return Article(text=page.text, media_type=WORDPRESS,
                   title=_plain(title.get("rendered")) if isinstance(title, dict) else page.title,
                   author=page.author, site=page.site,
                   published=(_string(post.get("date")) or "")[:10] or page.published,
                   url=url or _string(post.get("link")))


def _page(markup: str, url: str | None) -> Article:
    markup = _GIANT_TAG.sub(r"<\1\2>", markup)  # a real page's tags are all shorter: it reaches trafilatura unchanged
    if len(markup) > LARGE_PAGE:
        return _large_page(markup, url)
    import trafilatura
    from trafilatura.settings import Document

    # favor_recall keeps lists and short paragraphs, where quotes often sit. No extensive date
    # search: for a page without a date it guesses (January 1 of this year), and a date is evidence.
    # (Its declared result adds the dict that only the deprecated as_dict=True gives.)
    document = cast(Document | None, trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, favor_recall=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True}))
    body = _clean(document.text or "") if document is not None else ""
    if document is None or not body:
        raise InvalidInput("no article text found in the page")
    return Article(text=body, media_type=HTML, title=_plain(document.title), author=_plain(document.author),
                   site=_plain(document.sitename), published=_plain(document.date), url=url or _plain(document.url))


def _large_page(markup: str, url: str | None) -> Article:
    """A page too long for trafilatura: the text of its block elements, a line each, and its title."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(markup)
    except (ValueError, ParserError):
        raise InvalidInput("no article text found in the page") from None
    title = root.findtext(".//title")
    for element in list(root.iter(*_UNSEEN)):
        element.drop_tree()
    for element in root.iter():  # the page's own line breaks are spaces, as a browser shows them
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    body = _clean("\n".join(line for line in lines if line))
    if not body:
        raise InvalidInput("no article text found in the page")
    return Article(text=body, media_type=HTML, title=_plain(title), url=url)


def _clean(text: str) -> str:
    """NFC, LF line ends, no blank-line runs, no outer whitespace: the text quotes are anchored in."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def _plain(value: object) -> str | None:
    return " ".join(html.unescape(value).split()) or None if isinstance(value, str) else None


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
