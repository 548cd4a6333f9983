"""The archive folder: one WARC file per SHA-256, written once, read back with warcio."""

import hashlib

import pytest
from warcio.archiveiterator import ArchiveIterator

from natoclaims.errors import DamagedArchive, StoreError
from natoclaims.store.archive import copy_path, keep, read_copy, warc_bytes

RAW = b"<html><body><article><p>\xe2\x80\x9cWe will stay,\xe2\x80\x9d he said.</p></article></body></html>"
DETAILS = {"text": "\u201cWe will stay,\u201d he said.", "metadata": {"media_type": "text/html", "title": "Stay"},
           "url": "https://example.com/stay", "at": "2026-11-23T10:00:00.000000Z"}


def test_a_copy_is_a_warc_file_named_by_its_digest_with_bytes_metadata_and_text(tmp_path):
    digest = keep(tmp_path / "a", RAW, **DETAILS)
    assert digest == hashlib.sha256(RAW).hexdigest()
    path = copy_path(tmp_path / "a", digest)
    with open(path, "rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(handle)]
    assert [r[0] for r in records] == ["resource", "metadata", "conversion"]
    assert records[0][1] == "https://example.com/stay" and records[0][2] == RAW
    copy = read_copy(tmp_path / "a", digest)
    assert copy.raw == RAW and copy.text == DETAILS["text"] and copy.metadata["title"] == "Stay"


def test_a_fetched_copy_is_a_response_record_with_its_status_and_headers(tmp_path):
    data = warc_bytes(RAW, status="200 OK", headers=[("Content-Type", "text/html")], **DETAILS)
    path = tmp_path / "x.warc.gz"
    path.write_bytes(data)
    with open(path, "rb") as handle:
        first = next(iter(ArchiveIterator(handle)))
        assert first.rec_type == "response" and first.http_headers.get_statuscode() == "200"
        assert first.content_stream().read() == RAW


def test_the_same_bytes_at_the_same_time_give_the_same_file():
    assert warc_bytes(RAW, **DETAILS) == warc_bytes(RAW, **DETAILS)


def test_keeping_the_same_bytes_again_leaves_the_file_as_it_is(tmp_path):
    digest = keep(tmp_path, RAW, **DETAILS)
    before = copy_path(tmp_path, digest).read_bytes()
    keep(tmp_path, RAW, **{**DETAILS, "at": "2026-11-24T00:00:00Z"})
    assert copy_path(tmp_path, digest).read_bytes() == before


def test_a_deleted_file_is_a_damaged_copy_named_by_digest(tmp_path):
    digest = keep(tmp_path, RAW, **DETAILS)
    copy_path(tmp_path, digest).unlink()
    with pytest.raises(DamagedArchive, match=digest):
        read_copy(tmp_path, digest)


@pytest.mark.parametrize("damage", ["flip", "truncate", "swap"])
def test_a_changed_file_is_a_damaged_copy(tmp_path, damage):
    digest = keep(tmp_path, RAW, **DETAILS)
    path = copy_path(tmp_path, digest)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 3] ^= 0xFF
    elif damage == "truncate":
        del data[len(data) // 2:]
    else:  # a valid WARC file of other bytes under this name
        data = bytearray(warc_bytes(RAW + b" ", **DETAILS))
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedArchive, match=digest):
        read_copy(tmp_path, digest)


def test_a_read_only_folder_is_refused_and_left_empty(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            keep(folder, RAW, **DETAILS)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_record_without_a_digest_is_not_trusted(tmp_path):
    """warcio checks only the digests a record names: one that names none proves nothing."""
    import gzip
    import re

    digest = keep(tmp_path, RAW, **DETAILS)
    path = copy_path(tmp_path, digest)
    inflated = re.sub(rb"WARC-(?:Block|Payload)-Digest: [^\r]*\r\n", b"", gzip.decompress(path.read_bytes()))
    records = [b"WARC/1.1\r\n" + part for part in inflated.split(b"WARC/1.1\r\n")[1:]]
    path.write_bytes(b"".join(gzip.compress(record) for record in records))  # one gzip member a record, as written
    with pytest.raises(DamagedArchive, match="without a digest"):
        read_copy(tmp_path, digest)
