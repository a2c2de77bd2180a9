"""Forms of the researcher backend and the library console."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.db.models import Q

from portal.actions import (
    EDITABLE_PROFILE_FIELDS,
    LIBRARY_PROFILE_FIELDS,
    check_identifier_free,
    normalise_person_identifier,
)
from portal.choices import IdentifierStatus, LinkType, PersonIdentifierType
from portal.errors import PortalError
from portal.models import Person

MAX_PENDING_IDENTIFIERS = 20
# How many pending rows a posted form may carry at all; more are dropped unread, with an error.
MAX_POSTED_PENDING = 50
# Long enough for a research statement; short enough that one form post cannot bloat a row.
MAX_PROFILE_TEXT = 5000


class AccessibleErrorsMixin(forms.BaseForm):
    """Marks fields at fault for screen readers: aria-invalid, and the error message linked."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                # The templates give each error message the id "<field id>-error".
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class StaffLoginForm(AuthenticationForm):
    """Backend login with the staff ID (EID); other authentication backends reuse it."""

    username = forms.CharField(
        label="EID", max_length=50, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class StaffPasswordResetForm(AccessibleErrorsMixin, PasswordResetForm):
    """ "Forgot your password?": the address on the account or, failing that, on the profile.

    Accounts come from the staff directory and often carry no e-mail of their own; the profile's
    (HR-fed) address is the researcher's. The page answers the same whether or not it matched.
    """

    def get_users(self, email: str) -> Iterator[User]:
        accounts = User.objects.filter(
            Q(email__iexact=email) | Q(person__email__iexact=email), is_active=True
        ).distinct()
        return (account for account in accounts if account.has_usable_password())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # An account without an address of its own matched on its profile's: write there.
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email or self.cleaned_data["email"],
            html_email_template_name,
        )


