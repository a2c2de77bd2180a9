"""ORCID tokens the Scopus sandbox holds are encrypted at rest: a copy of its database alone
cannot write to anyone's ORCID record.

The key is the sandbox's own (it stands for another organisation than the portal):
SCOPUS_SANDBOX_TOKEN_KEY, a Fernet key; without one, a key derived from the secret key for this
purpose only, as the portal derives its own (orcid_connector/crypto.py), so the two never match.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"scholarhub scopus sandbox orcid tokens"


class TokenKeyError(Exception):
    """The stored token was encrypted with another key (the key or the secret key changed)."""


@cache
def _fernet(configured_key: str, secret_key: str) -> Fernet:
    if configured_key:
        return Fernet(configured_key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def fernet() -> Fernet:
    """The Fernet that encrypts this sandbox's ORCID tokens."""
    return _fernet(getattr(settings, "SCOPUS_SANDBOX_TOKEN_KEY", ""), settings.SECRET_KEY)


def encrypt(token: str) -> str:
    """The token as stored; empty stays empty."""
    return fernet().encrypt(token.encode()).decode() if token else ""


def decrypt(stored: str) -> str:
    """The token a stored value holds; TokenKeyError if the key has changed since."""
    if not stored:
        return ""
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise TokenKeyError("The ORCID token cannot be read with the configured key.") from error
