"""Normalising identifiers: from whatever people paste to one canonical stored form.

Decisions, so that every caller gets the same answers:
- Leading and trailing white space is ignored; anything else unusual is refused, not repaired:
  control characters, and digits outside ASCII (full-width "０", Arabic-Indic "٠" …) which look
  right on screen but are different characters.
- Input longer than MAX_INPUT_LENGTH is refused before any pattern runs, so hostile input costs
  nothing; every pattern here is anchored and linear.
- URL forms are accepted where the scheme has a customary resolver (orcid.org, doi.org,
  isni.org, pubmed), and for ORCID any http(s) URL whose path is just the iD, so an iD copied
  from an ORCID sandbox record page is accepted too.
- ISBN-10s are stored as ISBN-13s; DOIs lower-cased (DOIs are case-insensitive); ISNIs and
  ORCID iDs with an upper-case X.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

import idutils

from identifiers.checksums import issn_check_character, mod11_2_check_character
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

MAX_INPUT_LENGTH = 300

_ORCID_SHAPE = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_DOI_PREFIX = re.compile(r"(?:doi\s*:?\s*|info:doi/|urn:doi:)", re.IGNORECASE)
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_DOI_SHAPE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_EID_SHAPE = re.compile(r"(\d)-s2\.0-(\d+)")
_RESEARCHER_ID_SHAPE = re.compile(r"([A-Z]{1,3})-(\d{4})-((?:19|20)\d{2})")
_ISBN_PREFIX = re.compile(r"isbn(?:-1[03])?\s*:?\s*", re.IGNORECASE)
_ISSN_PREFIX = re.compile(r"(?:e|p)?issn\s*:?\s*", re.IGNORECASE)
_ISNI_PREFIX = re.compile(r"isni\s*:?\s*", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"pmid\s*:?\s*", re.IGNORECASE)


def _clean(scheme: Scheme, raw: object) -> str:
    """Common checks for every scheme: a non-empty, short, printable, ASCII-digit string."""
    if not isinstance(raw, str):
        raise IdentifierError(scheme, repr(raw), "must be text")
    value = raw.strip()
    if not value:
        raise IdentifierError(scheme, raw, "is empty")
    if len(value) > MAX_INPUT_LENGTH:
        raise IdentifierError(
            scheme, raw[:50], f"is too long ({len(value)} characters; at most {MAX_INPUT_LENGTH})"
        )
    for character in value:
        category = unicodedata.category(character)
        if category.startswith("C"):
            raise IdentifierError(scheme, raw, "contains an invisible control character")
        if category == "Nd" and not character.isascii():
            raise IdentifierError(
                scheme, raw, f"must be written with the digits 0-9, not '{character}'"
            )
    return value


def _url_path_and_query(value: str) -> tuple[str, str, dict[str, list[str]]] | None:
    """Host, path and query of an http(s) URL, or None when the value is not one."""
    if not re.match(r"https?://", value, re.IGNORECASE):
        return None
    parts = urlsplit(value)
    return (parts.hostname or "").lower(), parts.path, parse_qs(parts.query)


def _digits(scheme: Scheme, value: str, sizes: range, raw: str) -> str:
    if not value.isdigit():
        raise IdentifierError(scheme, raw, f"must contain only digits; '{value}' does not")
    if len(value) not in sizes:
        expected = (
            f"{sizes.start}"
            if len(sizes) == 1
            else f"{sizes.start} or {sizes.stop - 1}"
            if len(sizes) == 2
            else f"{sizes.start} to {sizes.stop - 1}"
        )
        raise IdentifierError(scheme, raw, f"must be {expected} digits; '{value}' has {len(value)}")
    return value


def normalise_orcid(raw: str) -> str:
    """ORCID iD → 0000-0002-1825-0097, checking the ISO 7064 MOD 11-2 check digit."""
    value = _clean(Scheme.ORCID, raw)
    url = _url_path_and_query(value)
    if url is not None:
        value = url[1].strip("/")
    elif value.lower().startswith("orcid.org/"):
        value = value[len("orcid.org/") :]
    match = _ORCID_SHAPE.fullmatch(value.upper())
    if match is None:
        raise IdentifierError(
            Scheme.ORCID,
            raw,
            "must be 16 characters in four groups of four, like 0000-0002-1825-0097",
        )
    digits = "".join(match.groups())
    expected = mod11_2_check_character(digits[:15])
    if digits[15] != expected:
        raise IdentifierError(
            Scheme.ORCID, raw, f"check digit should be {expected}, not {digits[15]}"
        )
    return "-".join(match.groups())


def normalise_scopus_author_id(raw: str) -> str:
    """Scopus Author ID → its 10 or 11 digits (also from an author-page URL or author EID)."""
    value = _clean(Scheme.SCOPUS_AUTHOR_ID, raw)
    url = _url_path_and_query(value)
    if url is not None:
        query = {key.lower(): values for key, values in url[2].items()}
        found = query.get("authorid")
        if not found:
            raise IdentifierError(Scheme.SCOPUS_AUTHOR_ID, raw, "URL has no authorId parameter")
        value = found[0]
    eid = _EID_SHAPE.fullmatch(value)
    if eid is not None and eid.group(1) == "9":
        value = eid.group(2)
    return _digits(Scheme.SCOPUS_AUTHOR_ID, value, range(10, 12), raw)


def _normalise_eid(scheme: Scheme, prefix: str, raw: str) -> str:
    value = _clean(scheme, raw)
    match = _EID_SHAPE.fullmatch(value.lower())
    if match is None or match.group(1) != prefix:
        raise IdentifierError(
            scheme,
            raw,
            f"must be {prefix}-s2.0- followed by the Scopus ID, like "
            + ("2-s2.0-33745291715" if prefix == "2" else "9-s2.0-98765432100"),
        )
    scopus_id = _digits(scheme, match.group(2), range(10, 12), raw)
    return f"{prefix}-s2.0-{scopus_id}"


def normalise_scopus_eid(raw: str) -> str:
    """Scopus document EID → 2-s2.0-33745291715."""
    return _normalise_eid(Scheme.SCOPUS_EID, "2", raw)


def normalise_scopus_author_eid(raw: str) -> str:
    """Scopus author EID → 9-s2.0-98765432100."""
    return _normalise_eid(Scheme.SCOPUS_AUTHOR_EID, "9", raw)


def normalise_afid(raw: str) -> str:
    """Scopus Affiliation ID → its 8 or 9 digits."""
    value = _clean(Scheme.AFID, raw)
    if value.upper().startswith("AF-ID"):
        value = value[5:].strip(" :()")
    return _digits(Scheme.AFID, value, range(8, 10), raw)


def normalise_doi(raw: str) -> str:
    """DOI in any usual form (doi:, https://doi.org/, URL-encoded) → lower-case 10.x/…."""
    value = _clean(Scheme.DOI, raw)
    url = _url_path_and_query(value)
    if url is not None:
        host, path, _ = url
        if host not in _DOI_HOSTS:
            raise IdentifierError(Scheme.DOI, raw, f"URL must be on doi.org, not {host or '?'}")
        value = path.lstrip("/")
    else:
        value = _DOI_PREFIX.sub("", value, count=1) if _DOI_PREFIX.match(value) else value
    value = unquote(value).strip()
    if not value.startswith("10."):
        raise IdentifierError(
            Scheme.DOI, raw, "must start with '10.' followed by a registrant code"
        )
    if any(character.isspace() for character in value):
        raise IdentifierError(Scheme.DOI, raw, "must not contain spaces")
    registrant, _, suffix = value.partition("/")
    if not suffix:
        raise IdentifierError(Scheme.DOI, raw, "must have a suffix after the '/'")
    if not _DOI_SHAPE.fullmatch(value) or not idutils.is_doi(value):
        raise IdentifierError(
            Scheme.DOI, raw, f"registrant code '{registrant}' must be '10.' and 4 to 9 digits"
        )
    return value.lower()


def _isbn13_check_digit(base12: str) -> str:
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(base12))
    return str((10 - total % 10) % 10)


