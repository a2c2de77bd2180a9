"""E-mail about what the Library validates: to the researchers on return and validation (research
outputs; projects, datasets and student theses), a daily digest of what waits to the Library.

Sent through Django's e-mail framework after the action's transaction commits, so a rolled-back
change never mails anyone. EMAIL_BACKEND decides where mail goes (the demo writes files under
var/). A mail server that refuses is logged, never turned into a failed action.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from portal.choices import WorkflowStatus
from portal.models import OutputComment, Person, ResearchOutput
from portal.models.validated import ValidatedItem
from portal.permissions import LIBRARY_GROUP
from portal.validated import ValidatedKind, registered_kinds

log = logging.getLogger(__name__)


def _link(name: str, *args: object) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=args)


def author_addresses(output: ResearchOutput) -> list[str]:
    """The authors' e-mail addresses on the portal, and the submitter's if not among them."""
    persons = Person.objects.filter(contributions__output=output).exclude(email="")
    addresses = list(dict.fromkeys(persons.values_list("email", flat=True)))
    if output.submitted_by_id:
        submitter = User.objects.filter(pk=output.submitted_by_id).first()
        if submitter is not None and submitter.email and submitter.email not in addresses:
            addresses.append(submitter.email)
    return addresses


def library_addresses() -> list[str]:
    """Library staff who have an e-mail address."""
    users = User.objects.filter(groups__name=LIBRARY_GROUP, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject: str, body: str, recipients: Iterable[str]) -> int:
    recipients = list(recipients)
    if not recipients:
        return 0
    try:
        return send_mail(
            f"[{settings.PORTAL_SITE_NAME}] {subject}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    except OSError:
        # A mail server down must not undo the Library's decision; the log says who missed it.
        log.exception("could not send %r to %s", subject, ", ".join(recipients))
        return 0


def output_returned(output_pk: int, comment_pk: int) -> int:
    """Tell the authors the Library returned their output, with the Library's comment."""
    output = ResearchOutput.objects.get(pk=output_pk)
    comment = OutputComment.objects.get(pk=comment_pk)
    body = (
        f"The Library has returned your research output to you:\n\n  {output.title}\n\n"
        f"Their comment:\n\n{comment.text}\n\n"
        f"Please correct it and submit it for validation again:\n"
        f"{_link('portal:my-output-detail', output.pk)}\n"
    )
    return _send("Research output returned to you", body, author_addresses(output))


def output_validated(output_pk: int) -> int:
    """Tell the authors their output is validated (and so public, and on ORCID next export)."""
    output = ResearchOutput.objects.get(pk=output_pk)
    body = (
        f"The Library has validated your research output:\n\n  {output.title}\n\n"
        f"It now shows on the portal as the visibility you chose allows, and goes to your ORCID "
        f"record at the next export if you have connected your ORCID iD.\n"
        f"{_link('portal:my-output-detail', output.pk)}\n"
    )
    return _send("Research output validated", body, author_addresses(output))


def item_addresses(item: ValidatedItem) -> list[str]:
    """The addresses of an item's researchers on the portal (its owner, the persons named on
    it), and the submitter's if not among them."""
    named = type(item).people_model().rows_of(item).filter(person__isnull=False)
    persons = Person.objects.filter(
        Q(pk=item.owner_id) | Q(pk__in=named.values("person_id"))
    ).exclude(email="")
    addresses = sorted(set(persons.values_list("email", flat=True)))
    if item.submitted_by_id:
        submitter = User.objects.filter(pk=item.submitted_by_id).first()
        if submitter is not None and submitter.email and submitter.email not in addresses:
            addresses.append(submitter.email)
    return addresses


def _noun(model: type[ValidatedItem]) -> str:
    return str(model._meta.verbose_name)


def item_returned(model: type[ValidatedItem], item_pk: int, comment_pk: int) -> int:
    """Tell a project's, dataset's or thesis's researchers the Library returned it, with the
    Library's comment."""
    item = model._default_manager.select_related("owner").get(pk=item_pk)
    comment = model.comment_model()._default_manager.get(pk=comment_pk)
    noun = _noun(model)
    body = (
        f"The Library has returned your {noun} to you:\n\n  {item.title}\n\n"
        f"Their comment:\n\n{comment.text}\n\n"
        f"Please correct it and submit it for validation again:\n"
        f"{_link(f'{model._meta.app_label}:detail', item.pk)}\n"
    )
    return _send(f"{noun.capitalize()} returned to you", body, item_addresses(item))


def item_validated(model: type[ValidatedItem], item_pk: int) -> int:
    """Tell a project's, dataset's or thesis's researchers the Library validated it."""
    item = model._default_manager.select_related("owner").get(pk=item_pk)
    noun = _noun(model)
    shown = (
        "It now shows on the portal, on your profile and on the list of its kind."
        if item.is_public
        # A student thesis waits for its degree's award date.
        else "It shows on the portal once it is due to be public (a thesis from its award date)."
    )
    body = (
        f"The Library has validated your {noun}:\n\n  {item.title}\n\n{shown}\n"
        f"{_link(f'{model._meta.app_label}:detail', item.pk)}\n"
    )
    return _send(f"{noun.capitalize()} validated", body, item_addresses(item))


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _kind_lines(kind: ValidatedKind, now: datetime) -> list[str]:
    """A validated type's part of the digest: how many wait, the oldest's age, the changes
    asked for, and the queue's address (nothing when nothing waits)."""
    items = kind.model._default_manager
    waiting = items.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    found = waiting.aggregate(total=Count("id"), oldest=Min("submitted_at"))
    total, oldest = found["total"], found["oldest"]
    changes = items.filter(workflow_status=WorkflowStatus.VALIDATED, change_requested=True).count()
    if not total and not changes:
        return []
    line = f"{kind.label}: {_plural(total, kind.singular, kind.plural)} "
    line += "waits" if total == 1 else "wait"
    if oldest is not None:
        line += f", the oldest submitted {(now - oldest).days} day(s) ago"
    if changes:
        line += f"; {_plural(changes, 'change', 'changes')} requested"
    return [line, f"  {_link(f'{kind.key}:queue')}"]


def send_validation_digest(now: datetime | None = None) -> int:
    """The Library's daily digest: how many research outputs wait, per unit, and the oldest's
    age; then the same for each other type the Library validates (projects, datasets, theses)."""
    now = now or timezone.now()
    waiting = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    total = waiting.count()
    changes = ResearchOutput.objects.filter(
        workflow_status=WorkflowStatus.VALIDATED, change_requested=True
    ).count()
    others = [line for kind in registered_kinds() for line in _kind_lines(kind, now)]
    if not total and not changes and not others:
        return 0
    lines = [f"{total:,} research output{'s' if total != 1 else ''} wait for validation."]
    if changes:
        lines.append(
            f"{changes:,} validated output{'s' if changes != 1 else ''} have a change requested."
        )
    oldest = waiting.aggregate(oldest=Min("submitted_at"))["oldest"]
    if oldest is not None:
        lines.append(f"The oldest was submitted {(now - oldest).days} day(s) ago.")
    lines.append("")
    per_unit = (
        waiting.values("managing_unit__name")
        .annotate(count=Count("id"))
        .order_by("-count", "managing_unit__name")
    )
    for row in per_unit:
        lines.append(f"  {row['managing_unit__name'] or '(no unit)'}: {row['count']:,}")
    lines.append("")
    lines.append(_link("portal:validation-queue"))
    if others:
        lines += ["", "Also waiting for the Library:", "", *others]
    return _send("Waiting for validation", "\n".join(lines), library_addresses())
