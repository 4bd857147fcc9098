# ruff: noqa: F811 - the shared fixtures are imported from company_helpers
"""Upload checks by content and streaming fingerprints (REG-7, SEC-3)."""

from __future__ import annotations

import hashlib

import pytest

from lpse.vendors.uploads import UploadRejected, detect_type, store_upload, stored_path

from .company_helpers import EXE, JPEG, PDF, PNG, media, upload  # noqa: F401


@pytest.mark.parametrize(
    ("content", "kind"), [(PDF, "pdf"), (JPEG, "jpeg"), (PNG, "png"), (EXE, ""), (b"", "")]
)
def test_type_is_detected_from_the_first_bytes(content, kind):
    """REG-7: PDF, JPEG and PNG by magic bytes; anything else is unknown."""
    assert detect_type(content[:8]) == kind


def test_stored_file_is_named_by_sha256_and_fingerprints_match_hashlib(media):
    """REG-7, SEC-3: MD5/SHA-256 computed in one pass; stored name never the user's."""
    stored = store_upload(upload("../../etc/passwd.pdf", PDF * 1000))
    content = PDF * 1000
    assert stored.md5 == hashlib.md5(content).hexdigest()  # noqa: S324
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert "passwd" not in stored.stored_name
    assert stored.stored_name.endswith(f"{stored.sha256}.pdf")
    assert stored_path(stored.stored_name).read_bytes() == content


def test_renamed_program_is_refused_and_leaves_no_file(media):
    """REG-7: an .exe named .pdf is refused by content, and nothing stays on disk."""
    with pytest.raises(UploadRejected) as refused:
        store_upload(upload("penawaran.pdf", EXE))
    assert refused.value.code == "bad_type"
    assert "bukan PDF, JPEG atau PNG" in refused.value.message
    assert refused.value.detected == "exe"
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_oversize_upload_is_refused_naming_the_limit(media, settings):
    """REG-7: LPSE_MAX_UPLOAD_MB limits the size; the message names the limit."""
    settings.LPSE_MAX_UPLOAD_MB = 1
    big = upload("besar.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(UploadRejected) as refused:
        store_upload(big)
    assert refused.value.code == "too_large"
    assert "1 MB" in refused.value.message
    assert not [p for p in media.rglob("*") if p.is_file()]
