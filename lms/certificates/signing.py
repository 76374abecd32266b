"""Signed offline payloads: what the QR code carries so a certificate checks without a server.

A payload is `1.<message>.<signature>`, both parts base64url without padding. The
message is UTF-8 "HS1", serial, date (YYYY-MM-DD), holder's name and course title,
one per line; the signature is Ed25519 over the message bytes. The private key is
generated once into the instance folder and never leaves it; the public key is published.
"""

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = "1"
MAGIC = "HS1"
KEY_FILE_NAME = "certificate-signing-key.pem"


class PayloadError(ValueError):
    """The payload is malformed, altered, or signed by another key; the message says which."""


@dataclass(frozen=True)
class SignedFacts:
    serial: str
    date: str
    holder_name: str
    course: str

    def message(self) -> bytes:
        fields = (MAGIC, self.serial, self.date, self.holder_name, self.course)
        if any("\n" in field for field in fields):
            raise ValueError("certificate fields cannot contain line breaks")
        return "\n".join(fields).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(facts: SignedFacts, private_key: Ed25519PrivateKey) -> str:
    """The compact signed payload of a certificate's facts."""
    message = facts.message()
    return f"{VERSION}.{b64url(message)}.{b64url(private_key.sign(message))}"


def verify(payload: str, public_key: Ed25519PublicKey) -> SignedFacts:
    """The facts of a payload (or of a verification URL carrying one) whose signature holds."""
    text = (payload or "").strip()
    if "#" in text:
        text = text.split("#", 1)[1]
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        raise PayloadError("Dữ liệu mã QR không đúng định dạng chứng nhận Học Số.")
    try:
        message, signature = unb64url(parts[1]), unb64url(parts[2])
        fields = message.decode().split("\n")
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("Dữ liệu mã QR bị hỏng, không đọc được.") from exc
    if len(fields) != 5 or fields[0] != MAGIC:
        raise PayloadError("Dữ liệu mã QR không đúng định dạng chứng nhận Học Số.")
    try:
        public_key.verify(signature, message)
    except InvalidSignature as exc:
        raise PayloadError(
            "Chữ ký không hợp lệ: chứng nhận đã bị sửa hoặc không do Học Số cấp."
        ) from exc
    return SignedFacts(*fields[1:])


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """Read the signing key, generating it on first use (readable by the owner only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written aside then linked: when two workers start together, the first key wins
        # whole and the other reads it, never a half-written file.
        spare = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        try:
            os.link(spare, path)
        except FileExistsError:
            pass
        finally:
            spare.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path.name} is not an Ed25519 private key")
    return key


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def public_raw_b64url(public_key: Ed25519PublicKey) -> str:
    """The 32 raw key bytes, base64url: what WebCrypto's importKey('raw', ...) takes."""
    return b64url(
        public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def load_public_pem(text: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(text.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise PayloadError("Khóa công khai không phải khóa Ed25519.")
    return key
