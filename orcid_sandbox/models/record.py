"""Items on an ORCID record, each with a put-code, a source and a visibility."""

from __future__ import annotations

from urllib.parse import quote

from django.db import models

from orcid_sandbox.choices import AffiliationSection, Visibility
from orcid_sandbox.models.accounts import Account
from orcid_sandbox.models.oauth import Client


class SourcedItem(models.Model):
    """What every record item has: put-code (the primary key), source, visibility, dates."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    # The writing client; None when the researcher added the item themselves.
    source_client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT)
    # Set when a client allowed to do so writes on the researcher's behalf ("X via Y").
    assertion_origin = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    display_index = models.IntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def put_code(self) -> int:
        return int(self.pk)

    def source_name(self) -> str:
        return self.source_client.name if self.source_client else self.account.display_name

    def source_label(self) -> str:
        """How ORCID shows the source: "Chris WONG via Scopus - Elsevier" or just the source."""
        if self.assertion_origin is not None:
            return f"{self.assertion_origin.full_name} via {self.source_name()}"
        return self.source_name()


class Work(SourcedItem):
    """A work (publication); external ids are a list of {type, value, url, relationship}."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="works")
    title = models.CharField(max_length=1000)
    subtitle = models.CharField(max_length=1000, blank=True)
    journal_title = models.CharField(max_length=1000, blank=True)
    work_type = models.CharField(max_length=40)
    publication_year = models.CharField(max_length=4, blank=True)
    publication_month = models.CharField(max_length=2, blank=True)
    publication_day = models.CharField(max_length=2, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    short_description = models.TextField(blank=True)
    external_ids = models.JSONField(default=list)
    # The rest of the work document (citation, contributors, translated title, language,
    # country), kept in its API JSON shape so that what a client wrote reads back unchanged.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-publication_year", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def id_links(self) -> list[tuple[str, str, str]]:
        """(label, value, link) per external id, linked the way ORCID's record page does."""
        resolvers = {
            "doi": "https://doi.org/{}",
            "eid": "https://www.scopus.com/inward/record.url?eid={}&partnerID=MN8TOARS",
            "pmid": "https://www.ncbi.nlm.nih.gov/pubmed/{}",
            "issn": "https://portal.issn.org/resource/ISSN/{}",
        }
        links = []
        for item in self.external_ids:
            pattern = resolvers.get(item["type"])
            link = item.get("url") or (pattern.format(quote(item["value"])) if pattern else "")
            if not link.startswith(("http://", "https://")):
                link = ""
            links.append((item["type"].upper(), item["value"], link))
        return links


class OtherId(SourcedItem):
    """A person external identifier, shown under "Other IDs" (e.g. Scopus Author ID)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="other_ids")
    id_type = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    url = models.URLField(max_length=1000)
    relationship = models.CharField(max_length=20, default="self")

    class Meta:
        ordering = ["display_index", "pk"]

    def __str__(self) -> str:
        return f"{self.id_type}: {self.value}"


class ResearcherUrl(SourcedItem):
    """A link under "Websites & Social Links"."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="researcher_urls")
    name = models.CharField(max_length=355)
    url = models.URLField(max_length=2000)

    class Meta:
        ordering = ["display_index", "pk"]

    def __str__(self) -> str:
        return self.name or self.url


class OrganizationFields(models.Model):
    """An organisation as ORCID records it: name, address and its disambiguated id."""

    organization_name = models.CharField(max_length=1000)
    city = models.CharField(max_length=1000)
    region = models.CharField(max_length=1000, blank=True)
    country = models.CharField(max_length=2)
    # ORCID's disambiguated organisation ids, e.g. {"source": "RINGGOLD", "id": "53025"}.
    disambiguated_source = models.CharField(max_length=20, blank=True)
    disambiguated_id = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class AffiliationItem(SourcedItem, OrganizationFields):
    """What every affiliation section shares (orcid-model common:affiliation): organisation,
    department, role, dates, URL and external ids."""

    department_name = models.CharField(max_length=1000, blank=True)
    role_title = models.CharField(max_length=1000, blank=True)
    start_date = models.CharField(max_length=10, blank=True, help_text="YYYY[-MM[-DD]]")
    end_date = models.CharField(max_length=10, blank=True, help_text="YYYY[-MM[-DD]]")
    url = models.URLField(max_length=1000, blank=True)
    # [{type, value, url, relationship}], as on works.
    external_ids = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


class Employment(AffiliationItem):
    """An employment affiliation: organisation, department, role and dates."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="employments")

    class Meta:
        ordering = ["-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.role_title or 'Employment'} at {self.organization_name}"


class Affiliation(AffiliationItem):
    """A distinction, education, invited position, membership, qualification or service."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="affiliations")
    section = models.CharField(max_length=20, choices=AffiliationSection.choices)

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["account", "section"], name="affiliation_section_idx")]

    def __str__(self) -> str:
        label = self.get_section_display()
        return f"{self.role_title or label} at {self.organization_name}"


class Funding(SourcedItem, OrganizationFields):
    """A funding (grant, award, contract, salary award) and its funding organisation."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="fundings")
    funding_type = models.CharField(max_length=20)
    organization_defined_type = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=1000)
    translated_title = models.CharField(max_length=1000, blank=True)
    translated_title_language = models.CharField(max_length=10, blank=True)
    short_description = models.TextField(blank=True)
    amount = models.CharField(max_length=40, blank=True)
    currency_code = models.CharField(max_length=3, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    start_date = models.CharField(max_length=10, blank=True, help_text="YYYY[-MM[-DD]]")
    end_date = models.CharField(max_length=10, blank=True, help_text="YYYY[-MM[-DD]]")
    external_ids = models.JSONField(default=list, blank=True)
    # [{"contributor-orcid"?, "credit-name"?, "contributor-attributes"?}] in API JSON shape.
    contributors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-start_date", "title", "pk"]

    def __str__(self) -> str:
        return self.title
