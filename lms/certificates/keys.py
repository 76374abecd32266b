"""The application's certificate signing key, loaded once per process."""

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from lms.certificates.signing import KEY_FILE_NAME, load_or_create_private_key

_EXTENSION = "lms.certificates.key"


def key_path() -> Path:
    """CERTIFICATE_KEY_FILE, else a file in the instance folder (never in the repository)."""
    configured = current_app.config.get("CERTIFICATE_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / KEY_FILE_NAME


def signing_key() -> Ed25519PrivateKey:
    """The private key that signs offline payloads, generated on first use."""
    key = current_app.extensions.get(_EXTENSION)
    if key is None:
        key = current_app.extensions[_EXTENSION] = load_or_create_private_key(key_path())
    return key


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()
