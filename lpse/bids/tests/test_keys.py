"""Tender keys: generation, certificates and k-of-n split private keys (BID-4)."""

# ruff: noqa: F811  (fixtures imported from seal_fixtures)

from __future__ import annotations

import io
import itertools
import json

import pytest
from cryptography import x509

from lpse.bids import crypto, keys

from .seal_fixtures import tender_key  # noqa: F401


@pytest.fixture(scope="module")
def split(tender_key):
    return keys.split_private_key(
        tender_key.key, shares=3, threshold=2, passphrases=["satu-satu", "dua-dua", None]
    )


PASSPHRASES = ["satu-satu", "dua-dua", None]


def same_key(a, b) -> bool:
    return a.private_numbers() == b.private_numbers()


def test_any_k_of_n_shares_recover_the_key(tender_key, split):
    """BID-4: any 2 of 3 shares (each with its holder's passphrase) open the key."""
    for pair in itertools.combinations(range(3), 2):
        shares = [(split.shares[i], PASSPHRASES[i]) for i in pair]
        assert same_key(keys.combine_private_key(split.encrypted_key, shares), tender_key.key)


def test_encrypted_key_does_not_contain_the_key_in_clear(tender_key, split):
    """BID-4: the stored blob never holds the private key whole, in clear."""
    from cryptography.hazmat.primitives import serialization

    der = tender_key.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    blob = split.encrypted_key + b"".join(split.shares)
    assert der[40:80] not in blob
    header = json.loads(split.encrypted_key)
    assert header["threshold"] == 2 and header["shares"] == 3
    assert header["key_id"] == keys.key_id(tender_key.key.public_key())


def test_one_share_is_not_enough(split):
    """BID-4: fewer than k shares: "not_enough_shares"; a share given twice counts once."""
    with pytest.raises(keys.ShareError) as raised:
        keys.combine_private_key(split.encrypted_key, [(split.shares[2], None)] * 2)
    assert raised.value.code == "not_enough_shares"
    assert "perlu 2, ada 1" in raised.value.message
    assert "2 needed, 1 given" in raised.value.message_en


def test_wrong_or_missing_passphrase_is_reported(split):
    """BID-4: a protected share with a wrong or no passphrase: "wrong_passphrase"."""
    for passphrase in ("salah", None):
        with pytest.raises(keys.ShareError) as raised:
            keys.combine_private_key(
                split.encrypted_key, [(split.shares[0], passphrase), (split.shares[2], None)]
            )
        assert raised.value.code == "wrong_passphrase"


def test_share_of_another_key_or_garbage_is_bad_share(tender_key, split):
    """BID-4: a share from another split, altered or not a share at all: "bad_share"."""
    other = keys.split_private_key(tender_key.key, shares=2, threshold=2)
    altered = json.loads(split.shares[2])
    altered["data"] = altered["data"][:-8] + "AAAAAAA="
    cases = [
        [(other.shares[0], None), (split.shares[2], None)],
        [(b"not a share", None), (split.shares[2], None)],
        [(json.dumps(altered).encode(), None), (split.shares[1], "dua-dua")],
    ]
    for shares in cases:
        with pytest.raises(keys.ShareError) as raised:
            keys.combine_private_key(split.encrypted_key, shares)
        assert raised.value.code == "bad_share", shares


def test_share_text_file_round_trip(split):
    """BID-4: a share as a PEM-like text file describes itself and reads back."""
    text = keys.share_to_pem(split.shares[1])
    assert "Bagian kunci paket (LPSE) 2 dari 3; perlu 2" in text
    assert keys.share_from_pem(text) == split.shares[1]
    info = keys.share_info(text)
    assert (info.index, info.threshold, info.shares, info.protected) == (2, 2, 3, True)


def test_generated_key_and_self_signed_certificate_seal_and_open(tmp_path):
    """BID-4: `keygen`'s key pair and certificate work for sealing and opening (BID-3)."""
    key = keys.generate_key_pair(2048)
    certificate = keys.self_signed_certificate(key, "Paket 10000001", days=90)
    assert certificate.subject.rfc4514_string() == "CN=Paket 10000001"
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_encipherment
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(b"penawaran"), out, certificate)
    out.seek(0)
    assert crypto.open_to_file(out, tmp_path / "p", key, certificate=certificate).size == 9


def test_split_rejects_unsafe_parameters(tender_key):
    """BID-4: k must be at least 2 when there is more than one holder, and k <= n."""
    for shares, threshold in ((3, 1), (2, 3), (0, 0)):
        with pytest.raises(ValueError):
            keys.split_private_key(tender_key.key, shares=shares, threshold=threshold)
