"""'Import from ORCID' page of the researcher backend (in the connector: the portal may not
import it; the portal's "My research output" links here through PORTAL_PANELS["my-outputs"]).

A work matching an output by title, year and first author is listed beside it, with "Add me as
an author of that output" and "Not a duplicate", as on a file import; "Import" checks the answer
again. A work whose DOI, EID, PMID or ISBN an output holds is never imported again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orcid_connector.importing import OrcidImportError, OrcidImportUnavailable, not_held, work_rows
from portal.choices import OutputSource
from portal.errors import PortalError
from portal.importers.service import import_previewed, refusal
from portal.queries import person_of


@login_required
@require_http_methods(["GET", "POST"])
def import_from_orcid(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Importing needs a researcher profile: the outputs are yours.")
    try:
        rows = work_rows(person)
    except OrcidImportError as error:
        status = 503 if isinstance(error, OrcidImportUnavailable) else 200
        return render(
            request, "orcid_connector/import.html", {"problem": str(error)}, status=status
        )
    problem = ""
    if request.method == "POST":
        chosen = request.POST.get("put_code", "")
        row = next((row for work, row in rows if str(work.put_code) == chosen), None)
        if row is None:
            problem = "That work is no longer on your ORCID record; nothing was imported."
        elif not row.entry.ok:
            problem = "This work cannot be imported: " + "; ".join(row.entry.problems) + "."
        else:
            try:
                output = import_previewed(
                    row.entry,
                    request.POST.getlist("not_duplicate"),
                    index=row.index,
                    person=person,
                    acting_user=request.user,
                    source=OutputSource.IMPORT,
                )
            except (PortalError, ValidationError) as error:
                problem = refusal(error)
            else:
                messages.success(
                    request,
                    "Imported from ORCID as Entry in progress: check it, then "
                    "“Submit for validation”.",
                )
                return redirect("portal:my-output-detail", pk=output.pk)
    return render(
        request,
        "orcid_connector/import.html",
        {"works": not_held(rows), "problem": problem},
        status=400 if problem else 200,
    )
