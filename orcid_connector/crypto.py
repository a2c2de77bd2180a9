"""ORCID tokens are encrypted at rest: a copy of the database alone cannot write to ORCID."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class TokenKeyError(Exception):
    """The stored token was encrypted with another key (ORCID_TOKEN_KEY changed)."""


@cache
def _fernet(configured_key: str, secret_key: str) -> Fernet:
    if configured_key:
        return Fernet(configured_key.encode())
    # Without a key of its own, derive one from the secret key, for a separate purpose.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"scholarhub orcid tokens"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def fernet() -> Fernet:
    return _fernet(settings.ORCID_TOKEN_KEY, settings.SECRET_KEY)


def encrypt(token: str) -> str:
    return fernet().encrypt(token.encode()).decode() if token else ""


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise TokenKeyError("The ORCID token cannot be read with the configured key.") from error