def _isbn10_check_character(base9: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(base9, range(10, 1, -1), strict=True))
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_isbn(raw: str) -> str:
    """ISBN-10 or ISBN-13, hyphens optional → the 13 digits of its ISBN-13."""
    value = _clean(Scheme.ISBN, raw)
    value = _ISBN_PREFIX.sub("", value, count=1)
    compact = re.sub(r"[\s-]", "", value).upper()
    if len(compact) == 10:
        if not (compact[:9].isdigit() and (compact[9].isdigit() or compact[9] == "X")):
            raise IdentifierError(
                Scheme.ISBN, raw, "of 10 characters must be 9 digits and a check digit or X"
            )
        expected = _isbn10_check_character(compact[:9])
        if compact[9] != expected:
            raise IdentifierError(
                Scheme.ISBN, raw, f"check digit should be {expected}, not {compact[9]}"
            )
        base12 = "978" + compact[:9]
        return base12 + _isbn13_check_digit(base12)
    if len(compact) == 13:
        if not compact.isdigit():
            raise IdentifierError(Scheme.ISBN, raw, "of 13 characters must be all digits")
        if compact[:3] not in {"978", "979"}:
            raise IdentifierError(Scheme.ISBN, raw, "of 13 digits must start with 978 or 979")
        expected = _isbn13_check_digit(compact[:12])
        if compact[12] != expected:
            raise IdentifierError(
                Scheme.ISBN, raw, f"check digit should be {expected}, not {compact[12]}"
            )
        return compact
    raise IdentifierError(
        Scheme.ISBN, raw, f"must have 10 or 13 digits; '{value}' has {len(compact)} characters"
    )


