"""Scopus identifiers: Author ID, document EID, author EID and Affiliation ID (AF-ID).

Scopus numbers carry no check digit, so only their shape can be checked:
- Author ID: 10 or 11 digits ("7004212771", "57193456789"). Also read from an author-page URL
  (…/authid/detail.uri?authorId=…, on any host, so our Scopus sandbox's links work too) and from
  an author EID ("9-s2.0-…").
- Document EID: "2-s2.0-" and a Scopus ID of 10 or 11 digits ("2-s2.0-33745291715"; older ones
  are zero-padded to 10, "2-s2.0-0033745291"). Also read from a record URL carrying eid=… or
  scp=…. Stored with a lower-case "s".
- Author EID: "9-s2.0-" and the Author ID.
- Affiliation ID: 8 or 9 digits ("60008592"); also "AF-ID(60008592)", "10-s2.0-60008592" (the
  affiliation EID) and …/affil/profile.uri?afid=… URLs.
The human forms are the stored forms.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from identifiers.cleaning import clean, http_url, require_digits, strip_label
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

# re.ASCII: without it IGNORECASE lets the long s "ſ" stand for "s" in "s2.0".
_EID = re.compile(r"([0-9]{1,2})-s2\.0-(.*)", re.IGNORECASE | re.ASCII)
_SCOPUS_ID_SIZES = range(10, 12)
_AFID_SIZES = range(8, 10)
_EID_KINDS = {"2": "a document", "9": "an author", "10": "an affiliation"}
_EID_EXAMPLES = {"2": "2-s2.0-33745291715", "9": "9-s2.0-7004212771"}
# Where the Scopus ID sits in a record URL (documents) or an author-page URL (authors).
_EID_URL_PARAMETERS = {"2": ("eid", "scp"), "9": ("eid", "authorId")}


def _query_value(raw_url: str, scheme: Scheme, raw: str, *names: str) -> str | None:
    """The first of the named query parameters in a URL (names case-insensitive)."""
    url = http_url(raw_url)
    if url is None:
        return None
    query = {key.lower(): values for key, values in parse_qs(url.query).items()}
    for name in names:
        if query.get(name.lower()):
            return query[name.lower()][0].strip()
    wanted = " or ".join(names)
    raise IdentifierError(scheme, raw, f"URL has no {wanted} parameter")


def normalise_scopus_author_id(raw: str) -> str:
    """Scopus Author ID → its 10 or 11 digits (also from an author-page URL or author EID)."""
    scheme = Scheme.SCOPUS_AUTHOR_ID
    value = strip_label(
        scheme, clean(scheme, raw), ("scopus author id", "author id", "scopus id", "au-id"), raw
    )
    value = _query_value(value, scheme, raw, "authorId") or value
    eid = _EID.fullmatch(value)
    if eid is not None:
        if eid.group(1) != "9":
            kind = _EID_KINDS.get(eid.group(1), "an unknown kind of")
            raise IdentifierError(
                scheme, raw, f"cannot be read from {kind} EID; an author EID starts with 9-s2.0-"
            )
        value = eid.group(2)
    return require_digits(scheme, value, _SCOPUS_ID_SIZES, raw)


def _normalise_eid(scheme: Scheme, prefix: str, raw: str) -> str:
    value = strip_label(scheme, clean(scheme, raw), ("scopus eid", "eid"), raw)
    url = http_url(value)
    if url is not None:
        found = _query_value(value, scheme, raw, *_EID_URL_PARAMETERS[prefix])
        value = found or ""
        if _EID.fullmatch(value) is None:
            value = f"{prefix}-s2.0-{value}"
    match = _EID.fullmatch(value)
    if match is None:
        raise IdentifierError(
            scheme,
            raw,
            f"must be {prefix}-s2.0- followed by the Scopus ID, like {_EID_EXAMPLES[prefix]}",
        )
    if match.group(1) != prefix:
        kind = _EID_KINDS.get(match.group(1), "an unknown kind of")
        raise IdentifierError(
            scheme,
            raw,
            f"must start with {prefix}-s2.0-; '{match.group(1)}-s2.0-…' is {kind} EID",
        )
    scopus_id = require_digits(scheme, match.group(2), _SCOPUS_ID_SIZES, raw)
    return f"{prefix}-s2.0-{scopus_id}"


def normalise_scopus_eid(raw: str) -> str:
    """Scopus document EID → 2-s2.0-33745291715."""
    return _normalise_eid(Scheme.SCOPUS_EID, "2", raw)


def normalise_scopus_author_eid(raw: str) -> str:
    """Scopus author EID → 9-s2.0-98765432100."""
    return _normalise_eid(Scheme.SCOPUS_AUTHOR_EID, "9", raw)


def normalise_afid(raw: str) -> str:
    """Scopus Affiliation ID → its 8 or 9 digits (also from AF-ID(…), an EID or a URL)."""
    scheme = Scheme.AFID
    value = strip_label(scheme, clean(scheme, raw), ("af-id", "afid", "affiliation id"), raw)
    value = _query_value(value, scheme, raw, "afid") or value
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    eid = _EID.fullmatch(value)
    if eid is not None:
        if eid.group(1) != "10":
            kind = _EID_KINDS.get(eid.group(1), "an unknown kind of")
            raise IdentifierError(
                scheme, raw, f"cannot be read from {kind} EID; an affiliation EID is 10-s2.0-…"
            )
        value = eid.group(2)
    return require_digits(scheme, value, _AFID_SIZES, raw)