class ProfileForm(AccessibleErrorsMixin, forms.ModelForm[Person]):
    """The profile fields of "Edit profile"; library staff also see the HR-fed ones."""

    profile_text = forms.CharField(
        label="Profile text",
        max_length=MAX_PROFILE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Person
        fields = LIBRARY_PROFILE_FIELDS

    def __init__(self, *args: Any, library: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not library:
            for name in set(LIBRARY_PROFILE_FIELDS) - set(EDITABLE_PROFILE_FIELDS):
                del self.fields[name]


class NewIdentifierForm(forms.Form):
    """The "Add ID" dialog: an ID type and a value, checked at once on "Create"."""

    new_id_type = forms.ChoiceField(label="ID type", choices=PersonIdentifierType.choices)
    new_id_value = forms.CharField(label="Value", max_length=300, strip=True)

    def __init__(self, *args: Any, person: Person, pending: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.person = person
        self.pending = pending

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        id_type, raw = cleaned.get("new_id_type"), cleaned.get("new_id_value")
        if not id_type or not raw:
            return cleaned
        try:
            value = normalise_person_identifier(id_type, raw)
            check_identifier_free(self.person, id_type, value)
        except PortalError as error:
            self.add_error("new_id_value", str(error))
            return cleaned
        if (id_type, value) in self.pending:
            self.add_error("new_id_value", "You have already added this ID; click Save to keep it.")
        elif id_type == PersonIdentifierType.ORCID and any(
            pending_type == PersonIdentifierType.ORCID for pending_type, _ in self.pending
        ):
            self.add_error("new_id_value", "A profile holds one ORCID iD.")
        elif len(self.pending) >= MAX_PENDING_IDENTIFIERS:
            self.add_error("new_id_value", "Save the IDs you have added before adding more.")
        cleaned["new_id_value"] = value
        return cleaned


class PendingIdentifierForm(forms.Form):
    """One ID made with "Create" but not saved yet: carried in hidden fields, checked on "Save"."""

    id_type = forms.ChoiceField(choices=PersonIdentifierType.choices, widget=forms.HiddenInput)
    value = forms.CharField(max_length=300, widget=forms.HiddenInput)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        id_type, raw = cleaned.get("id_type"), cleaned.get("value")
        if id_type and raw:
            # The hidden fields come back from the browser: check them as if typed again.
            try:
                cleaned["value"] = normalise_person_identifier(id_type, raw)
                check_identifier_free(self.person, id_type, cleaned["value"])
            except PortalError as error:
                self.add_error(None, str(error))
        return cleaned

    @property
    def label(self) -> str:
        """The ID type as people read it; a tampered type is shown as posted (escaped)."""
        raw = str(self["id_type"].value() or "")
        return PersonIdentifierType(raw).label if raw in PersonIdentifierType.values else raw

    @property
    def entry(self) -> tuple[str, str]:
        """(ID type, value) as posted or given, for re-display and the duplicate checks."""
        if self.is_bound and not self.errors:
            return self.cleaned_data["id_type"], self.cleaned_data["value"]
        return str(self["id_type"].value() or ""), str(self["value"].value() or "")


class BasePendingIdentifierFormSet(forms.BaseFormSet[PendingIdentifierForm]):
    """The IDs created on the edit page but not saved yet, in the order they were created."""

    default_error_messages = {
        "too_many_forms": "Save the IDs you have added before adding more.",
        "missing_management_form": (
            "The list of new IDs did not come back complete; please add them again."
        ),
    }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "pending")
        kwargs["form_kwargs"] = {"person": person}
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        seen: set[tuple[str, str]] = set()
        orcids = 0
        for form in self.forms:
            if form.errors or not form.cleaned_data:
                continue
            entry = form.entry
            if entry in seen:
                form.add_error(None, "You have already added this ID; click Save to keep it.")
            seen.add(entry)
            orcids += entry[0] == PersonIdentifierType.ORCID
        if orcids > 1:
            raise forms.ValidationError("A profile holds one ORCID iD.")

    def entries(self) -> list[tuple[str, str]]:
        """Every pending ID as it stands, checked or not: what the page shows next."""
        return [form.entry for form in self.forms if any(form.entry)]

    def with_entries(self, entries: list[tuple[str, str]]) -> BasePendingIdentifierFormSet:
        """A fresh, unbound copy holding `entries`, for the page after "Create" or "Remove"."""
        return type(self)(
            initial=[{"id_type": id_type, "value": value} for id_type, value in entries],
            person=self.form_kwargs["person"],
        )


PendingIdentifierFormSet = cast(
    type[BasePendingIdentifierFormSet],
    forms.formset_factory(
        PendingIdentifierForm,
        formset=BasePendingIdentifierFormSet,
        extra=0,
        max_num=MAX_PENDING_IDENTIFIERS,
        validate_max=True,
        absolute_max=MAX_POSTED_PENDING,
    ),
)


class RemovalForm(forms.Form):
    """The "Remove" boxes beside the profile's own IDs and links; only those rows are choices."""

    STALE = (
        "Something ticked for removal is not on this profile (any more); "
        "nothing was saved, please check the list and save again."
    )

    # Choices compare as text, so "²" or 5,000 digits are refused without ever reaching int().
    remove_identifier = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": STALE}
    )
    remove_link = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": STALE}
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = {"remove_identifier": person.identifiers.all(), "remove_link": person.links.all()}
        for name, field in self.fields.items():
            cast(forms.MultipleChoiceField, field).choices = [
                (str(row.pk), str(row)) for row in rows[name]
            ]

    def chosen(self, name: str) -> set[int]:
        """The primary keys ticked in `name` (only valid once the form is)."""
        return {int(pk) for pk in self.cleaned_data.get(name, [])}

    def ticked(self, name: str) -> set[str]:
        """What the page shows ticked again after a re-render."""
        return {str(pk) for pk in (self[name].value() or [])}


class NewLinkForm(AccessibleErrorsMixin, forms.Form):
    """A link to add under "Other Links" when the profile is saved; both fields or neither."""

    new_link_type = forms.ChoiceField(
        label="Link type", choices=[("", "—"), *LinkType.choices], required=False
    )
    new_link_url = forms.URLField(
        label="Link address", max_length=500, required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("new_link_url") and not cleaned.get("new_link_type"):
            self.add_error("new_link_type", "Choose what kind of link this is.")
        if cleaned.get("new_link_type") and not cleaned.get("new_link_url") and not self.errors:
            self.add_error("new_link_url", "Enter the link's address.")
        return cleaned


class ProfileEditForms:
    """Every form of "Edit profile" together: the page is one HTML form with several buttons.

    "Add ID", "Create" and the removal buttons re-render it with everything typed so far; the
    IDs created but not saved travel in a formset of hidden fields; only "Save" writes.
    """

    def __init__(self, person: Person, *, library: bool, data: Any = None) -> None:
        self.person = person
        # Bound forms get no instance: a bound ModelForm would write the typed values onto
        # `person`, and do_update_profile could no longer tell what changed.
        self.profile = (
            ProfileForm(data, library=library)
            if data is not None
            else ProfileForm(instance=person, library=library)
        )
        self.link = NewLinkForm(data)
        self.pending = PendingIdentifierFormSet(data, person=person)
        self.removals = RemovalForm(data, person=person)
        self.new_id: NewIdentifierForm | None = None
        self.typed_id: tuple[str, str] | None = None
        # What the actions refused on "Save" (a race the checks could not see), for the page.
        self.errors: list[str] = []
        self.data = data

    def open_dialog(self) -> None:
        """ "Add ID": an empty dialog."""
        self._keep_pending(self.pending.entries())
        self.new_id = NewIdentifierForm(person=self.person, pending=self.pending.entries())

    def create_id(self) -> None:
        """ "Create": the dialog's ID joins the pending list, or the dialog shows why not."""
        entries = self.pending.entries()
        form = NewIdentifierForm(self.data, person=self.person, pending=entries)
        if form.is_valid():
            entries.append((form.cleaned_data["new_id_type"], form.cleaned_data["new_id_value"]))
        else:
            self.new_id = form
        self._keep_pending(entries)

    def drop_pending(self, index: str) -> None:
        """A pending ID's "Remove" button; an index that is not one of the rows does nothing."""
        entries = self.pending.entries()
        # Compared as text: "²" and 5,000 digits never reach int().
        if index in {str(position) for position in range(len(entries))}:
            del entries[int(index)]
        self._keep_pending(entries)

    def redisplay(self) -> None:
        """Any other button: the page again, with nothing lost and nothing saved."""
        self._keep_pending(self.pending.entries())

    def _keep_pending(self, entries: list[tuple[str, str]]) -> None:
        self.pending = self.pending.with_entries(entries[:MAX_POSTED_PENDING])

    def is_valid(self) -> bool:
        """Everything checked for "Save", including an ID typed in the dialog but not created."""
        valid = (
            self.profile.is_valid()
            & self.link.is_valid()
            & self.pending.is_valid()
            & self.removals.is_valid()
        )
        if self.data is not None and str(self.data.get("new_id_value", "")).strip():
            # An ID typed in the dialog but not yet created counts: "Save" should not drop it.
            form = NewIdentifierForm(self.data, person=self.person, pending=self.pending.entries())
            if form.is_valid():
                self.typed_id = (
                    form.cleaned_data["new_id_type"],
                    form.cleaned_data["new_id_value"],
                )
            else:
                self.new_id = form
                valid = False
        return valid

    def identifiers_to_add(self) -> list[tuple[str, str]]:
        """The pending IDs and the one typed in the dialog, once is_valid() said yes."""
        return [*self.pending.entries(), *([self.typed_id] if self.typed_id else [])]


class IdentifierStatusForm(forms.Form):
    """Library staff verify or reject an identifier, saying why."""

    status = forms.ChoiceField(
        choices=[
            (IdentifierStatus.VERIFIED, "Verified"),
            (IdentifierStatus.REJECTED, "Rejected"),
            (IdentifierStatus.ENTERED, "Entered (not checked)"),
        ]
    )
    evidence = forms.CharField(
        label="Evidence", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonSearchForm(forms.Form):
    """The search box of the Researchers page and the library console."""

    q = forms.CharField(label="Name or identifier", max_length=200, required=False)
    unit = forms.SlugField(label="Research unit", max_length=120, required=False)


class OutputSearchForm(forms.Form):
    """The filters of the Research Output page."""

    q = forms.CharField(label="Title", max_length=200, required=False)
    year = forms.IntegerField(label="Year", min_value=1000, max_value=2999, required=False)
    type = forms.CharField(label="Type", max_length=30, required=False)
    unit = forms.SlugField(label="Research unit", max_length=120, required=False)
