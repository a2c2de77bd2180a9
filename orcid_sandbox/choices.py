"""Vocabularies of the ORCID registry: visibility, scopes, relationships, work types."""

from __future__ import annotations

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
