"""The ORCID export engine: bring each connected record to what the portal says it should hold.

Desired state (mapping.py) against known state (ExportedItem rows) gives a plan: new items are
POSTed (works in bulks of up to 100), changed ones PUT, withdrawn ones DELETEd, unchanged ones
left alone, so a run with no changes makes no call. Known faults are repaired, not reported:
409 duplicate → find our own copy on the record and adopt its put-code; 404 on PUT → the
researcher deleted it, POST again; 404 on DELETE → already gone; 401 → the researcher revoked
the portal, stop and say "Reconnect". A put-code is stored the moment ORCID returns it, so a run
killed half-way is finished by the next one without duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from orcid_connector import crypto, mapping
from orcid_connector.actions import do_disconnect_orcid
from orcid_connector.member_api import (
    Answer,
    MemberApi,
    OrcidUnavailable,
    RecordGone,
    TokenRefused,
)
from orcid_connector.models import ExportedItem, ExportRun, OrcidAuthorization
from portal.choices import IdentifierStatus, PersonIdentifierType, PersonStatus, PublicationStatus
from portal.models import Contributor, Person, PersonIdentifier
from portal.queries import public_outputs

log = logging.getLogger(__name__)
BULK_SIZE = 100
LEASE = timedelta(minutes=30)


@dataclass(frozen=True)
class Paths:
    """Where one kind of item lives in the member API."""

    post: str  # where a new one is POSTed
    item: str  # prefix of /{put-code} for PUT and DELETE
    read: str  # the section listing the record's items (plural where the writes are not)
    list_key: str  # the list in that section's JSON ("" for grouped sections)


PATHS = {
    "work": Paths("works", "work", "works", ""),
    "external-identifier": Paths(
        "external-identifiers",
        "external-identifiers",
        "external-identifiers",
        "external-identifier",
    ),
    "researcher-url": Paths(
        "researcher-urls", "researcher-urls", "researcher-urls", "researcher-url"
    ),
    "employment": Paths("employment", "employment", "employments", ""),
}
# What the export still writes for a researcher who has left: the end date of their employment;
# their works and IDs stay on ORCID as they were (the export pauses, it does not withdraw).
LEAVER_KINDS = {"employment"}
DUPLICATE_CODES = {"9021", "9030"}
EXPORTED_STATUSES = [PublicationStatus.PUBLISHED, PublicationStatus.EPUB]


def desired_items(person: Person) -> dict[tuple[str, str], mapping.Desired]:
    """Everything the portal wants on the person's record, keyed by (kind, key)."""
    authored = Contributor.objects.filter(person=person).values("output_id")
    outputs = list(
        public_outputs()
        .filter(pk__in=authored, publication_status__in=EXPORTED_STATUSES)
        .prefetch_related(
            "identifiers", Prefetch("contributors", Contributor.objects.order_by("position"))
        )
        .order_by("pk")
    )
    internal = {c.person_id for o in outputs for c in o.contributors.all() if c.person_id}
    orcids = dict(
        PersonIdentifier.objects.filter(
            person_id__in=internal,
            id_type=PersonIdentifierType.ORCID,
            status=IdentifierStatus.AUTHENTICATED,
        ).values_list("person_id", "value")
    )
    items = [mapping.work(output, orcids) for output in outputs]
    items += [
        mapping.other_id(identifier)
        for identifier in person.identifiers.filter(
            id_type__in=list(mapping.OTHER_ID_TYPES), status=IdentifierStatus.VERIFIED
        ).order_by("id_type", "value")
    ]
    items.append(mapping.profile_url(person))
    items += [
        mapping.employment(position)
        for position in person.positions.select_related("org_unit").order_by("pk")
    ]
    return {(item.kind, item.key): item for item in items}


