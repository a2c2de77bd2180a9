"""Vocabularies of the Scopus sandbox."""

from __future__ import annotations

from django.db import models


class DocumentTypeChoices(models.TextChoices):
    """Scopus document subtypes (the `subtype` codes of the Scopus Search API)."""

    ARTICLE = "ar", "Article"
    CONFERENCE_PAPER = "cp", "Conference Paper"
    REVIEW = "re", "Review"
    BOOK_CHAPTER = "ch", "Book Chapter"
    BOOK = "bk", "Book"
    EDITORIAL = "ed", "Editorial"
    LETTER = "le", "Letter"
    NOTE = "no", "Note"


AGGREGATION_TYPES = {
    "ar": "Journal",
    "re": "Journal",
    "ed": "Journal",
    "le": "Journal",
    "no": "Journal",
    "cp": "Conference Proceeding",
    "ch": "Book",
    "bk": "Book",
}


class ProfileStatusChoices(models.TextChoices):
    """Whether an author profile answers itself, forwards to another, or was split."""

    ACTIVE = "active", "Active"
    MERGED = "merged", "Merged into another profile"
    SPLIT = "split", "Split into several profiles"


class FeedbackKindChoices(models.TextChoices):
    """What a queued Author Feedback request changes."""

    LINK_ORCID = "link_orcid", "Link ORCID iD"
    MERGE = "merge", "Merge profiles"
    REMOVE_DOCUMENTS = "remove_documents", "Remove documents"
    PREFERRED_NAME = "preferred_name", "Set preferred name"


class FeedbackStatusChoices(models.TextChoices):
    """Where a feedback request is in the Author Feedback team's queue."""

    PENDING = "pending", "Pending"
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Rejected"


class SignInPurposeChoices(models.TextChoices):
    """Why a researcher signs in to the sandbox with ORCID."""

    WIZARD = "wizard", "Scopus to ORCID wizard"
    FEEDBACK = "feedback", "Author Feedback Wizard"


class ScopusApiChoices(models.TextChoices):
    """The APIs a key's weekly quota is counted against."""

    AUTHOR_RETRIEVAL = "author_retrieval", "Author Retrieval"
    AUTHOR_SEARCH = "author_search", "Author Search"
    SCOPUS_SEARCH = "scopus_search", "Scopus Search"
    AFFILIATION_RETRIEVAL = "affiliation_retrieval", "Affiliation Retrieval"
    ABSTRACT_RETRIEVAL = "abstract_retrieval", "Abstract Retrieval"


class ServiceErrorChoices(models.TextChoices):
    """The `statusCode` of a service-error body (also sent as `X-ELS-Status`)."""

    INVALID_INPUT = "INVALID_INPUT", "Invalid input"
    AUTHENTICATION_ERROR = "AUTHENTICATION_ERROR", "Authentication error"
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND", "Resource not found"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", "Method not allowed"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE", "Not acceptable"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED", "Quota exceeded"


# Scopus's ASJC subject areas as (code, abbreviation, name): the ones the demo uses.
SUBJECT_AREAS: dict[str, tuple[str, str]] = {
    "1710": ("COMP", "Information Systems"),
    "3309": ("SOCI", "Library and Information Sciences"),
    "1700": ("COMP", "Computer Science (all)"),
    "2200": ("ENGI", "Engineering (all)"),
    "2700": ("MEDI", "Medicine (all)"),
    "1300": ("BIOC", "Biochemistry, Genetics and Molecular Biology (all)"),
    "2600": ("MATH", "Mathematics (all)"),
    "3100": ("PHYS", "Physics and Astronomy (all)"),
    "1600": ("CHEM", "Chemistry (all)"),
    "2000": ("ECON", "Economics, Econometrics and Finance (all)"),
    "1400": ("BUSI", "Business, Management and Accounting (all)"),
    "3300": ("SOCI", "Social Sciences (all)"),
    "2300": ("ENVI", "Environmental Science (all)"),
    "2500": ("MATE", "Materials Science (all)"),
}
