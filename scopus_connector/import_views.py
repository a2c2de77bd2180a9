"""'Import from Scopus' pages of the researcher backend.

They live in the connector because the portal may not import it (design §3); the portal's
"My research output" finds the link through PORTAL_PANELS["my-outputs"]. Each document is shown
first, checked against held outputs ("Possible duplicate"), and imported only on "Import". A
match by title, year and first author may be answered "Not a duplicate", as on a file import
(the same choice, checked again on "Import"); a match by DOI or EID is the same publication and
is never imported again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.choices import OutputSource
from portal.duplicates import find_duplicates
from portal.errors import PortalError
from portal.importers.service import PreviewRow, candidate, import_previewed, refusal
from portal.models import Person
from portal.queries import person_of
from scopus_connector.importing import (
    ScopusImportError,
    ScopusImportUnavailable,
    documents_not_held,
    look_up,
)


class ScopusLookupForm(forms.Form):
    """A Scopus EID or DOI to import."""

    identifier = forms.CharField(label="Scopus EID or DOI", max_length=300)


def _researcher(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Importing needs a researcher profile: the outputs are yours.")
    return person


@login_required
@require_http_methods(["GET", "POST"])
def import_from_scopus(request: HttpRequest) -> HttpResponse:
    person = _researcher(request)
    form = ScopusLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form, "person": person}
    status = 200
    if request.method == "GET" and request.GET.get("find") == "1":
        try:
            context["not_held"] = documents_not_held(person)
        except ScopusImportError as error:
            context["problem"] = str(error)
            status = 503 if isinstance(error, ScopusImportUnavailable) else 200
    if request.method == "POST" and form.is_valid():
        try:
            entry = look_up(form.cleaned_data["identifier"])
        except ScopusImportError as error:
            form.add_error("identifier", str(error))
            status = 503 if isinstance(error, ScopusImportUnavailable) else 400
        else:
            row = PreviewRow(0, entry, find_duplicates(candidate(entry)) if entry.ok else [])
            if request.POST.get("action") == "import" and entry.ok:
                try:
                    output = import_previewed(
                        entry,
                        request.POST.getlist("not_duplicate"),
                        index=row.index,
                        person=person,
                        acting_user=request.user,
                        source=OutputSource.SCOPUS,
                    )
                except (PortalError, ValidationError) as error:
                    context["problem"] = refusal(error)
                    status = 400
                else:
                    messages.success(
                        request,
                        "Imported from Scopus as Entry in progress: check it, then "
                        "“Submit for validation”.",
                    )
                    return redirect("portal:my-output-detail", pk=output.pk)
            context.update(entry=entry, row=row)
    elif request.method == "POST":
        status = 400
    return render(request, "scopus_connector/import.html", context, status=status)
