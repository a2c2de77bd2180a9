"""What the Scopus sandbox indexes: documents, affiliations, authorships and author profiles."""

from __future__ import annotations

from django.db import models

from scopus_sandbox.choices import (
    DocumentTypeChoices,
    FeedbackKindChoices,
    FeedbackStatusChoices,
    ProfileStatusChoices,
    ScopusApiChoices,
    SignInPurposeChoices,
)


class Affiliation(models.Model):
    """An institution as Scopus identifies it (AF-ID)."""

    afid = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=300)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.afid})"

    @property
    def display_address(self) -> str:
        return ", ".join(part for part in (self.name, self.city, self.country) if part)


class Document(models.Model):
    """One indexed document; its EID is `2-s2.0-` followed by the Scopus ID."""

    scopus_id = models.CharField(max_length=20, unique=True)
    doi = models.CharField(max_length=300, blank=True, db_index=True)
    title = models.TextField()
    source_title = models.CharField(max_length=500, blank=True)
    issn = models.CharField(max_length=20, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    cover_date = models.DateField(db_index=True)
    doc_type = models.CharField(
        max_length=2, choices=DocumentTypeChoices.choices, default=DocumentTypeChoices.ARTICLE
    )
    # ASJC codes, as strings; names and abbreviations come from choices.SUBJECT_AREAS.
    subject_areas = models.JSONField(default=list, blank=True)
    abstract = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    cited_by = models.PositiveIntegerField(default=0)
    # ISO 639-2, as Scopus's `language/@xml:lang` gives it.
    language = models.CharField(max_length=3, blank=True, default="eng")
    pubmed_id = models.CharField(max_length=12, blank=True)
    isbn = models.CharField(max_length=17, blank=True)
    article_number = models.CharField(max_length=40, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    open_access = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.eid} {self.title[:60]}"

    @property
    def eid(self) -> str:
        return f"2-s2.0-{self.scopus_id}"

    @property
    def year(self) -> int:
        return self.cover_date.year


class AuthorProfile(models.Model):
    """An author profile built by disambiguation; merged profiles forward to their survivor."""

    author_id = models.CharField(max_length=11, unique=True)
    given_name = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200)
    orcid = models.CharField(max_length=19, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=ProfileStatusChoices.choices, default=ProfileStatusChoices.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    # Surname + first initial as disambiguation blocks them: candidates are fetched by it.
    block = models.CharField(max_length=120, db_index=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.indexed_name} ({self.author_id})"

    @property
    def initials(self) -> str:
        return "".join(f"{part[0]}." for part in self.given_name.replace("-", " ").split() if part)

    @property
    def indexed_name(self) -> str:
        return f"{self.surname} {self.initials}".strip()

    @property
    def display_name(self) -> str:
        return f"{self.surname}, {self.given_name}" if self.given_name else self.surname

    @property
    def eid(self) -> str:
        return f"9-s2.0-{self.author_id}"


class ProfileAlias(models.Model):
    """A split profile's old Author ID and one of the profiles it now answers with."""

    retired = models.ForeignKey(AuthorProfile, on_delete=models.CASCADE, related_name="aliases")
    profile = models.ForeignKey(AuthorProfile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["retired", "profile"], name="scopus_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.retired.author_id} -> {self.profile.author_id}"


class Authorship(models.Model):
    """One author of one document, as printed, with the profile disambiguation gave it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()
    given_name = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True)
    orcid = models.CharField(max_length=19, blank=True)
    affiliations = models.ManyToManyField(Affiliation, blank=True, related_name="authorships")
    profile = models.ForeignKey(
        AuthorProfile, null=True, on_delete=models.SET_NULL, related_name="authorships"
    )
    block = models.CharField(max_length=120, db_index=True, blank=True)

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="scopus_authorship_seq")
        ]

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_name} on {self.document_id}"

    @property
    def initials(self) -> str:
        return "".join(f"{part[0]}." for part in self.given_name.replace("-", " ").split() if part)

    @property
    def indexed_name(self) -> str:
        return f"{self.surname} {self.initials}".strip()


class ApiKey(models.Model):
    """An API key and the weekly quota each API counts against it."""

    key = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=200, blank=True)
    weekly_quota = models.PositiveIntegerField(default=20_000)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.label or self.key[:8]


class ApiKeyUsage(models.Model):
    """Requests one key made to one API in the week that started with its first use."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    api = models.CharField(max_length=30, choices=ScopusApiChoices.choices)
    window_started = models.DateTimeField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "api"], name="scopus_usage_per_api")
        ]

    def __str__(self) -> str:
        return f"{self.api_key} {self.api}: {self.used}"


class FeedbackRequest(models.Model):
    """A correction waiting for the Author Feedback team (applied by `process-feedback`)."""

    kind = models.CharField(max_length=20, choices=FeedbackKindChoices.choices)
    profile = models.ForeignKey(AuthorProfile, on_delete=models.CASCADE, related_name="feedback")
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=FeedbackStatusChoices.choices, default=FeedbackStatusChoices.PENDING
    )
    submitted_by = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.profile.author_id} ({self.status})"


class WizardSession(models.Model):
    """One researcher's pass through the Scopus to ORCID wizard (the sandbox's own cookie)."""

    token = models.CharField(max_length=64, unique=True)
    start_profile = models.ForeignKey(AuthorProfile, on_delete=models.CASCADE, related_name="+")
    oauth_state = models.CharField(max_length=64, blank=True)
    orcid = models.CharField(max_length=19, blank=True)
    orcid_name = models.CharField(max_length=300, blank=True)
    # The ORCID access token, Fernet-encrypted (scopus_sandbox.crypto); empty until signed in.
    access_token_encrypted = models.TextField(blank=True)
    # What the ORCID sign-in was for: the Scopus to ORCID wizard, or the Author Feedback Wizard.
    purpose = models.CharField(
        max_length=10, choices=SignInPurposeChoices.choices, default=SignInPurposeChoices.WIZARD
    )
    chosen_profiles = models.JSONField(default=list, blank=True)
    preferred_name = models.JSONField(default=dict, blank=True)
    removed_documents = models.JSONField(default=list, blank=True)
    author_id_sent = models.BooleanField(default=False)
    works_sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"wizard {self.orcid or 'unsigned'} from {self.start_profile.author_id}"

    @property
    def signed_in(self) -> bool:
        """Whether ORCID has answered this session's sign-in with a token and an iD."""
        return bool(self.access_token_encrypted and self.orcid)
