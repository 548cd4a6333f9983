"""Single fields: ids and id prefixes, choices, slugs, URLs and free text. Pure."""

import re
import secrets
import string
import unicodedata
from collections.abc import Collection, Container
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from natoclaims.errors import InvalidInput, NotFound

ID_RE = re.compile(r"^[a-z][a-z0-9]{5,}$")
DIGEST_RE = re.compile(r"[0-9a-f]{64}")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_ALPHABET = string.ascii_lowercase + string.digits
# Printable ASCII, no space, no port (a port is checked by parsing).
PLAIN_URL_RE = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][!-~]*)?")
# A URL already in the form `normalise_url` gives: lower-case scheme and host, no port, no query,
# no fragment, no trailing slash.
NORMAL_URL_RE = re.compile(r"https?://[a-z0-9.-]+(?:/[^?#\s]*[^/?#\s])?")
URL_FORBIDDEN_RE = re.compile(r"[\s\x00-\x1f\x7f]")
TIMESTAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]00:00)")
MIN_PREFIX = 4
MAX_VALUE = 10**15  # larger than any budget a claim states; keeps values exact in JSON



def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with a `Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_timestamp(value: Any, what: str) -> str:
    """A UTC ISO 8601 timestamp as `utc_now` writes it (seconds at least; `Z` or `+00:00`)."""
    if isinstance(value, str) and TIMESTAMP_RE.fullmatch(value):
        try:
            datetime.fromisoformat(value)  # a real date and time of day
            return value
        except ValueError:
            pass
    raise InvalidInput(f"{what} {value!r} is not a UTC ISO timestamp")


def new_id(taken: Container[str] = frozenset()) -> str:
    """A random id: a letter then 7 letters or digits, not in `taken` (random, so branches never clash)."""
    while True:
        number = secrets.randbits(64)
        number, first = divmod(number, 26)
        digits = []
        for _ in range(7):
            number, digit = divmod(number, 36)
            digits.append(ID_ALPHABET[digit])
        candidate = string.ascii_lowercase[first] + "".join(digits)
        if candidate not in taken:
            return candidate


def resolve_id(prefix: str, ids: Collection[str]) -> str:
    """The one id in `ids` equal to `prefix` or starting with it (a prefix needs >= 4 chars)."""
    prefix = prefix.strip().lower()
    if prefix in ids:
        return prefix
    if len(prefix) < MIN_PREFIX:
        raise NotFound(f"no claim with id {prefix!r} (a prefix needs at least {MIN_PREFIX} characters)")
    matches = [i for i in ids if i.startswith(prefix)]
    if not matches:
        import difflib

        # A mistyped character or two: ids whose start is that close to what was typed.
        near = [i for i in sorted(ids) if difflib.SequenceMatcher(None, prefix, i[:len(prefix)]).ratio() >= 0.75]
        raise NotFound(f"no claim with id {prefix!r}" + (f" (did you mean {' or '.join(near[:3])}?)" if near else ""))
    if len(matches) > 1:
        shown = ", ".join(sorted(matches)[:5])
        raise NotFound(f"id prefix {prefix!r} is ambiguous: it matches {len(matches)} claims ({shown})")
    return matches[0]


def choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`, else an error naming the choices."""
    if not isinstance(value, str) or value not in allowed:
        import difflib

        near = [a for a in allowed if isinstance(value, str) and value and a.startswith(value)] or \
            difflib.get_close_matches(str(value), allowed, n=1)
        raise InvalidInput(f"unknown {what} {value!r}" + (f" (did you mean {near[0]}?)" if near else "")
                           + f": use one of {', '.join(allowed)}")
    return str(value)  # a plain str even for a vocabulary member: records hold what a parse of the file gives


def slug(value: Any, what: str = "topic") -> str:
    """A lowercase slug: 'Article 5' -> 'article-5'."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, not {type(value).__name__}")
    if SLUG_RE.fullmatch(value):
        return value
    result = re.sub(r"[\s_]+", "-", value.strip().lower())
    if not SLUG_RE.match(result):
        raise InvalidInput(f"invalid {what} {value!r}: use lowercase letters, digits and hyphens")
    return result


# -- fields --------------------------------------------------------------------------------

def check_url(url: Any) -> str:
    """An http(s) URL with a host and a valid port; anything else (javascript:, file:, bare words) is refused."""
    if isinstance(url, str) and PLAIN_URL_RE.fullmatch(url):
        return url  # the usual case, without parsing
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("empty source URL")
    url = url.strip()
    if URL_FORBIDDEN_RE.search(url):
        raise InvalidInput(f"invalid source URL {url!r}: it contains spaces or control characters")
    try:
        url.encode("utf-8")
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port  # parsing the port refuses ':99999' and ':abc'
    except UnicodeEncodeError:
        raise InvalidInput(f"invalid source URL {url!r}: it holds bytes that are not UTF-8") from None
    except ValueError as exc:  # '[x]' or an unclosed '[::1' host, a port out of range or not a number
        raise InvalidInput(f"invalid source URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"invalid source URL {url!r}: only http and https URLs are accepted")
    if not host:
        raise InvalidInput(f"invalid source URL {url!r}: it has no host")
    if port == 0:
        raise InvalidInput(f"invalid source URL {url!r}: port 0 is not a port")
    return cast(str, url)


def normalise_url(url: str) -> str:
    """The form that says whether two URLs name one source: scheme and host in lower case, no
    default port, no fragment, no utm_* parameters, no trailing slash."""
    if NORMAL_URL_RE.fullmatch(url):
        return url  # already in normal form: the usual case, without parsing
    return _normalise_parsed(url)


def _normalise_parsed(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit((scheme, host, parts.path.rstrip("/"), query, ""))


def text_field(value: Any, what: str, *, required: bool = False) -> str | None:
    """A free-text field: a string (non-empty when required), or None."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise InvalidInput(f"empty {what}")
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(f"{what} is not valid text (it holds bytes that are not UTF-8)") from None
        # One spelling per text: "é" typed as one character or as e + accent is the same claim.
        value = unicodedata.normalize("NFC", value)
    return cast(str, value)
