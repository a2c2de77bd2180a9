"""Forms of "Add research output" and its edit page: one template per output type (as Pure has),
ordered contributors as a Django formset, identifiers checked by the `identifiers` package.

Every field is checked on its own and refused with its own message; what was typed elsewhere
stays on the page (the forms are re-rendered with the posted data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone

from portal.actions import ContributorEntry, normalise_output_identifier
from portal.choices import OutputIdentifierType, OutputType, PublicationStatus, WorkflowStatus
from portal.errors import InvalidIdentifierError
from portal.forms import AccessibleErrorsMixin
from portal.models import OrgUnit, Person, ResearchOutput
from portal.queries import search_persons


@dataclass(frozen=True)
class OutputTemplate:
    """One of the "Add research output" choices: its fields, labels and identifiers."""

    output_type: OutputType
    label: str
    description: str
    fields: tuple[str, ...]
    identifiers: tuple[OutputIdentifierType, ...]
    labels: tuple[tuple[str, str], ...] = ()


DOI, EID, PMID = OutputIdentifierType.DOI, OutputIdentifierType.EID, OutputIdentifierType.PMID
ISBN, ISSN = OutputIdentifierType.ISBN, OutputIdentifierType.ISSN

# Pure's eight templates; the value of each is its ORCID work type (portal.choices.OutputType).
TEMPLATES: tuple[OutputTemplate, ...] = (
    OutputTemplate(
        OutputType.JOURNAL_ARTICLE,
        "Journal article",
        "An article in a journal, peer-reviewed or not.",
        ("host_title", "volume", "issue", "pages", "article_number"),
        (DOI, EID, PMID, ISSN),
        (("host_title", "Journal"),),
    ),
    OutputTemplate(
        OutputType.CONFERENCE_PAPER,
        "Conference contribution",
        "A paper or abstract in conference proceedings.",
        ("event", "host_title", "publisher", "pages", "article_number"),
        (DOI, EID, ISBN, ISSN),
        (("host_title", "Proceedings title"), ("event", "Conference (name, place, dates)")),
    ),
    OutputTemplate(
        OutputType.BOOK,
        "Book",
        "A book or anthology you wrote or edited.",
        ("publisher", "edition", "host_title"),
        (DOI, EID, ISBN),
        (("host_title", "Series"),),
    ),
    OutputTemplate(
        OutputType.BOOK_CHAPTER,
        "Chapter in a book",
        "A chapter in a book, report or anthology.",
        ("host_title", "publisher", "edition", "pages"),
        (DOI, EID, ISBN),
        (("host_title", "Book title"),),
    ),
    OutputTemplate(
        OutputType.DISSERTATION,
        "Thesis",
        "A doctoral or master's thesis.",
        ("awarding_institution", "publisher"),
        (DOI,),
        (("publisher", "Publisher or repository"),),
    ),
    OutputTemplate(
        OutputType.DATASET,
        "Dataset",
        "Research data deposited in a repository.",
        ("publisher",),
        (DOI,),
        (("publisher", "Repository or publisher"),),
    ),
    OutputTemplate(
        OutputType.REPORT,
        "Report",
        "A commissioned or working-paper report.",
        ("host_title", "publisher", "pages"),
        (DOI, ISBN, ISSN),
        (("host_title", "Series"), ("publisher", "Commissioning body or publisher")),
    ),
    OutputTemplate(
        OutputType.OTHER,
        "Other contribution",
        "Anything else: a review, a preprint, a working paper.",
        ("host_title", "publisher", "volume", "issue", "pages"),
        (DOI, EID, PMID, ISBN, ISSN),
        (("host_title", "Published in"),),
    ),
)
TEMPLATE_OF = {template.output_type.value: template for template in TEMPLATES}
# Types the portal holds that have no template of their own are edited with the nearest one.
TEMPLATE_FOR_TYPE = {
    **TEMPLATE_OF,
    OutputType.REVIEW.value: TEMPLATE_OF[OutputType.JOURNAL_ARTICLE.value],
    OutputType.EDITED_BOOK.value: TEMPLATE_OF[OutputType.BOOK.value],
    OutputType.PREPRINT.value: TEMPLATE_OF[OutputType.OTHER.value],
}

COMMON_FIELDS = (
    "title",
    "subtitle",
    "language",
    "abstract",
    "keywords",
    "publication_status",
    "publication_year",
    "publication_month",
    "publication_day",
    "submitted_date",
    "accepted_date",
    "epub_date",
    "published_date",
)
TRAILING_FIELDS = ("open_access_url", "licence", "visibility", "managing_unit")
STATUS_DATES = ("submitted_date", "accepted_date", "epub_date", "published_date")
IDENTIFIER_FIELD = {
    OutputIdentifierType.DOI: "doi",
    OutputIdentifierType.EID: "eid",
    OutputIdentifierType.PMID: "pmid",
    OutputIdentifierType.ISBN: "isbn",
    OutputIdentifierType.ISSN: "issn",
}


def template_for(output_type: str) -> OutputTemplate:
    return TEMPLATE_FOR_TYPE.get(output_type, TEMPLATE_OF[OutputType.OTHER.value])


class DateInput(forms.DateInput):
    input_type = "date"


class OutputForm(AccessibleErrorsMixin, forms.ModelForm[ResearchOutput]):
    """The fields of one output type's template, its identifiers and its units."""

    units = forms.ModelMultipleChoiceField(
        label="Research units", queryset=OrgUnit.objects.order_by("name"), required=False
    )
    keywords = forms.CharField(
        label="Keywords (separated by semicolons)", max_length=1000, required=False
    )

    class Meta:
        model = ResearchOutput
        fields = (
            *COMMON_FIELDS,
            "host_title",
            "volume",
            "issue",
            "pages",
            "article_number",
            "edition",
            "event",
            "awarding_institution",
            "publisher",
            *TRAILING_FIELDS,
        )
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 5}),
            "title": forms.TextInput(attrs={"size": 80}),
            **{name: DateInput() for name in STATUS_DATES},
        }

    def __init__(self, *args: Any, template: OutputTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        keep = {*COMMON_FIELDS, *template.fields, *TRAILING_FIELDS, "units"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, label in template.labels:
            if name in self.fields:
                self.fields[name].label = label
        self.fields["publication_year"].label = "Year of publication"
        self.fields["publication_month"].label = "Month"
        self.fields["publication_day"].label = "Day"
        self.fields["managing_unit"].label = "Managing unit"
        cast(
            forms.ModelChoiceField[OrgUnit], self.fields["managing_unit"]
        ).queryset = OrgUnit.objects.order_by("name")
        self.fields["open_access_url"] = forms.URLField(
            label="Open-access link", max_length=500, required=False, assume_scheme="https"
        )
        instance: ResearchOutput | None = kwargs.get("instance")
        held = {}
        if instance is not None and instance.pk:
            held = dict(instance.identifiers.values_list("id_type", "value"))
            self.fields["units"].initial = list(instance.units.values_list("pk", flat=True))
        for id_type in template.identifiers:
            name = IDENTIFIER_FIELD[id_type]
            self.fields[name] = forms.CharField(
                label=id_type.label, max_length=300, required=False, initial=held.get(id_type, "")
            )

    def _clean_identifier(self, id_type: OutputIdentifierType) -> str:
        raw = self.cleaned_data.get(IDENTIFIER_FIELD[id_type], "").strip()
        if not raw:
            return ""
        try:
            return normalise_output_identifier(id_type, raw)
        except InvalidIdentifierError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_doi(self) -> str:
        return self._clean_identifier(OutputIdentifierType.DOI)

    def clean_eid(self) -> str:
        return self._clean_identifier(OutputIdentifierType.EID)

    def clean_pmid(self) -> str:
        return self._clean_identifier(OutputIdentifierType.PMID)

    def clean_isbn(self) -> str:
        return self._clean_identifier(OutputIdentifierType.ISBN)

    def clean_issn(self) -> str:
        return self._clean_identifier(OutputIdentifierType.ISSN)

    def clean_publication_year(self) -> int:
        year: int = self.cleaned_data["publication_year"]
        latest = timezone.now().year + 2
        if not 1000 <= year <= latest:
            raise forms.ValidationError(f"The year should be between 1000 and {latest}.")
        return year

    def clean_publication_month(self) -> int | None:
        month: int | None = self.cleaned_data.get("publication_month")
        if month is not None and not 1 <= month <= 12:
            raise forms.ValidationError("The month should be between 1 and 12.")
        return month

    def clean_publication_day(self) -> int | None:
        day: int | None = self.cleaned_data.get("publication_day")
        if day is not None and not 1 <= day <= 31:
            raise forms.ValidationError("The day should be between 1 and 31.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("publication_day") and not cleaned.get("publication_month"):
            self.add_error("publication_day", "A day needs a month.")
        dates = [(name, cleaned.get(name)) for name in STATUS_DATES]
        previous: tuple[str, date] | None = None
        for name, value in dates:
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                self.add_error(
                    name,
                    f"This date is before the {str(self.fields[previous[0]].label).lower()}; "
                    "the statuses come in order (submitted, accepted, e-pub, published).",
                )
            previous = (name, value)
        status = cleaned.get("publication_status")
        published = cleaned.get("published_date")
        year = cleaned.get("publication_year")
        if status == PublicationStatus.PUBLISHED and published and year and published.year != year:
            self.add_error(
                "published_date", f"The published date is in {published.year}, not in {year}."
            )
        if cleaned.get("licence") and not cleaned.get("open_access_url"):
            self.add_error("open_access_url", "Give the open-access link the licence applies to.")
        return cleaned

    def output_fields(self) -> dict[str, Any]:
        """The cleaned values the actions take (the model's fields of this template)."""
        names = set(self._meta.fields or ()) & set(self.fields)
        values = {name: self.cleaned_data[name] for name in names}
        values["output_type"] = self.template.output_type.value
        # Editing keeps a type without a template of its own (a review stays a review).
        if self.instance.pk and template_for(self.instance.output_type) is self.template:
            values["output_type"] = self.instance.output_type
        return values

    def output_identifiers(self) -> list[tuple[str, str]]:
        return [
            (id_type.value, self.cleaned_data[IDENTIFIER_FIELD[id_type]])
            for id_type in self.template.identifiers
            if self.cleaned_data.get(IDENTIFIER_FIELD[id_type])
        ]


def find_person(text: str) -> list[Person]:
    """Internal persons for what was typed in a contributor row: an EID, or name words."""
    text = text.strip()
    by_staff_id = list(Person.objects.filter(Q(staff_id__iexact=text))[:1])
    if by_staff_id:
        return by_staff_id
    return list(search_persons(text)[:6])


class ContributorForm(AccessibleErrorsMixin, forms.Form):
    """One contributor: an internal person found by name or EID, or an external name with the
    organisation they belong to."""

    internal = forms.CharField(
        label="Internal person (name or EID)", max_length=200, required=False
    )
    family_name = forms.CharField(label="Family name", max_length=150, required=False)
    given_names = forms.CharField(label="Given names", max_length=150, required=False)
    external_affiliation = forms.CharField(
        label="Organisation (external persons)", max_length=255, required=False
    )
    role = forms.ChoiceField(
        label="Role", choices=[("author", "Author"), ("editor", "Editor")], initial="author"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("internal", "").strip()
        cleaned["person"] = None
        if text:
            found = find_person(text)
            if not found:
                self.add_error(
                    "internal",
                    f"No one at the university matches “{text}”; for an external author leave "
                    "this empty and give the name and organisation.",
                )
            elif len(found) > 1:
                names = "; ".join(f"{p.display_name} (EID {p.staff_id})" for p in found[:5])
                self.add_error("internal", f"Several people match “{text}”: {names}. Type the EID.")
            else:
                cleaned["person"] = found[0]
                cleaned["internal"] = found[0].staff_id
        elif cleaned.get("family_name", "").strip() == "" and self.has_changed():
            self.add_error(
                "family_name", "Give the author's family name, or find an internal person."
            )
        return cleaned

    def entry(self) -> ContributorEntry:
        data = self.cleaned_data
        person: Person | None = data.get("person")
        return ContributorEntry(
            family_name=data.get("family_name", "") or (person.family_name if person else ""),
            given_names=data.get("given_names", "") or (person.given_names if person else ""),
            person=person,
            external_affiliation="" if person else data.get("external_affiliation", ""),
            role=data.get("role") or "author",
        )


class BaseContributorFormSet(forms.BaseFormSet[ContributorForm]):
    def clean(self) -> None:
        super().clean()
        # A broken or missing management form is already an error: nothing to order.
        if any(self.errors) or self.non_form_errors():
            return
        if not self.entries():
            raise forms.ValidationError("An output needs at least one author.")
        persons = [entry.person.pk for entry in self.entries() if entry.person is not None]
        if len(persons) != len(set(persons)):
            raise forms.ValidationError("The same person is listed twice among the contributors.")

    def entries(self) -> list[ContributorEntry]:
        """The contributors in the order given (the ORDER field), empty rows and deleted ones
        left out."""
        rows = []
        for form in self.ordered_forms if self.can_order else self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            if not form.cleaned_data.get("person") and not form.cleaned_data.get("family_name"):
                continue
            rows.append(form.entry())
        return rows


ContributorFormSet = forms.formset_factory(
    ContributorForm,
    formset=BaseContributorFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=500,
    absolute_max=500,
    validate_max=True,
)


def contributor_initial(
    output: ResearchOutput | None, person: Person | None
) -> list[dict[str, Any]]:
    """The rows the contributor formset starts with: the output's, or the researcher alone."""
    if output is not None and output.pk:
        return [
            {
                "internal": row.person.staff_id if row.person else "",
                "family_name": row.family_name,
                "given_names": row.given_names,
                "external_affiliation": row.external_affiliation,
                "role": row.role,
                "ORDER": row.position,
            }
            for row in output.contributors.select_related("person").order_by("position")
        ]
    if person is not None:
        return [
            {
                "internal": person.staff_id,
                "family_name": person.family_name,
                "given_names": person.given_names,
                "ORDER": 1,
            }
        ]
    return []


class ReturnForm(forms.Form):
    """The Library's reason for returning an output."""

    comment = forms.CharField(
        label="Comment to the researcher",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please say what the researcher should correct."},
    )


class ChangeRequestForm(forms.Form):
    """A researcher's request to change a validated output."""

    comment = forms.CharField(
        label="What should change?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please say what should change."},
    )


class MyOutputFilterForm(forms.Form):
    """Filters of "My research output"."""

    state = forms.ChoiceField(label="State", required=False, choices=[])
    year = forms.IntegerField(label="Year", min_value=1000, max_value=2999, required=False)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *OutputType.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("", "Any state"),
            *[(v, label) for v, label in WorkflowStatus.choices if v != WorkflowStatus.WITHDRAWN],
        ]


class ValidationFilterForm(forms.Form):
    """Filters of the Library's "For validation" queue."""

    unit = forms.ModelChoiceField(
        label="Unit",
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        empty_label="Any unit",
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *OutputType.choices]
    )
    year = forms.IntegerField(label="Year", min_value=1000, max_value=2999, required=False)
    submitter = forms.CharField(label="Submitted by (user name)", max_length=150, required=False)
    older_than = forms.IntegerField(
        label="Waiting at least (days)", min_value=0, max_value=3650, required=False
    )
    queue = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "For validation"), ("changes", "Change requested")],
    )