@dataclass
class PersonOutcome:
    """What one record's export did; added into the run's counts."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: int = 0
    stopped: str = ""
    problems: list[str] = field(default_factory=list)


class RecordExport:
    """The export of one record, within one run."""

    def __init__(self, authorization: OrcidAuthorization, run: ExportRun) -> None:
        self.authorization = authorization
        self.person = authorization.person
        self.api = MemberApi(
            authorization.orcid,
            crypto.decrypt(authorization.access_token_encrypted),
            run=run,
            person=authorization.person,
        )
        self.outcome = PersonOutcome()
        self._record_listing: dict[str, Any] = {}

    # --- known state -------------------------------------------------------------------------

    def _remember(self, desired: mapping.Desired, put_code: int) -> None:
        ExportedItem.objects.update_or_create(
            person=self.person,
            orcid=self.authorization.orcid,
            kind=desired.kind,
            key=desired.key,
            defaults={
                "put_code": put_code,
                "content_hash": desired.content_hash,
                "pushed_at": timezone.now(),
            },
        )

    def _fail(self, desired: mapping.Desired | ExportedItem, answer: Answer) -> None:
        self.outcome.failed += 1
        detail = answer.message() or f"HTTP {answer.status}"
        self.outcome.problems.append(f"{desired.kind} {desired.key}: {detail}")

    # --- the plan ----------------------------------------------------------------------------

    def run(self) -> PersonOutcome:
        desired = desired_items(self.person)
        known = {
            (item.kind, item.key): item
            for item in ExportedItem.objects.filter(
                person=self.person, orcid=self.authorization.orcid
            )
        }
        if self.person.status == PersonStatus.FORMER:
            desired = {pair: item for pair, item in desired.items() if item.kind in LEAVER_KINDS}
            known = {pair: row for pair, row in known.items() if row.kind in LEAVER_KINDS}
        new = [item for pair, item in desired.items() if pair not in known]
        changed = [
            (item, known[pair])
            for pair, item in desired.items()
            if pair in known and known[pair].content_hash != item.content_hash
        ]
        withdrawn = [item for pair, item in known.items() if pair not in desired]
        self.outcome.unchanged = len(desired) - len(new) - len(changed)
        try:
            self._create([item for item in new if item.kind == "work"])
            for item in new:
                if item.kind != "work":
                    self._create_one(item)
            for item, row in changed:
                self._update(item, row.put_code)
            for row in withdrawn:
                self._delete(row)
        except TokenRefused as error:
            self.outcome.stopped = "ORCID refused the access token; the researcher must reconnect."
            do_disconnect_orcid(
                self.authorization,
                f"ORCID refused the access token during export ({error}); reconnect needed.",
                acting_user=None,
            )
        except OrcidUnavailable as error:
            self.outcome.stopped = f"{error}; the rest waits for the next run."
        except RecordGone as error:
            self.outcome.stopped = f"{error}; the researcher must connect their current iD."
            do_disconnect_orcid(
                self.authorization, f"{error}; reconnect with the current iD.", acting_user=None
            )
        finally:
            self.api.close()
        return self.outcome

    # --- creating ----------------------------------------------------------------------------

    def _create(self, works: list[mapping.Desired]) -> None:
        """POST new works in bulks; duplicates the record already holds from us are adopted."""
        for start in range(0, len(works), BULK_SIZE):
            chunk = works[start : start + BULK_SIZE]
            answer = self.api.call("POST", "works", {"bulk": [{"work": w.body} for w in chunk]})
            results = answer.body.get("bulk", []) if isinstance(answer.body, dict) else []
            if answer.status != 200 or len(results) != len(chunk):
                for item in chunk:
                    self._fail(item, answer)
                continue
            for item, result in zip(chunk, results, strict=True):
                if isinstance(result, dict) and "work" in result:
                    self._remember(item, int(result["work"]["put-code"]))
                    self.outcome.created += 1
                    continue
                error = result.get("error", {}) if isinstance(result, dict) else {}
                if str(error.get("error-code", "")) in DUPLICATE_CODES:
                    self._adopt(item)
                else:
                    self.outcome.failed += 1
                    self.outcome.problems.append(
                        f"work {item.key}: {error.get('developer-message', 'refused')}"[:300]
                    )

    def _create_one(self, item: mapping.Desired) -> None:
        if item.kind == "employment":
            # ORCID has no duplicate rule for affiliations: look for our own copy first, so a
            # run killed after ORCID stored one does not leave two.
            put_code = self._find_put_code(item)
            if put_code is not None:
                self._update(item, put_code)
                return
        post_path = PATHS[item.kind].post
        # A repeated POST of an affiliation would leave a second one (no duplicate rule): when
        # its answer is lost, the next run finds the copy ORCID may have stored instead.
        answer = self.api.call("POST", post_path, item.body, retry=item.kind != "employment")
        if answer.status == 201:
            self._remember(item, int(answer.headers.get("Location", "").rstrip("/").split("/")[-1]))
            self.outcome.created += 1
        elif answer.status == 409 and answer.error_code() in DUPLICATE_CODES:
            self._adopt(item)
        else:
            self._fail(item, answer)

    # --- adopting our own copy ---------------------------------------------------------------

    def _listing(self, kind: str) -> Any:
        if kind not in self._record_listing:
            self._record_listing[kind] = self.api.call("GET", PATHS[kind].read).body or {}
        return self._record_listing[kind]

    def _ours(self, summary: dict[str, Any]) -> bool:
        client = (summary.get("source") or {}).get("source-client-id") or {}
        return client.get("path") == settings.ORCID_CLIENT_ID

    def _find_put_code(self, item: mapping.Desired) -> int | None:
        listing = self._listing(item.kind)
        if item.kind == "work":
            # Our own copy is the one with our source-work-id (a DOI or PMID shared by two
            # outputs must not put both on one put-code).
            wanted = {pair for pair in _self_ids(item.body) if pair[0] == mapping.SOURCE_WORK_ID}
            for group in listing.get("group", []):
                for summary in group.get("work-summary", []):
                    ids = (summary.get("external-ids") or {}).get("external-id") or []
                    if self._ours(summary) and wanted & _self_ids(
                        {"external-ids": {"external-id": ids}}
                    ):
                        return int(summary["put-code"])
            return None
        if item.kind == "employment":
            for group in listing.get("affiliation-group", []):
                for summary in group.get("summaries", []):
                    entry = summary.get("employment-summary") or {}
                    same = (entry.get("department-name"), entry.get("role-title")) == (
                        item.body["department-name"],
                        item.body["role-title"],
                    )
                    if self._ours(entry) and same:
                        return int(entry["put-code"])
            return None
        for entry in listing.get(PATHS[item.kind].list_key, []):
            if not self._ours(entry):
                continue
            if item.kind == "external-identifier" and (
                entry.get("external-id-type"),
                entry.get("external-id-value"),
            ) == (item.body["external-id-type"], item.body["external-id-value"]):
                return int(entry["put-code"])
            if (
                item.kind == "researcher-url"
                and (entry.get("url") or {}).get("value") == item.body["url"]["value"]
            ):
                return int(entry["put-code"])
        return None

    def _adopt(self, item: mapping.Desired) -> None:
        """A 409 says we wrote this before (the put-code was lost): take it over and update it."""
        put_code = self._find_put_code(item)
        if put_code is None:
            self.outcome.failed += 1
            self.outcome.problems.append(f"{item.kind} {item.key}: duplicate, own copy not found")
            return
        self._update(item, put_code)

    # --- updating and deleting ---------------------------------------------------------------

    def _update(self, item: mapping.Desired, put_code: int) -> None:
        item_path = PATHS[item.kind].item
        answer = self.api.call(
            "PUT", f"{item_path}/{put_code}", {**item.body, "put-code": put_code}
        )
        if answer.status == 200:
            self._remember(item, put_code)
            self.outcome.updated += 1
        elif answer.status == 404:
            # The researcher deleted it on ORCID: forget the put-code and write it anew.
            ExportedItem.objects.filter(
                person=self.person, orcid=self.authorization.orcid, kind=item.kind, key=item.key
            ).delete()
            if item.kind == "work":
                self._create([item])
            else:
                self._create_one(item)
        else:
            self._fail(item, answer)

    def _delete(self, row: ExportedItem) -> None:
        answer = self.api.call("DELETE", f"{PATHS[row.kind].item}/{row.put_code}")
        if answer.status in (204, 404):
            row.delete()
            self.outcome.deleted += 1
        else:
            self._fail(row, answer)


def _self_ids(body: dict[str, Any]) -> set[tuple[str, str]]:
    ids = (body.get("external-ids") or {}).get("external-id") or []
    return {
        (str(i.get("external-id-type", "")).lower(), str(i.get("external-id-value", "")).lower())
        for i in ids
        if i.get("external-id-relationship") == "self"
    }


def _take_lease(authorization: OrcidAuthorization) -> datetime | None:
    """Claim the record for this run (returns the lease's end), or None when another run holds
    a live lease on it."""
    now = timezone.now()
    until = now + LEASE
    taken = (
        OrcidAuthorization.objects.filter(pk=authorization.pk, revoked_at__isnull=True)
        .filter(Q(export_lease_until__isnull=True) | Q(export_lease_until__lt=now))
        .update(export_lease_until=until)
    )
    return until if taken else None


def export_record(authorization: OrcidAuthorization, run: ExportRun) -> PersonOutcome:
    """Export one connected record, unless another run is writing to it right now.

    Whatever goes wrong with one record is that record's failure: the run goes on with the
    next researcher."""
    lease = _take_lease(authorization)
    if lease is None:
        return PersonOutcome(stopped="Another export is writing to this record.")
    try:
        return RecordExport(authorization, run).run()
    except crypto.TokenKeyError as error:
        return PersonOutcome(stopped=str(error))
    except Exception as error:  # noqa: BLE001 - one record's surprise must not stop the night
        log.exception("ORCID export of %s failed", authorization.orcid)
        return PersonOutcome(stopped=f"Unexpected failure: {type(error).__name__}: {error}")
    finally:
        # Only our own lease: if it ran out and another run took the record, that run keeps it.
        OrcidAuthorization.objects.filter(pk=authorization.pk, export_lease_until=lease).update(
            export_lease_until=None
        )


@dataclass
class ExportResult:
    """A finished run and what it did to each record, for callers that report per person."""

    run: ExportRun
    outcomes: dict[int, PersonOutcome]


def run_export(*, trigger: str, persons: Iterable[Person] | None = None) -> ExportResult:
    """The one export routine: every connected researcher (or those given), recorded as a run."""
    run = ExportRun.objects.create(trigger=trigger)
    authorizations = OrcidAuthorization.objects.filter(revoked_at__isnull=True).select_related(
        "person"
    )
    if persons is not None:
        authorizations = authorizations.filter(person__in=list(persons))
    outcomes = {}
    try:
        for authorization in authorizations.order_by("pk"):
            outcome = outcomes[authorization.person_id] = export_record(authorization, run)
            run.persons += 1
            run.created += outcome.created
            run.updated += outcome.updated
            run.deleted += outcome.deleted
            run.unchanged += outcome.unchanged
            run.failed += outcome.failed + (1 if outcome.stopped else 0)
            run.save()
    finally:
        run.finished_at = timezone.now()
        run.save()
    return ExportResult(run, outcomes)
