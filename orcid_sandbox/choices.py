"""Vocabularies of the ORCID registry: visibility, scopes, relationships, work types."""

from __future__ import annotations

from enum import IntEnum

from django.db import models


class Visibility(models.TextChoices):
    """Who may read an item: ORCID's three levels (API names)."""

    PUBLIC = "public", "Everyone"
    LIMITED = "limited", "Trusted parties"
    PRIVATE = "private", "Only me"


class Scope(models.TextChoices):
    AUTHENTICATE = "/authenticate", "Get your ORCID iD"
    READ_LIMITED = "/read-limited", "Read your information with visibility set to Trusted parties"
    ACTIVITIES_UPDATE = "/activities/update", "Add/update your research activities (works)"
    PERSON_UPDATE = "/person/update", "Add/update other information about you"
    READ_PUBLIC = "/read-public", "Read public information"
    OPENID = "openid", "Sign in with your ORCID iD (OpenID Connect)"


THREE_LEGGED_SCOPES = {
    Scope.AUTHENTICATE,
    Scope.READ_LIMITED,
    Scope.ACTIVITIES_UPDATE,
    Scope.PERSON_UPDATE,
    Scope.OPENID,
}


class Relationship(models.TextChoices):
    SELF = "self", "self"
    PART_OF = "part-of", "part-of"
    VERSION_OF = "version-of", "version-of"
    FUNDED_BY = "funded-by", "funded-by"


# ORCID v3.0 work types (orcid-model WorkType).
WORK_TYPES = frozenset(
    [
        "annotation",
        "artistic-performance",
        "blog-post",
        "book-chapter",
        "book-review",
        "book",
        "cartographic-material",
        "clinical-study",
        "conference-abstract",
        "conference-output",
        "conference-paper",
        "conference-poster",
        "conference-presentation",
        "conference-proceedings",
        "data-management-plan",
        "data-set",
        "design",
        "dictionary-entry",
        "disclosure",
        "dissertation-thesis",
        "edited-book",
        "encyclopedia-entry",
        "image",
        "invention",
        "journal-article",
        "journal-issue",
        "learning-object",
        "lecture-speech",
        "license",
        "magazine-article",
        "manual",
        "moving-image",
        "musical-composition",
        "newsletter-article",
        "newspaper-article",
        "online-resource",
        "other",
        "patent",
        "physical-object",
        "preprint",
        "public-speech",
        "registered-copyright",
        "report",
        "research-technique",
        "research-tool",
        "review",
        "software",
        "sound",
        "spin-off-company",
        "standards-and-policy",
        "supervised-student-publication",
        "technical-standard",
        "test",
        "trademark",
        "transcription",
        "translation",
        "website",
        "working-paper",
        "undefined",
    ]
)

# Work external-id types the registry accepts (ORCID's identifiers list).
WORK_ID_TYPES = frozenset(
    [
        "agr",
        "arxiv",
        "asin",
        "asin-tld",
        "authenticusid",
        "ark",
        "bibcode",
        "cba",
        "cienciaiul",
        "cit",
        "cgn",
        "cstr",
        "ctx",
        "dnb",
        "doi",
        "eid",
        "emdb",
        "empiar",
        "ethos",
        "grant-number",
        "hal",
        "handle",
        "hir",
        "isbn",
        "ismn",
        "issn",
        "jfm",
        "jstor",
        "k10plus",
        "kuid",
        "lccn",
        "lensid",
        "mr",
        "oclc",
        "ol",
        "osti",
        "other-id",
        "pat",
        "pdb",
        "pmc",
        "pmid",
        "ppr",
        "proposal-id",
        "raid",
        "rfc",
        "rrid",
        "source-work-id",
        "ssrn",
        "uri",
        "urn",
        "wosuid",
        "zbl",
    ]
)


class AffiliationSection(models.TextChoices):
    """The affiliation sections beside employment: one affiliation model, seven sections
    (orcid-model common:affiliation), each with its own put-codes path and summary list."""

    DISTINCTION = "distinction", "Distinction"
    EDUCATION = "education", "Education"
    INVITED_POSITION = "invited-position", "Invited position"
    MEMBERSHIP = "membership", "Membership"
    QUALIFICATION = "qualification", "Qualification"
    SERVICE = "service", "Service"


# ORCID's funding types (orcid-model FundingType) and funding contributor roles
# (FundingContributorRole); the XSD leaves both as strings, the registry checks them.
FUNDING_TYPES = frozenset(["award", "contract", "grant", "salary-award"])
FUNDING_CONTRIBUTOR_ROLES = frozenset(["lead", "co-lead", "supported-by", "other-contribution"])
# Funding external-id types: the identifier list, plus the underscore spelling of grant numbers
# that ORCID's own funding samples and many clients use.
FUNDING_ID_TYPES = WORK_ID_TYPES | {"grant_number"}
# Disambiguation sources ORCID accepts for organisations.
DISAMBIGUATION_SOURCES = frozenset(["RINGGOLD", "GRID", "ROR", "FUNDREF", "LEI"])


class ErrorCode(IntEnum):
    """ORCID's API error codes (reference orcid-api.md §1.5), named by what went wrong."""

    JSON_UNREADABLE = 9001
    NOT_AUTHENTICATED = 9002
    SCOPE_MISSING = 9005
    ILLEGAL_ARGUMENT = 9006
    RECORD_DEPRECATED = 9007
    SERVER_ERROR = 9008
    NOT_THE_SOURCE = 9010
    BAD_REQUEST = 9012
    PRIVATE_ITEM = 9013
    NOT_FOUND = 9016
    TOKEN_NOT_FOR_RECORD = 9017
    PUT_CODE_MISMATCH = 9019
    INVALID_MESSAGE = 9020
    DUPLICATE_ACTIVITY = 9021
    TITLE_REQUIRED = 9022
    EXTERNAL_ID_INVALID = 9023
    PUT_CODE_ON_CREATE = 9024
    DUPLICATE_PERSON_ITEM = 9030
    INVALID_PUT_CODE = 9034
    VISIBILITY_CHANGE = 9035
    INVALID_WORK_TYPE = 9037
    LIMITED_ITEM = 9038
    NOT_PUBLIC = 9039
    TOO_MANY_PUT_CODES = 9042
    SEARCH_START_TOO_HIGH = 9043
    # ORCID's InvalidDisambiguatedOrgException and InvalidOrgException.
    DISAMBIGUATED_ORGANIZATION_INVALID = 9045
    ORGANIZATION_INVALID = 9046
    INVALID_DOCUMENT = 9047
    TOO_MANY_WORKS = 9048
    INVALID_DATE = 9049
    START_DATE_MISSING = 9050
    INVALID_AMOUNT = 9054
    END_BEFORE_START = 9055
    INVALID_CONTRIBUTOR_ROLE = 9058
