"""The archive folder: copies of sources as WARC files, one per SHA-256 of the bytes kept.

`claims.json.archive/<sha256>.warc.gz` holds, written once with `warcio` and never changed:
- the raw bytes, as a `resource` record (a file or stdin) or a `response` record (fetched: the
  status line and headers too), with WARC-Target-URI and WARC-Date;
- a `metadata` record: JSON with the title, author, site, published date, final URL and media type;
- a `conversion` record: the extracted text quotes are anchored in (bound to the raw bytes by nothing
  but a reader extracting them again, as `core.archive` does on every read).
Record ids are drawn from the digest, so archiving the same bytes at the same time gives the same
file byte for byte (the bundled dataset rebuilds identically). Reading checks the digest: a file
that is gone or changed is a damaged archive, named by its digest. A branch may commit anything
under these names, so a copy is read only as a regular file (never through a link), every record
must carry a digest that holds, and no record may inflate beyond `MAX_RECORD_BYTES`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from natoclaims.errors import DamagedArchive, StoreError
from natoclaims.store.files import open_owned, reading, real_folder

SUFFIX = ".warc.gz"
MAX_RECORD_BYTES = 50 * 1024 * 1024
"""The most a record may inflate to: the limit of a fetched page or an archived file (`articles.MAX_BYTES`)."""
_HEADERS_BYTES = 1024 * 1024  # the WARC and HTTP headers of a copy's three records, with room to spare
_NAMESPACE = uuid.UUID("6f3c1e58-8d1e-4c43-9a57-2b1d8f0a6c11")


@dataclass(frozen=True)
class Copy:
    """One archived copy as its WARC file holds it."""

    digest: str
    raw: bytes
    text: str
    metadata: dict[str, Any]
    charset: str | None = None  # what the server said of a fetched copy's bytes (its Content-Type)


def digest_of(raw: bytes) -> str:
    """The SHA-256 (hex) that names a copy."""
    return hashlib.sha256(raw).hexdigest()


def copy_path(folder: Path, digest: str) -> Path:
    """The WARC file of one copy."""
    return folder / f"{digest}{SUFFIX}"


def _record_id(digest: str, part: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, f'{digest}/{part}')}>"


def warc_bytes(raw: bytes, *, text: str, metadata: dict[str, Any], url: str | None, at: str,
               status: str | None = None, headers: list[tuple[str, str]] | None = None) -> bytes:
    """The WARC file of one copy: the raw bytes, their metadata and their extracted text."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    digest = digest_of(raw)
    target = url or f"urn:sha256:{digest}"
    date = at if at.endswith("Z") else at + "Z"
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")

    def record(kind: str, payload: bytes, content_type: str, **extra: Any) -> None:
        raw_record = kind in ("resource", "response")
        headers_dict = {"WARC-Record-ID": _record_id(digest, "raw" if raw_record else kind), "WARC-Date": date}
        if not raw_record:
            headers_dict["WARC-Refers-To"] = _record_id(digest, "raw")
        writer.write_record(writer.create_warc_record(target, kind, payload=io.BytesIO(payload), length=len(payload),
                                                      warc_content_type=content_type,
                                                      warc_headers_dict=headers_dict, **extra))

    media_type = metadata.get("media_type") or "application/octet-stream"
    if status is not None:
        http = StatusAndHeaders(status, headers or [("Content-Type", media_type)], protocol="HTTP/1.1")
        record("response", raw, "application/http; msgtype=response", http_headers=http)
    else:
        record("resource", raw, media_type)
    record("metadata", orjson.dumps(metadata, option=orjson.OPT_SORT_KEYS), "application/json")
    record("conversion", text.encode("utf-8"), "text/plain; charset=utf-8")
    return out.getvalue()


def keep(folder: Path, raw: bytes, **details: Any) -> str:
    """Write a copy into the archive folder (once: the same bytes already kept are left as they are); its digest."""
    digest = digest_of(raw)
    path = copy_path(folder, digest)
    real_folder(folder, "archive folder")
    if os.path.lexists(path):
        read_copy(folder, digest)  # a damaged file under this name is reported, never trusted
        return digest
    if folder.exists() and (not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK)):
        # Mode bits too: root may write anywhere, but a folder made read-only is meant to stay so.
        raise StoreError(f"{folder}: the archive folder is read-only")
    _write_new(path, warc_bytes(raw, **details))
    return digest