def normalise_issn(raw: str) -> str:
    """ISSN (print or electronic), hyphen optional → 0264-1615."""
    value = _clean(Scheme.ISSN, raw)
    value = _ISSN_PREFIX.sub("", value, count=1)
    compact = value.replace("-", "").replace(" ", "").upper()
    if (
        len(compact) != 8
        or not compact[:7].isdigit()
        or not (compact[7].isdigit() or compact[7] == "X")
    ):
        raise IdentifierError(
            Scheme.ISSN, raw, "must be 7 digits and a check digit or X, like 0264-1615"
        )
    expected = issn_check_character(compact[:7])
    if compact[7] != expected:
        raise IdentifierError(
            Scheme.ISSN, raw, f"check digit should be {expected}, not {compact[7]}"
        )
    return f"{compact[:4]}-{compact[4:]}"


def normalise_researcher_id(raw: str) -> str:
    """Web of Science ResearcherID → A-1234-2008 (one to three letters, four digits, a year)."""
    value = _clean(Scheme.RESEARCHER_ID, raw).upper()
    if _RESEARCHER_ID_SHAPE.fullmatch(value) is None:
        raise IdentifierError(
            Scheme.RESEARCHER_ID,
            raw,
            "must be one to three letters, four digits and a year, like A-1234-2008",
        )
    return value


def normalise_isni(raw: str) -> str:
    """ISNI, spaced or not, or an isni.org URL → 16 characters, checking MOD 11-2."""
    value = _clean(Scheme.ISNI, raw)
    url = _url_path_and_query(value)
    if url is not None:
        if url[0] not in {"isni.org", "www.isni.org"}:
            raise IdentifierError(Scheme.ISNI, raw, f"URL must be on isni.org, not {url[0] or '?'}")
        value = url[1].rstrip("/").rsplit("/", 1)[-1]
    value = _ISNI_PREFIX.sub("", value, count=1)
    compact = re.sub(r"[\s-]", "", value).upper()
    if (
        len(compact) != 16
        or not compact[:15].isdigit()
        or not (compact[15].isdigit() or compact[15] == "X")
    ):
        raise IdentifierError(Scheme.ISNI, raw, "must be 16 characters, like 0000 0001 2103 2683")
    expected = mod11_2_check_character(compact[:15])
    if compact[15] != expected:
        raise IdentifierError(
            Scheme.ISNI, raw, f"check digit should be {expected}, not {compact[15]}"
        )
    return compact


def normalise_pmid(raw: str) -> str:
    """PubMed ID, with or without 'PMID:' or a PubMed URL → digits without leading zeros."""
    value = _clean(Scheme.PMID, raw)
    url = _url_path_and_query(value)
    if url is not None:
        value = url[1].strip("/").rsplit("/", 1)[-1]
    value = _PMID_PREFIX.sub("", value, count=1)
    digits = _digits(Scheme.PMID, value, range(1, 11), raw).lstrip("0")
    if not digits:
        raise IdentifierError(Scheme.PMID, raw, "must be a positive number")
    return digits


NORMALISERS: dict[Scheme, Callable[[str], str]] = {
    Scheme.ORCID: normalise_orcid,
    Scheme.SCOPUS_AUTHOR_ID: normalise_scopus_author_id,
    Scheme.SCOPUS_EID: normalise_scopus_eid,
    Scheme.SCOPUS_AUTHOR_EID: normalise_scopus_author_eid,
    Scheme.AFID: normalise_afid,
    Scheme.DOI: normalise_doi,
    Scheme.ISBN: normalise_isbn,
    Scheme.ISSN: normalise_issn,
    Scheme.RESEARCHER_ID: normalise_researcher_id,
    Scheme.ISNI: normalise_isni,
    Scheme.PMID: normalise_pmid,
}


def as_scheme(scheme: Scheme | str) -> Scheme:
    """A Scheme from its value; an unknown name is a programming error, not user input."""
    try:
        return Scheme(scheme)
    except ValueError:
        raise ValueError(f"unknown identifier scheme {scheme!r}") from None


def normalise(scheme: Scheme | str, raw: str) -> str:
    """The canonical form of an identifier, or IdentifierError saying what is wrong."""
    return NORMALISERS[as_scheme(scheme)](raw)


def detect(raw: str) -> list[Scheme]:
    """Every scheme a free-typed value is a valid identifier of (most specific first)."""
    found = []
    for scheme, normaliser in NORMALISERS.items():
        try:
            normaliser(raw)
        except IdentifierError:
            continue
        found.append(scheme)
    return found
