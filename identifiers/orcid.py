"""ORCID iD: sixteen characters, the last an ISO 7064 MOD 11-2 check character.

Accepted: "0000-0002-1825-0097", "0000000218250097", "0000 0002 1825 0097", a lower-case "x"
check character, "orcid.org/…" and any http(s) URL whose path is just the iD (orcid.org,
sandbox.orcid.org, or our own ORCID sandbox on another host and port).
Stored: four hyphenated groups with an upper-case X, e.g. "0000-0002-1825-0097".

The iD is not checked against ORCID's issued blocks (idutils.is_orcid does that): the demo
sandbox deliberately issues iDs below them, such as 0000-0000-0000-0001, so they can never be
mistaken for real people.
"""

from __future__ import annotations

import re

from identifiers.checksums import mod11_2_check_character
from identifiers.cleaning import clean, compact, host_of, http_url, strip_label
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

_SHAPE = re.compile(r"[0-9]{15}[0-9X]")
_BARE_HOSTS = ("orcid.org/", "www.orcid.org/", "sandbox.orcid.org/")
_LABELS = ("orcid id", "orcid", "id")


def normalise_orcid(raw: str) -> str:
    """ORCID iD in any usual form → 0000-0002-1825-0097, checking its check digit."""
    value = clean(Scheme.ORCID, raw)
    if not value.lower().startswith(_BARE_HOSTS):
        # A label may stand before a link too ("ORCID: https://orcid.org/…", as on CVs); the
        # label "orcid" must not eat the start of "orcid.org/…".
        value = strip_label(Scheme.ORCID, value, _LABELS, raw)
    url = http_url(value)
    if url is not None:
        if host_of(url) == "isni.org":
            raise IdentifierError(Scheme.ORCID, raw, "URL must be an ORCID link, not an ISNI one")
        value = url.path.strip("/")
    else:
        lowered = value.lower()
        for host in _BARE_HOSTS:
            if lowered.startswith(host):
                value = value[len(host) :]
                break
    digits = compact(value)
    if _SHAPE.fullmatch(digits) is None:
        raise IdentifierError(
            Scheme.ORCID,
            raw,
            "must be 16 characters in four groups of four, like 0000-0002-1825-0097",
        )
    expected = mod11_2_check_character(digits[:15])
    if digits[15] != expected:
        raise IdentifierError(
            Scheme.ORCID, raw, f"check digit should be {expected}, not {digits[15]}"
        )
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:16]}"
