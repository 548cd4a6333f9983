"""Fetching a page over HTTP(S) for `source archive --fetch`: http and https only, a timeout for
each read and a limit on the whole transfer, a size limit, redirects followed (to http(s) only)
and the final URL kept."""

from __future__ import annotations

import http.client
import socket
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from natoclaims.errors import FetchError, InvalidInput
from natoclaims.model import check_url

if TYPE_CHECKING:
    import urllib.request

TIMEOUT_SECONDS = 20.0
TRANSFER_SECONDS = 60.0
"""The whole transfer, redirects included: a server sending a byte every few seconds never trips a per-read timeout."""
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


class _Deadline:
    """Shuts every connection of a fetch once the whole transfer has taken too long, which ends any
    read still waiting (the socket timeout bounds each read only)."""

    def __init__(self, seconds: float) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def connection(self, http_class: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        """A connection class for urllib's `do_open` whose connections this deadline can shut."""
        deadline = self

        class Watched(http_class):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                # The socket itself: urllib's do_open sets the connection's `sock` to None once the
                # response starts, while the body is still read from it.
                with deadline.lock:
                    deadline.sockets.append(self.sock)
                    if deadline.expired:
                        deadline.shut(self.sock)

        return Watched

    def expire(self) -> None:
        """Time is up: end the transfer."""
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self.shut(sock)

    @staticmethod
    def shut(sock: socket.socket) -> None:
        """End a socket's reads and writes at once."""
        try:  # the plain socket's shutdown: on a TLS one it would touch the TLS state another thread reads
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:  # already closed
            pass


def fetch(url: str, *, timeout: float | None = None, limit: int | None = None) -> Page:
    """GET a page: http(s) only at every hop, at most `limit` bytes (default `articles.MAX_BYTES`),
    `timeout` seconds for each connect and read (default `TIMEOUT_SECONDS`), `TRANSFER_SECONDS` in all."""
    import urllib.request

    from natoclaims.formats import articles

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

    deadline = _Deadline(TRANSFER_SECONDS)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):  # type: ignore[no-untyped-def]
            return self.do_open(deadline.connection(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):  # type: ignore[no-untyped-def]
            # HTTPSHandler sets _context in __init__; typeshed leaves the private attribute out.
            return self.do_open(deadline.connection(http.client.HTTPSConnection), req,
                                context=self._context)  # type: ignore[attr-defined]

    opener = urllib.request.build_opener(Redirects(), Http(), Https())
    request = urllib.request.Request(url, headers={"User-Agent": "natoclaims (source archive)",
                                                   "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"})
    deadline.timer.start()
    try:
        page = _get(opener, request, url, timeout, limit)
    except FetchError:
        if not deadline.expired:
            raise
    finally:
        deadline.timer.cancel()
    if deadline.expired:  # whatever the cut connection looked like, even a body that seems whole
        raise FetchError(f"{url}: the transfer took longer than {TRANSFER_SECONDS:g} seconds, the limit for a whole fetch")
    return page


def _get(opener: urllib.request.OpenerDirector, request: urllib.request.Request, url: str, timeout: float,
         limit: int) -> Page:
    """The GET itself, every failure one FetchError."""
    import ssl
    import urllib.error
    import urllib.parse

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
