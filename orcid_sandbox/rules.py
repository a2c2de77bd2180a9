"""The registry's rules for what may be written to a record (reference orcid-api.md §1.5–1.6):
limits, vocabularies, the duplicate and capacity checks, and put-code consistency. Each broken
rule is a RegistryError with ORCID's status and error code."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import identifiers
from orcid_sandbox.choices import ErrorCode, Relationship
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import Account, Client, Work

MAX_WORKS_PER_RECORD = 10_000


MAX_BULK = 100


MAX_CONTRIBUTORS = 10_000


# External ids on one funding or affiliation.
MAX_ACTIVITY_IDS = 100


CITATION_TYPES = frozenset(
    [
        "formatted-unspecified",
        "bibtex",
        "formatted-apa",
        "formatted-harvard",
        "formatted-ieee",
        "formatted-mla",
        "formatted-vancouver",
        "formatted-chicago",
        "ris",
    ]
)


CONTRIBUTOR_ROLES = frozenset(
    [
        "author",
        "assignee",
        "editor",
        "chair-or-translator",
        "co-investigator",
        "co-inventor",
        "graduate-student",
        "other-inventor",
        "principal-investigator",
        "postdoctoral-researcher",
        "support-staff",
    ]
)
# CRediT roles (NISO) are accepted as their URIs.


CREDIT_ROLE_PREFIX = "http://credit.niso.org/contributor-roles/"


CREDIT_ROLES = frozenset(
    f"{CREDIT_ROLE_PREFIX}{name}/"
    for name in (
        "conceptualization",
        "data-curation",
        "formal-analysis",
        "funding-acquisition",
        "investigation",
        "methodology",
        "project-administration",
        "resources",
        "software",
        "supervision",
        "validation",
        "visualization",
        "writing-original-draft",
        "writing-review-editing",
    )
)


_CLIENT_PATH = re.compile(r"APP-[\dA-Za-z]{16}|(\d{4}-){3}\d{3}[\dX]")


def bad_request(code: ErrorCode, message: str) -> RegistryError:
    return RegistryError(400, code, f"400 Bad Request: {message}")


@functools.lru_cache(maxsize=100_000)
def normalised_id_value(id_type: str, value: str) -> str:
    """The value ORCID compares ids by: scheme-normalised where we know the scheme."""
    schemes = {
        "doi": identifiers.Scheme.DOI,
        "eid": identifiers.Scheme.SCOPUS_EID,
        "isbn": identifiers.Scheme.ISBN,
        "issn": identifiers.Scheme.ISSN,
        "pmid": identifiers.Scheme.PMID,
    }
    scheme = schemes.get(id_type)
    if scheme is not None:
        try:
            return identifiers.normalise(scheme, value)
        except identifiers.IdentifierError:
            pass
    return value.strip().lower()


def self_keys(external_ids: Iterable[dict[str, str]]) -> set[tuple[str, str]]:
    return {
        (item["type"], normalised_id_value(item["type"], item["value"]))
        for item in external_ids
        if item["relationship"] == Relationship.SELF
    }


def self_key_index(
    account: Account, client: Client | None, exclude_pk: int | None = None
) -> dict[tuple[str, str], int]:
    """The `self` ids of the works this source already has on the record, to their put-codes."""
    works = Work.objects.filter(account=account, source_client=client)
    if exclude_pk is not None:
        works = works.exclude(pk=exclude_pk)
    index: dict[tuple[str, str], int] = {}
    for pk, external_ids in works.values_list("pk", "external_ids"):
        for key in self_keys(external_ids):
            index.setdefault(key, pk)
    return index


def check_duplicate(
    account: Account,
    client: Client | None,
    external_ids: list[dict[str, str]],
    exclude_pk: int | None = None,
    index: dict[tuple[str, str], int] | None = None,
) -> None:
    """409/9021 when the same source already has a work with one of these self ids (a bulk
    passes its own index, which also holds the works created earlier in the request)."""
    if index is None:
        index = self_key_index(account, client, exclude_pk)
    for key in sorted(self_keys(external_ids)):
        if key in index:
            raise duplicate_activity(index[key])


def duplicate_activity(put_code: int) -> RegistryError:
    return RegistryError(
        409,
        ErrorCode.DUPLICATE_ACTIVITY,
        "409 Conflict: You have already added this activity (matched by external "
        f"identifiers), please see element with put-code {put_code}. If you are trying "
        "to edit the item, please use PUT instead of POST.",
    )


def check_activity_duplicate(
    existing: Iterable[tuple[int, list[dict[str, str]]]],
    external_ids: list[dict[str, str]],
    *,
    normalise: bool,
) -> None:
    """409/9021 when one of the same source's items of the section (`existing`: put-code and
    external ids) shares a self id with these. Affiliations compare normalised values as works
    do; fundings compare them as written (ActivityValidator does not normalise a funding's)."""

    def keys(ids: Iterable[dict[str, str]]) -> set[tuple[str, str]]:
        return {
            (
                item["type"],
                normalised_id_value(item["type"], item["value"]) if normalise else item["value"],
            )
            for item in ids
            if item["relationship"] == Relationship.SELF
        }

    wanted = keys(external_ids)
    if not wanted:
        return
    for put_code, ids in existing:
        if wanted & keys(ids):
            raise duplicate_activity(put_code)


def check_capacity(account: Account, adding: int = 1) -> None:
    if Work.objects.filter(account=account).count() + adding > MAX_WORKS_PER_RECORD:
        raise RegistryError(
            409,
            ErrorCode.TOO_MANY_WORKS,
            f"409 Conflict: This record has reached the limit of {MAX_WORKS_PER_RECORD:,} works",
        )


def check_put_code(payload: dict[str, Any], expected: int | None) -> None:
    """POST bodies carry no put-code (9024); PUT bodies carry the URL's (9019), as a number or
    a string."""
    given = payload.get("put-code")
    if expected is None:
        if given is not None:
            raise bad_request(
                ErrorCode.PUT_CODE_ON_CREATE, "Put-code must not be present when adding an item"
            )
        return
    if str(given).strip() != str(expected):
        raise bad_request(
            ErrorCode.PUT_CODE_MISMATCH, "The put-code in the body must match the URL"
        )


def client_path_is_valid(client_id: str) -> bool:
    return bool(_CLIENT_PATH.fullmatch(client_id))
