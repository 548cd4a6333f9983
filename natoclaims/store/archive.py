"""The archive folder: copies of sources as WARC files, one per SHA-256 of the bytes kept.

`claims.json.archive/<sha256>.warc.gz` holds, written once with `warcio` and never changed:
- the raw bytes, as a `resource` record (a file or stdin) or a `response` record (fetched: the
  status line and headers too), with WARC-Target-URI and WARC-Date;
- a `metadata` record: JSON with the title, author, site, published date, final URL and media type;
- a `conversion` record: the extracted text quotes are anchored in (so checking never re-extracts).
Record ids are drawn from the digest, so archiving the same bytes at the same time gives the same
file byte for byte (the bundled dataset rebuilds identically). Reading checks the digest: a file
that is gone or changed is a damaged archive, named by its digest.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from natoclaims.errors import DamagedArchive, StoreError
from natoclaims.store.files import write_atomically

SUFFIX = ".warc.gz"
_NAMESPACE = uuid.UUID("6f3c1e58-8d1e-4c43-9a57-2b1d8f0a6c11")


@dataclass(frozen=True)
class Copy:
    """One archived copy as its WARC file holds it."""

    digest: str
    raw: bytes
    text: str
    metadata: dict[str, Any]


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
    if path.exists():
        read_copy(folder, digest)  # a damaged file under this name is reported, never trusted
        return digest
    if folder.exists() and (not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK)):
        # Mode bits too: root may write anywhere, but a folder made read-only is meant to stay so.
        raise StoreError(f"{folder}: the archive folder is read-only")
    write_atomically(path, warc_bytes(raw, **details))
    return digest


def read_copy(folder: Path, digest: str) -> Copy:
    """A copy read back with warcio's ArchiveIterator, its bytes checked against its digest."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = copy_path(folder, digest)
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise DamagedArchive(digest, f"{path} is missing") from None
    except OSError as exc:
        raise DamagedArchive(digest, f"{path}: {exc.strerror or exc}") from None
    raw = text = metadata = None
    try:
        with handle:
            for record in ArchiveIterator(handle, check_digests="raise"):
                kind = record.rec_type
                body = record.content_stream().read()
                if kind in ("resource", "response"):
                    raw = body
                elif kind == "metadata":
                    metadata = orjson.loads(body)
                elif kind == "conversion":
                    text = body.decode("utf-8")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, UnicodeDecodeError, orjson.JSONDecodeError):
        raise DamagedArchive(digest, f"{path} is not a readable WARC file (changed on disk?)") from None
    except Exception:  # zlib and warcio raise many kinds on a damaged file  # noqa: BLE001
        raise DamagedArchive(digest, f"{path} is not a readable WARC file (changed on disk?)") from None
    if raw is None or text is None or not isinstance(metadata, dict):
        raise DamagedArchive(digest, f"{path} lacks the copy's bytes, metadata or text")
    if digest_of(raw) != digest:
        raise DamagedArchive(digest, f"{path} no longer holds the bytes of that digest (changed on disk)")
    return Copy(digest, raw, text, metadata)


def copy_files(source: Path, target: Path, digests: set[str]) -> None:
    """Bring the WARC files of these copies from one archive folder into another (import, first run)."""
    for digest in sorted(digests):
        if copy_path(target, digest).exists():
            continue
        read_copy(source, digest)
        write_atomically(copy_path(target, digest), copy_path(source, digest).read_bytes())
