"""Fetching a page over HTTP(S) for `source archive --fetch`: http and https only, a timeout, a
size limit, redirects followed (to http(s) only) and the final URL kept."""

from __future__ import annotations

from dataclasses import dataclass

from natoclaims.errors import FetchError, InvalidInput
from natoclaims.model import check_url

TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 10
_ACCEPTED = ("text/", "application/xhtml+xml", "application/json")


@dataclass(frozen=True)
class Page:
    """What a server sent: the bytes, where they finally came from, and the response's head."""

    raw: bytes
    url: str
    status: str
    headers: list[tuple[str, str]]
    media_type: str | None
    charset: str | None


def fetch(url: str, *, timeout: float | None = None, limit: int | None = None) -> Page:
    """GET a page: http(s) only at every hop, at most `limit` bytes (default `articles.MAX_BYTES`),
    `timeout` seconds for each connect and read (default `TIMEOUT_SECONDS`)."""
    import http.client
    import ssl
    import urllib.error
    import urllib.parse
    import urllib.request

    from natoclaims import articles

    check_url(url)
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    limit = articles.MAX_BYTES if limit is None else limit

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            try:
                check_url(newurl)
            except InvalidInput:
                raise FetchError(f"{url}: redirected to {newurl!r}, which is not an http(s) URL") from None
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(Redirects())
    request = urllib.request.Request(url, headers={"User-Agent": "natoclaims (source archive)",
                                                   "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"})
    try:
        with opener.open(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type() if response.headers.get("Content-Type") else None
            if media_type and not media_type.startswith(_ACCEPTED):
                raise FetchError(f"{url}: the server sent {media_type}, which is not supported: "
                                 "an HTML page or a text file is")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: the page is larger than the {limit // (1024 * 1024)} MB limit")
            raw = response.read(limit + 1)
            if len(raw) > limit:
                raise FetchError(f"{url}: the page is larger than the {limit // (1024 * 1024)} MB limit")
            status = f"{response.status} {response.reason}"
            headers = list(response.headers.items())
            return Page(raw, response.geturl(), status, headers, media_type, response.headers.get_content_charset())
    except urllib.error.HTTPError as error:
        target = (error.headers.get("Location") or "") if error.headers else ""
        if 300 <= error.code < 400 and target and urllib.parse.urlsplit(target).scheme.lower() not in ("", "http", "https"):
            raise FetchError(f"{url}: redirected to {target!r}, which is not an http(s) URL") from None
        if 300 <= error.code < 400:
            raise FetchError(f"{url}: too many redirects (a loop?), more than {MAX_REDIRECTS}") from None
        raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, ssl.SSLError):
            raise FetchError(f"{url}: no secure (TLS) connection: {reason.reason or reason}") from None
        if isinstance(reason, TimeoutError):
            raise FetchError(f"{url}: no answer within {timeout:g} seconds") from None
        raise FetchError(f"{url}: cannot fetch: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {timeout:g} seconds") from None
    except ssl.SSLError as error:
        raise FetchError(f"{url}: no secure (TLS) connection: {error.reason or error}") from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise FetchError(f"{url}: cannot fetch: {error}") from None
