"""Vocabularies of the portal: statuses, types and roles as TextChoices."""

from __future__ import annotations

from django.db import models


class PersonStatus(models.TextChoices):
    CURRENT = "current", "Current"
    FORMER = "former", "Former"


class OrgUnitType(models.TextChoices):
    UNIVERSITY = "university", "University"
    FACULTY = "faculty", "Faculty / School"
    DEPARTMENT = "department", "Department"
    LIBRARY = "library", "Library"
    CENTRE = "centre", "Research centre"
    OFFICE = "office", "Office"


class PositionRole(models.TextChoices):
    PROFESSOR = "professor", "Professor"
    ASSOCIATE_PROFESSOR = "associate_professor", "Associate Professor"
    ASSISTANT_PROFESSOR = "assistant_professor", "Assistant Professor"
    LECTURER = "lecturer", "Lecturer"
    RESEARCH_FELLOW = "research_fellow", "Research Fellow"
    POSTDOC = "postdoc", "Postdoctoral Fellow"
    LIBRARIAN = "librarian", "Librarian"
    PHD_STUDENT = "phd_student", "Doctor of Philosophy (Student)"
    MPHIL_STUDENT = "mphil_student", "Master of Philosophy (Student)"


class PersonIdentifierType(models.TextChoices):
    """The ID types a researcher can add with "Add ID" (values are identifiers.Scheme names)."""

    ORCID = "orcid", "ORCID iD"
    SCOPUS_AUTHOR_ID = "scopus_author_id", "Scopus Author ID"
    RESEARCHER_ID = "researcher_id", "ResearcherID"
    ISNI = "isni", "ISNI"


class IdentifierStatus(models.TextChoices):
    ENTERED = "entered", "Entered"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    # Only an ORCID iD obtained through ORCID's OAuth sign-in is authenticated.
    AUTHENTICATED = "authenticated", "Authenticated"


class LinkType(models.TextChoices):
    GOOGLE_SCHOLAR = "google_scholar", "Google Scholar"
    PERSONAL = "personal", "Personal website"
    LINKEDIN = "linkedin", "LinkedIn"
    RESEARCHGATE = "researchgate", "ResearchGate"
    GITHUB = "github", "GitHub"
    OTHER = "other", "Other"


class OutputType(models.TextChoices):
    """Research output types; values are ORCID work types so the export maps one to one."""

    JOURNAL_ARTICLE = "journal-article", "Journal article"
    CONFERENCE_PAPER = "conference-paper", "Conference paper"
    BOOK = "book", "Book"
    BOOK_CHAPTER = "book-chapter", "Book chapter"
    REVIEW = "review", "Review article"
    EDITED_BOOK = "edited-book", "Edited book"
    REPORT = "report", "Report"
    DISSERTATION = "dissertation-thesis", "Thesis"
    PREPRINT = "preprint", "Preprint"
    DATASET = "data-set", "Dataset"
    OTHER = "other", "Other"


class WorkflowStatus(models.TextChoices):
    ENTRY_IN_PROGRESS = "entry_in_progress", "Entry in progress"
    FOR_VALIDATION = "for_validation", "For validation"
    # The Library sent it back with a comment; the researcher corrects it and submits again.
    RETURNED = "returned", "Returned"
    VALIDATED = "validated", "Validated"
    # Taken out of the portal (withdrawn, or merged into another output): never shown or exported.
    WITHDRAWN = "withdrawn", "Withdrawn"


class OutputLicence(models.TextChoices):
    """Licences of an open-access version (the usual Creative Commons set, as Pure offers)."""

    CC_BY = "cc-by", "CC BY"
    CC_BY_SA = "cc-by-sa", "CC BY-SA"
    CC_BY_NC = "cc-by-nc", "CC BY-NC"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA"
    CC_BY_ND = "cc-by-nd", "CC BY-ND"
    CC_BY_NC_ND = "cc-by-nc-nd", "CC BY-NC-ND"
    CC0 = "cc0", "CC0"
    OTHER = "other", "Other licence"


class OutputCommentKind(models.TextChoices):
    """Why a comment was written on an output's workflow."""

    RETURN = "return", "Returned by the Library"
    CHANGE_REQUEST = "change_request", "Change requested by the researcher"
    NOTE = "note", "Note"


class PublicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted/In press"
    EPUB = "epub", "E-pub ahead of print"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public - no restriction"
    CAMPUS = "campus", "Campus - restricted to the university"
    BACKEND = "backend", "Backend - restricted to owners and editors"


class OutputIdentifierType(models.TextChoices):
    DOI = "doi", "DOI"
    EID = "eid", "Scopus EID"
    ISBN = "isbn", "ISBN"
    ISSN = "issn", "ISSN"
    PMID = "pmid", "PubMed ID"
    WOS = "wos", "Web of Science UID"


class OutputSource(models.TextChoices):
    """Where a research output record came from (its provenance)."""

    MANUAL = "manual", "Entered manually"
    SCOPUS = "scopus", "Harvested from Scopus"
    WOS = "wos", "Harvested from Web of Science"
    IMPORT = "import", "Imported"
    DEMO = "demo", "Demo data"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    LOGIN = "login", "Logged in"


class OwnedItemStatus(models.TextChoices):
    """Content its owner publishes directly (activities, prizes, impact, press), as Pure does."""

    DRAFT = "draft", "Draft - only you and the Library see it"
    PUBLIC = "public", "Public - shown on the portal"