def _write_new(path: Path, data: bytes) -> None:
    """Create a copy's file: a new one (O_EXCL, never through a link), written whole or not left at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path.parent}: cannot make the archive folder: {exc.strerror or exc}") from None
    fd = open_owned(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, "archived copy")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def read_copy(folder: Path, digest: str, *, owned: bool = True) -> Copy:
    """A copy read back with warcio's ArchiveIterator, its bytes checked against its digest.
    `owned=False` reads another store's folder (an import, the bundled dataset): links followed there."""
    return _parse(_file_bytes(folder, digest, owned=owned), copy_path(folder, digest), digest)


def _limit() -> int:
    """The most a copy's file may hold, compressed or inflated: three records and their headers."""
    return 3 * MAX_RECORD_BYTES + _HEADERS_BYTES


def _file_bytes(folder: Path, digest: str, *, owned: bool) -> bytes:
    """The bytes of a copy's file: a regular file (a FIFO or /dev/zero would never end), read with a limit."""
    path = copy_path(folder, digest)
    try:
        if owned:  # before the copy's own path: under a plain file every copy would look missing
            real_folder(folder, "archive folder")
    except StoreError as exc:
        raise DamagedArchive(digest, str(exc)) from None
    if not os.path.lexists(path):
        raise DamagedArchive(digest, f"{path} is missing")
    try:
        if owned:
            with os.fdopen(open_owned(path, os.O_RDONLY, "archived copy"), "rb") as handle:
                data = handle.read(_limit() + 1)
        else:
            with reading(path, what="archived copy") as handle:
                data = handle.read(_limit() + 1)
    except StoreError as exc:
        raise DamagedArchive(digest, str(exc)) from None
    except OSError as exc:
        raise DamagedArchive(digest, f"{path}: {exc.strerror or exc}") from None
    if len(data) > _limit():
        raise DamagedArchive(digest, f"{path} is larger than any archived copy can be")
    return data


class _TooLarge(Exception):
    """A record (or the file's headers) inflating beyond the limit: a gzip bomb, or not ours."""


class _Inflating(io.RawIOBase):
    """A WARC file inflated as warcio reads it, cut off past a limit (warcio itself inflates without one)."""

    def __init__(self, data: bytes, limit: int) -> None:
        self.gzip = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
        self.left = limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.gzip.read(self.left + 1 if size < 0 else min(size, self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise _TooLarge
        return data


def _parse(data: bytes, path: Path, digest: str) -> Copy:
    """The records of a copy's file, each digest checked (one without is not trusted), each bounded."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    raw = text = metadata = charset = None
    try:
        for record in ArchiveIterator(_Inflating(data, _limit()), check_digests="raise"):
            kind = record.rec_type
            body = record.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(body) > MAX_RECORD_BYTES:
                raise _TooLarge
            if not record.rec_headers.get_header("WARC-Block-Digest"):
                raise DamagedArchive(digest, f"{path} holds a {kind} record without a digest (not written by natoclaims)")
            if kind in ("resource", "response"):
                raw = body
                if record.http_headers is not None:
                    charset = _charset(record.http_headers.get_header("Content-Type"))
            elif kind == "metadata":
                metadata = orjson.loads(body)
            elif kind == "conversion":
                text = body.decode("utf-8")
    except _TooLarge:
        raise DamagedArchive(digest, f"{path} inflates beyond the {MAX_RECORD_BYTES // (1024 * 1024)} MB limit "
                             "of a record") from None
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, UnicodeDecodeError, orjson.JSONDecodeError):
        raise DamagedArchive(digest, f"{path} is not a readable WARC file (changed on disk?)") from None
    except DamagedArchive:
        raise
    except Exception:  # zlib and warcio raise many kinds on a damaged file  # noqa: BLE001
        raise DamagedArchive(digest, f"{path} is not a readable WARC file (changed on disk?)") from None
    if raw is None or text is None or not isinstance(metadata, dict):
        raise DamagedArchive(digest, f"{path} lacks the copy's bytes, metadata or text")
    if digest_of(raw) != digest:
        raise DamagedArchive(digest, f"{path} no longer holds the bytes of that digest (changed on disk)")
    return Copy(digest, raw, text, metadata, charset)


def _charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header names, if any."""
    from email.message import Message

    message = Message()
    message["Content-Type"] = content_type or ""
    return message.get_content_charset()


def copy_files(source: Path, target: Path, digests: set[str]) -> None:
    """Bring the WARC files of these copies from one archive folder into another (import, first run)."""
    real_folder(target, "archive folder")
    for digest in sorted(digests):
        path = copy_path(target, digest)
        if os.path.lexists(path):
            continue
        data = _file_bytes(source, digest, owned=False)
        _parse(data, copy_path(source, digest), digest)
        _write_new(path, data)
