"""`/search` and `/expanded-search` over public data (reference orcid-api.md §1.3).

ORCID takes a Solr query; the sandbox understands the forms clients send: bare words (any public
name, keyword or Other ID), `field:value` terms for the fields below, joined with AND / OR
(left to right, no brackets), and `*:*` or `*` for everything. Rows default to 1,000 (the most),
`start` may not pass 10,000 (400/9043).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from orcid_sandbox.choices import ErrorCode, Visibility
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import Account

Matcher = Callable[[dict[str, list[str]]], bool]
MAX_ROWS = 1000
MAX_START = 10_000
MAX_QUERY = 1000


def public_texts(account: Account) -> dict[str, list[str]]:
    """What a search may see of a record, by Solr field name, lower-cased."""
    names_public = account.names_visibility == Visibility.PUBLIC
    public_ids = [item for item in account.other_ids.all() if item.visibility == Visibility.PUBLIC]
    employments = [
        item for item in account.employments.all() if item.visibility == Visibility.PUBLIC
    ]
    fields: dict[str, list[str]] = {
        "orcid": [account.orcid],
        "given-names": [account.given_names] if names_public else [],
        "family-name": [account.family_name] if names_public else [],
        "credit-name": [account.credit_name] if names_public else [],
        "other-names": account.other_name_list() if names_public else [],
        "keyword": account.keyword_list() if names_public else [],
        "external-id-reference": [item.value for item in public_ids],
        "external-id-type-and-value": [f"{item.id_type}={item.value}" for item in public_ids],
        "affiliation-org-name": [item.organization_name for item in employments],
        "ringgold-org-id": [
            item.disambiguated_id for item in employments if item.disambiguated_source == "RINGGOLD"
        ],
    }
    fields["given-and-family-names"] = (
        [" ".join(part for part in (account.given_names, account.family_name) if part)]
        if names_public
        else []
    )
    return {key: [value.lower() for value in values if value] for key, values in fields.items()}


def term_matcher(term: str) -> Matcher:
    """One Solr term as a test over public_texts()."""
    term = term.strip()
    if term in ("*", "*:*"):
        return lambda texts: True
    field, sep, value = term.partition(":")
    if not sep or not re.fullmatch(r"[a-z-]+", field):
        field, value = "", term
    value = value.strip().strip('"').lower().rstrip("*")
    if not value:
        raise RegistryError(
            400, ErrorCode.BAD_REQUEST, f"400 Bad Request: empty search term in {term[:80]!r}"
        )
    if field and field != "text":

        def in_field(texts: dict[str, list[str]]) -> bool:
            if field not in texts:
                return False
            return any(value in text for text in texts[field])

        return in_field
    return lambda texts: any(value in text for values in texts.values() for text in values)


def parse(query: str) -> Matcher:
    """A query of terms joined by AND / OR, read left to right."""
    if not query.strip() or len(query) > MAX_QUERY:
        raise RegistryError(
            400, ErrorCode.BAD_REQUEST, "400 Bad Request: give a query q of 1-1000 characters"
        )
    tokens = re.split(r"\s+(AND|OR)\s+", query.strip())
    matcher = term_matcher(tokens[0])
    for operator, term in zip(tokens[1::2], tokens[2::2], strict=True):
        matcher = combine(matcher, term_matcher(term), both=operator == "AND")
    return matcher


def combine(left: Matcher, right: Matcher, *, both: bool) -> Matcher:
    def joined(texts: dict[str, list[str]]) -> bool:
        return (left(texts) and right(texts)) if both else (left(texts) or right(texts))

    return joined


def paging(params: Any) -> tuple[int, int]:
    try:
        start = int(params.get("start") or 0)
        rows = int(params.get("rows") or MAX_ROWS)
    except ValueError:
        raise RegistryError(
            400, ErrorCode.BAD_REQUEST, "400 Bad Request: start and rows are numbers"
        ) from None
    if start < 0 or start > MAX_START:
        raise RegistryError(
            400,
            ErrorCode.SEARCH_START_TOO_HIGH,
            f"400 Bad Request: start may be at most {MAX_START:,} for this API",
        )
    if rows < 0 or rows > MAX_ROWS:
        raise RegistryError(
            400, ErrorCode.BAD_REQUEST, f"400 Bad Request: rows may be at most {MAX_ROWS}"
        )
    return start, rows


def find(params: Any) -> tuple[list[Account], int]:
    """Accounts matching q, in iD order, one page of them, and how many matched in all."""
    matcher = parse(str(params.get("q") or ""))
    start, rows = paging(params)
    accounts = Account.objects.filter(primary_orcid="").prefetch_related("other_ids", "employments")
    found = [account for account in accounts if matcher(public_texts(account))]
    return found[start : start + rows], len(found)


def expanded_row(account: Account) -> dict[str, Any]:
    names_public = account.names_visibility == Visibility.PUBLIC
    return {
        "orcid-id": account.orcid,
        "given-names": account.given_names if names_public else None,
        "family-names": (account.family_name or None) if names_public else None,
        "credit-name": (account.credit_name or None) if names_public else None,
        "other-name": account.other_name_list() if names_public else [],
        "email": [],
        "institution-name": sorted(
            {
                item.organization_name
                for item in account.employments.all()
                if item.visibility == Visibility.PUBLIC
            }
        ),
    }
