"""Offline payloads: valid, tampered, signed by another key."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.certificates.signing import (
    PayloadError,
    SignedFacts,
    b64url,
    load_or_create_private_key,
    load_public_pem,
    public_pem,
    sign,
    unb64url,
    verify,
)

FACTS = SignedFacts("CD-2026-000007", "2026-11-30", "Nguyễn Thị Ngọc Ánh", "Kỹ năng số")


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def test_valid_payload_and_url(key):
    payload = sign(FACTS, key)
    assert verify(payload, key.public_key()) == FACTS
    url = f"https://hocso.example/verify/ABCDEFGHJKMN#{payload}"
    assert verify(url, key.public_key()).holder_name == "Nguyễn Thị Ngọc Ánh"


def test_tampered_name_is_refused(key):
    version, message, signature = sign(FACTS, key).split(".")
    forged = unb64url(message).decode().replace("Ánh", "Anh").encode()
    with pytest.raises(PayloadError, match="Chữ ký không hợp lệ"):
        verify(f"{version}.{b64url(forged)}.{signature}", key.public_key())


def test_other_key_is_refused(key):
    payload = sign(FACTS, Ed25519PrivateKey.generate())
    with pytest.raises(PayloadError, match="không do Học Số cấp"):
        verify(payload, key.public_key())


@pytest.mark.parametrize("payload", ["", "1.abc", "2.aGk.aGk", "1.!!!.aGk", "1.aGk.aGk"])
def test_malformed_payloads_say_so(key, payload):
    with pytest.raises(PayloadError, match="Dữ liệu mã QR"):
        verify(payload, key.public_key())


def test_key_file_is_created_once_and_private(tmp_path):
    path = tmp_path / "keys" / "signing.pem"
    first = load_or_create_private_key(path)
    again = load_or_create_private_key(path)
    assert public_pem(first.public_key()) == public_pem(again.public_key())
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_public_pem(public_pem(first.public_key())) == first.public_key()
    assert list(path.parent.iterdir()) == [path]
