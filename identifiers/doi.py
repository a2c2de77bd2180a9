"""DOI: "10.", a registrant code, "/" and a suffix; stored with ASCII letters lower-cased.

Accepted: "10.1108/02641610610669750", "doi:10.…", "DOI 10.…", "info:doi/10.…", "urn:doi:10.…",
"https://doi.org/10.…", "http://dx.doi.org/10.…", "doi.org/10.…" without the scheme, and
URL-encoded forms ("10.1108%2F0264…", "https://doi.org/10.1000/abc%28def%29").
Stored: ASCII letters lower-cased, because DOI names are case-insensitive for ASCII letters
("10.1002/ASI.20042" and "10.1002/asi.20042" are one DOI) and a single form makes duplicates
findable. Other letters keep their case: the DOI Handbook folds ASCII only.

Decisions:
- Percent-decoding happens once per level of encoding: for doi.org URLs (where "%" itself must
  be sent as "%25"), and for a value whose every "/" is encoded as "%2F" (a DOI or a whole
  doi.org link copied out of a query string). A stored DOI always contains "/", so
  normalising it again never decodes it again: normalise stays idempotent even for a DOI with
  "%" in its suffix.
- URLs on other hosts (publisher landing pages) are refused rather than guessed at: their paths
  often carry more than the DOI.
- The suffix may hold any visible character, "<", ">" and ";" included (old SICI DOIs use them);
  pages escape it like any other text, and url_for percent-encodes it.
- Nothing is trimmed from the end: a DOI may legitimately end in "." or ")", so a full stop
  copied from the end of a sentence is kept, and the person sees it in the stored value.
- The registrant code must be "10." and 4 to 9 digits, optionally with ".sub" parts.
"""

from __future__ import annotations

import re
import string
from urllib.parse import unquote

from identifiers.cleaning import (
    MAX_VALUE_LENGTH,
    check_characters,
    clean,
    host_of,
    http_url,
    shown,
)
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

_PREFIXES = ("doi.org/", "dx.doi.org/", "www.doi.org/", "info:doi/", "urn:doi:", "doi:", "doi ")
_HOSTS = {"doi.org", "dx.doi.org"}
_REGISTRANT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*")
# The DOI Handbook folds case for ASCII letters only; DOI names differing in the case of other
# letters may be different DOIs, and str.lower() would also turn "İ" into two characters.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _strip_prefix(value: str) -> str:
    lowered = value.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def _decode(value: str, raw: str) -> str:
    """The value percent-decoded, its characters checked again (%00 is a NUL)."""
    try:
        decoded = unquote(value, errors="strict").strip()
    except UnicodeDecodeError:
        raise IdentifierError(Scheme.DOI, raw, "has a %-escape that is not UTF-8") from None
    check_characters(Scheme.DOI, decoded, raw)
    return decoded


def normalise_doi(raw: str) -> str:
    """DOI in any usual form (doi:, https://doi.org/, URL-encoded) → lower-case 10.x/…."""
    value = clean(Scheme.DOI, raw)
    if "/" not in value and "%2f" in value.lower():
        # A DOI, "doi:…" or doi.org link copied out of a query string, every "/" encoded.
        value = _decode(value, raw)
    # A label may stand before a link too ("DOI: https://doi.org/…").
    value = _strip_prefix(value)
    url = http_url(value)
    if url is not None:
        host = host_of(url)
        if host not in _HOSTS:
            raise IdentifierError(Scheme.DOI, raw, f"URL must be on doi.org, not {host or '?'}")
        value = _strip_prefix(_decode(url.path.lstrip("/"), raw))
    else:
        value = _strip_prefix(value)
    if not value.startswith("10."):
        raise IdentifierError(
            Scheme.DOI, raw, "must start with '10.' followed by a registrant code"
        )
    registrant, slash, suffix = value.partition("/")
    if not slash:
        raise IdentifierError(
            Scheme.DOI,
            raw,
            "must have a '/' and a suffix after the registrant code, like 10.1108/0264161061",
        )
    if not suffix:
        raise IdentifierError(Scheme.DOI, raw, "must have a suffix after the '/'")
    if any(character.isspace() for character in value):
        raise IdentifierError(Scheme.DOI, raw, "must not contain spaces")
    if _REGISTRANT.fullmatch(registrant) is None:
        raise IdentifierError(
            Scheme.DOI,
            raw,
            f"registrant code '{shown(registrant, 20)}' must be '10.' and 4 to 9 digits",
        )
    if len(value) > MAX_VALUE_LENGTH:
        raise IdentifierError(
            Scheme.DOI, raw, f"is too long ({len(value)} characters; at most {MAX_VALUE_LENGTH})"
        )
    return value.translate(_ASCII_LOWER)
