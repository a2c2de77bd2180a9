"""The ORCID export engine: bring each connected record to what the portal says it should hold.

Desired state (mapping.py) against known state (ExportedItem rows) gives a plan: new items are
POSTed (works in bulks of up to 100), changed ones PUT, withdrawn ones DELETEd, unchanged ones
left alone, so a run with no changes makes no call. Known faults are repaired, not reported:
409 duplicate → find our own copy on the record and adopt its put-code; 404 on PUT → the
researcher deleted it, POST again; 404 on DELETE → already gone; 401 → the researcher revoked
the portal, stop and say "Reconnect". A put-code is stored the moment ORCID returns it, so a run
killed half-way is finished by the next one without duplicates.

What differs between the kinds of item is one row of KIND_RULES, not a branch in the engine.

Work in proportion to change (issue 14): the portal's actions mark the records they change
(dirty.py, in their own transaction), and the nightly run visits only marked records (and
records never exported, or whose last export stopped); once a week it visits every record in
full. A visited record whose desired state has the digest its last complete export stored is
left alone without loading its items; a complete export stores the digest and clears the marks
it has seen (a mark made meanwhile stays for the next run).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from orcid_connector import crypto, mapping
from orcid_connector.actions import do_disconnect_orcid
from orcid_connector.choices import DuplicateCode, ExportKind, ExportTrigger, RevokedKind
from orcid_connector.client import (
    BULK_SIZE,
    SELF_ID_KINDS,
    SOURCE_WORK_ID,
    OrcidDuplicateError,
    OrcidNotFoundError,
    OrcidRecordGoneError,
    OrcidRefusedError,
    OrcidSession,
    OrcidTokenError,
    OrcidUnavailableError,
)
from orcid_connector.export_sections import desired_section_items_many
from orcid_connector.models import (
    ExportCall,
    ExportedItem,
    ExportRun,
    ExportState,
    OrcidAuthorization,
)
from orcid_connector.records import CallRecord, RecordItem
from portal.choices import IdentifierStatus, PersonIdentifierType, PersonStatus, PublicationStatus
from portal.models import (
    Contributor,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    Position,
)
from portal.queries import public_outputs
from utilities.liveness import Holder

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=30)
# Records whose desired states are read together (DesiredStates): a handful of queries for
# the batch instead of about ten a record.
DESIRED_BATCH = 25
EXPORTED_STATUSES = [PublicationStatus.PUBLISHED, PublicationStatus.EPUB]
# Failures a record's outcome describes (the command prints five, "Export now" three).
MAX_PROBLEMS = 10


@dataclass(frozen=True)
class KindRules:
    """How the engine writes one kind of item."""

    # POSTed in bulks of up to 100, each work answered on its own (works).
    in_bulk: bool = False
    # ORCID has no duplicate rule for it: look for our own copy before a POST, and never
    # repeat a POST whose answer was lost (it may have been stored) (affiliations).
    no_duplicate_rule: bool = False
    # Still written for a researcher who has left (the end date of their employment); their
    # works and IDs stay on ORCID as they were (the export pauses, it does not withdraw).
    for_leavers: bool = False


KIND_RULES: dict[ExportKind, KindRules] = {
    ExportKind.WORK: KindRules(in_bulk=True),
    ExportKind.OTHER_ID: KindRules(),
    ExportKind.RESEARCHER_URL: KindRules(),
    ExportKind.EMPLOYMENT: KindRules(no_duplicate_rule=True, for_leavers=True),
    # Written with a self source-work-id (export_sections.py), so ORCID's duplicate rule
    # (409/9021) applies to them as to works.
    ExportKind.FUNDING: KindRules(),
    ExportKind.DISTINCTION: KindRules(),
    ExportKind.MEMBERSHIP: KindRules(),
    ExportKind.SERVICE: KindRules(),
    ExportKind.INVITED_POSITION: KindRules(),
}


def _rules(kind: str) -> KindRules:
    return KIND_RULES[ExportKind(kind)]


# ExportedItem's columns as the engine writes them (_upsert_items).
_ITEM_COLUMNS = (
    "person_id",
    "orcid",
    "kind",
    "key",
    "put_code",
    "content_hash",
    "pushed_at",
    "refused_hash",
    "refused_message",
    "refused_at",
    "sent_at",
)
_ITEM_UNIQUE = ("person_id", "orcid", "kind", "key")


def _upsert_items(rows: list[dict[str, Any]], update: Sequence[str]) -> None:
    """Insert ExportedItem rows, or update the `update` columns of those already there, in one
    statement: what bulk_create(update_conflicts=True) does, without its CPU cost of building
    the statement field by field (two of them for every bulk of 100 works). A column a row
    does not give is its default on insert (None, or "" for text)."""
    if not rows:
        return
    connection = connections[router.db_for_write(ExportedItem)]
    quote = connection.ops.quote_name
    texts = {"orcid", "kind", "key", "content_hash", "refused_hash", "refused_message"}
    moments = {"pushed_at", "refused_at", "sent_at"}
    params: list[Any] = []
    for row in rows:
        for column in _ITEM_COLUMNS:
            value = row.get(column, "" if column in texts else None)
            if column in moments and value is not None:
                value = connection.ops.adapt_datetimefield_value(value)
            elif column == "kind":
                value = ExportKind(str(value)).value
            params.append(value)
    one = "(" + ", ".join(["%s"] * len(_ITEM_COLUMNS)) + ")"
    table = quote(ExportedItem._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in _ITEM_COLUMNS)}) "  # noqa: S608
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(c) for c in _ITEM_UNIQUE)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def desired_items(person: Person) -> dict[tuple[str, str], mapping.Desired]:
    """Everything the portal wants on the person's record, keyed by (kind, key)."""
    return desired_items_many([person])[person.pk]


def desired_items_many(
    persons: Sequence[Person],
) -> dict[int, dict[tuple[str, str], mapping.Desired]]:
    """desired_items of several researchers, read together: a fixed number of queries for the
    batch instead of ten or so a record, and each output shared by co-authors of the batch
    mapped once."""
    ids = [person.pk for person in persons]
    # Plain rows, not model instances: building tens of thousands of instances a batch was
    # most of a desired state's CPU (BENCHMARKS.md, issue 14).
    outputs = [
        mapping.OutputRow._make((*row, [], []))
        for row in public_outputs()
        .filter(
            pk__in=Contributor.objects.filter(person_id__in=ids).values("output_id"),
            publication_status__in=EXPORTED_STATUSES,
        )
        .order_by("pk")
        .values_list("pk", *mapping.WORK_FIELDS)
    ]
    by_pk = {output.pk: output for output in outputs}
    for output_id, id_type, value in (
        OutputIdentifier.objects.filter(output_id__in=list(by_pk))
        .order_by()
        .values_list("output_id", "id_type", "value")
    ):
        by_pk[output_id].identifiers.append((id_type, value))
    for output_id, person_id, given_names, family_name in (
        Contributor.objects.filter(output_id__in=list(by_pk))
        .order_by("output_id", "position")
        .values_list("output_id", "person_id", "given_names", "family_name")
    ):
        by_pk[output_id].contributors.append((person_id, given_names, family_name))
    wanted = set(ids)
    authored: dict[int, list[mapping.OutputRow]] = {pk: [] for pk in ids}
    internal: set[int] = set()
    for output in outputs:
        authors = {person_id for person_id, _, _ in output.contributors if person_id}
        internal |= authors
        for person_id in sorted(authors & wanted):
            authored[person_id].append(output)
    orcids = dict(
        PersonIdentifier.objects.filter(
            person_id__in=internal,
            id_type=PersonIdentifierType.ORCID,
            status=IdentifierStatus.AUTHENTICATED,
        ).values_list("person_id", "value")
    )
    urls = mapping.output_urls()
    works = {output.pk: mapping.work(output, orcids, urls) for output in outputs}
    other_ids: dict[int, list[mapping.Desired]] = {pk: [] for pk in ids}
    for person_id, id_type, value in (
        PersonIdentifier.objects.filter(
            person_id__in=ids,
            id_type__in=list(mapping.OTHER_ID_TYPES),
            status=IdentifierStatus.VERIFIED,
        )
        .order_by("person_id", "id_type", "value")
        .values_list("person_id", "id_type", "value")
    ):
        other_ids[person_id].append(mapping.other_id(id_type, value))
    employments: dict[int, list[mapping.Desired]] = {pk: [] for pk in ids}
    for position in (
        Position.objects.filter(person_id__in=ids).select_related("org_unit").order_by("pk")
    ):
        employments[position.person_id].append(mapping.employment(position))
    sections = desired_section_items_many(list(persons))
    states: dict[int, dict[tuple[str, str], mapping.Desired]] = {}
    for person in persons:
        items = [works[output.pk] for output in authored[person.pk]]
        items += other_ids[person.pk]
        items.append(mapping.profile_url(person))
        items += employments[person.pk]
        items += sections[person.pk]
        states[person.pk] = {(item.kind, item.key): item for item in items}
    return states


class DesiredStates:
    """The desired states of a run's records, built a batch of records at a time, each batch
    when a worker first needs one of its records.

    Each batch reads its records' marks before their portal data, so a change committed in
    between leaves its mark for the next run (the rule RecordExport.run keeps): a record whose
    marks still equal the batch's, once its lease is held, takes its desired state from the
    batch; any other builds its own."""

    def __init__(self, persons: Sequence[Person], batch: int) -> None:
        size = max(1, batch)
        self._batches = [list(persons[i : i + size]) for i in range(0, len(persons), size)]
        self._batch_of = {
            person.pk: index for index, chunk in enumerate(self._batches) for person in chunk
        }
        self._locks = [threading.Lock() for _ in self._batches]
        self._built: dict[int, tuple[int, dict[tuple[str, str], mapping.Desired]]] = {}
        self._done: set[int] = set()

    def __len__(self) -> int:
        """Desired states built and not yet taken (a long run holds one batch's at most)."""
        return len(self._built)

    def take(self, person: Person) -> tuple[int, dict[tuple[str, str], mapping.Desired]] | None:
        """(marks seen, desired state) of the person's record from its batch, once."""
        index = self._batch_of.get(person.pk)
        if index is None:
            return None
        with self._locks[index]:
            if index not in self._done:
                self._build(self._batches[index])
                self._done.add(index)
            return self._built.pop(person.pk, None)

    def forget(self, person: Person) -> None:
        """The record's export is over, whether or not it took its desired state (another
        run held it, or it failed first): nothing of it stays for the rest of the run, and a
        batch not read yet leaves it out."""
        index = self._batch_of.get(person.pk)
        if index is None:
            return
        with self._locks[index]:
            if index in self._done:
                self._built.pop(person.pk, None)
            else:
                self._batches[index] = [p for p in self._batches[index] if p.pk != person.pk]

    def _build(self, persons: list[Person]) -> None:
        ids = [person.pk for person in persons]
        marks = dict(
            ExportState.objects.filter(person_id__in=ids).values_list("person_id", "marks")
        )
        for person_id, desired in desired_items_many(persons).items():
            self._built[person_id] = (marks.get(person_id, 0), desired)


def record_digest(desired: dict[tuple[str, str], mapping.Desired]) -> str:
    """One hash of everything a record should hold: equal digests, nothing to write."""
    lines = sorted(f"{kind}\t{key}\t{item.content_hash}" for (kind, key), item in desired.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass
class PersonOutcome:
    """What one record's export did; added into the run's counts."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: int = 0
    refused: int = 0  # refused before and unchanged since: not tried again
    stopped: str = ""
    # The first MAX_PROBLEMS failures, saying why (`failed` counts them all): a run keeps
    # every record's outcome, so a record with thousands of failed items must not keep
    # thousands of lines (the history has every call).
    problems: list[str] = field(default_factory=list)
    # Left alone because its desired state has the digest of its last complete export.
    by_digest: bool = False
    # Something failed that the next run must try again (a refusal waits for a change).
    incomplete: bool = False
    # Items of ours found deleted on ORCID by the weekly run (written again).
    repaired: int = 0


class RecordExport:
    """The export of one record, within one run."""

    def __init__(
        self,
        authorization: OrcidAuthorization,
        session: OrcidSession,
        *,
        full: bool = True,
        repair: bool = False,
        prefetched: DesiredStates | None = None,
    ) -> None:
        self.authorization = authorization
        self.prefetched = prefetched
        # Full: compare item by item even when the digest says nothing changed; repair: and
        # read the record's sections first, to write again what was deleted on ORCID.
        self.full = full or repair
        self.repair = repair
        self.person = authorization.person
        self.orcid = authorization.orcid
        self.session = session
        self.token = crypto.decrypt(authorization.access_token_encrypted)
        self.outcome = PersonOutcome()
        self._sections: dict[ExportKind, list[RecordItem]] = {}

    # --- known state -------------------------------------------------------------------------

    def _written(self, desired: mapping.Desired, put_code: int, now: datetime) -> dict[str, Any]:
        return {
            "person_id": self.person.pk,
            "orcid": self.orcid,
            "kind": desired.kind,
            "key": desired.key,
            "put_code": put_code,
            "content_hash": desired.content_hash,
            "pushed_at": now,
        }

    def _remember(self, desired: mapping.Desired, put_code: int) -> None:
        """ORCID holds this content under this put-code (nothing refused, nothing in flight)."""
        self._remember_many([(desired, put_code)])

    def _remember_many(self, written: list[tuple[mapping.Desired, int]]) -> None:
        """_remember for a bulk's works, in one statement."""
        now = timezone.now()
        _upsert_items(
            [self._written(item, put_code, now) for item, put_code in written],
            update=_ITEM_COLUMNS[4:],
        )

    def _sending(self, items: list[mapping.Desired]) -> None:
        """Note, before a POST, that ORCID may soon hold these items: if the answer never gets
        stored, the next run looks for them on the record even once they are withdrawn."""
        now = timezone.now()
        _upsert_items(
            [
                {
                    "person_id": self.person.pk,
                    "orcid": self.orcid,
                    "kind": item.kind,
                    "key": item.key,
                    "sent_at": now,
                }
                for item in items
            ],
            update=["sent_at"],
        )

    def _refuse(self, desired: mapping.Desired, message: str) -> None:
        """ORCID refused this content: say so in the history, and leave it until it changes
        (a put-code it already has stays, so a later version is PUT over the old one)."""
        refused = {
            "refused_hash": desired.content_hash,
            "refused_message": f"ORCID refused it: {message}"[:500],
            "refused_at": timezone.now(),
            "sent_at": None,
        }
        _upsert_items(
            [
                {
                    "person_id": self.person.pk,
                    "orcid": self.orcid,
                    "kind": desired.kind,
                    "key": desired.key,
                    **refused,
                }
            ],
            update=list(refused),
        )
        self._fail(desired.kind, desired.key, message, again=False)

    def _fail(self, kind: str, key: str, message: str, *, again: bool = True) -> None:
        self.outcome.failed += 1
        if len(self.outcome.problems) < MAX_PROBLEMS:
            self.outcome.problems.append(f"{kind} {key}: {message}"[:300])
        if again:
            self.outcome.incomplete = True

    # --- the record's export state -----------------------------------------------------------

    def _settle(self, marks_seen: int, digest: str) -> None:
        """After the record's export: a complete one stores its digest and clears the marks it
        has seen; one that stopped or left failures forgets the digest and stays marked."""
        settle(self.person.pk, self.orcid, marks_seen, digest, complete=self._complete())

    def _complete(self) -> bool:
        return not self.outcome.stopped and not self.outcome.incomplete

    # --- the plan ----------------------------------------------------------------------------

    def run(self) -> PersonOutcome:
        state, _ = ExportState.objects.get_or_create(person_id=self.person.pk)
        batch = self.prefetched.take(self.person) if self.prefetched is not None else None
        if batch is not None and batch[0] == state.marks:
            desired = batch[1]
        else:
            # Marked since its batch was read (or no batch): read it now, after the marks.
            desired = desired_items(self.person)
        leaver = self.person.status == PersonStatus.FORMER
        if leaver:
            desired = {
                p: i for p, i in desired.items() if KIND_RULES[ExportKind(i.kind)].for_leavers
            }
        digest = record_digest(desired)
        if not self.full and state.digest == digest and state.orcid == self.orcid:
            # What the record should hold is what its last complete export wrote.
            self.outcome.unchanged = len(desired)
            self.outcome.by_digest = True
            self._settle(state.marks, digest)
            return self.outcome
        self._plan_and_write(desired, leaver)
        self._settle(state.marks, digest)
        return self.outcome

    def _plan_and_write(
        self, desired: dict[tuple[str, str], mapping.Desired], leaver: bool
    ) -> None:
        known = {
            (item.kind, item.key): item
            for item in ExportedItem.objects.filter(person=self.person, orcid=self.orcid)
        }
        if leaver:
            known = {p: r for p, r in known.items() if KIND_RULES[ExportKind(r.kind)].for_leavers}
        try:
            if self.repair:
                self._repair(known)
            self._write(desired, known)
        except OrcidTokenError as error:
            self.outcome.stopped = "ORCID refused the access token; the researcher must reconnect."
            do_disconnect_orcid(
                self.authorization,
                f"ORCID refused the access token during export ({error}); reconnect needed.",
                kind=RevokedKind.TOKEN_REFUSED,
                acting_user=None,
            )
        except OrcidUnavailableError as error:
            self.outcome.stopped = f"{error}; the rest waits for the next run."
        except OrcidRecordGoneError as error:
            self.outcome.stopped = f"{error}; the researcher must connect their current iD."
            do_disconnect_orcid(
                self.authorization,
                f"{error}; reconnect with the current iD.",
                kind=RevokedKind.RECORD_GONE,
                acting_user=None,
            )

    def _write(
        self,
        desired: dict[tuple[str, str], mapping.Desired],
        known: dict[tuple[str, str], ExportedItem],
    ) -> None:
        """The plan (new, changed, withdrawn), written."""
        new: list[mapping.Desired] = []
        changed: list[tuple[mapping.Desired, int]] = []
        for pair, item in desired.items():
            row = known.get(pair)
            if row is not None and row.refused_hash == item.content_hash:
                self.outcome.refused += 1  # ORCID said no to exactly this; wait for a change
            elif row is None or row.put_code is None:
                new.append(item)
            elif row.content_hash != item.content_hash:
                changed.append((item, row.put_code))
            else:
                self.outcome.unchanged += 1
        withdrawn = [row for pair, row in known.items() if pair not in desired]
        self._create_in_bulk([i for i in new if _rules(i.kind).in_bulk])
        for item in new:
            if not _rules(item.kind).in_bulk:
                self._create_one(item)
        for item, put_code in changed:
            self._update(item, put_code)
        for row in withdrawn:
            self._delete(row)

    def _repair(self, known: dict[tuple[str, str], ExportedItem]) -> None:
        """The weekly run's look at the record itself, one read per section we wrote to: an
        item of ours that is no longer there (the researcher deleted it on ORCID) is
        forgotten, so this run writes it again."""
        for kind in sorted({ExportKind(row.kind) for row in known.values() if row.put_code}):
            try:
                if kind not in self._sections:
                    self._sections[kind] = self.session.read_items(self.orcid, self.token, kind)
            except OrcidRefusedError as error:
                self._fail(kind, "(reading the section)", error.message)
                continue
            ours = {
                item.put_code
                for item in self._sections[kind]
                if item.source_client_id == self.session.client_id
            }
            gone = [
                pair
                for pair, row in known.items()
                if row.kind == kind and row.put_code and row.put_code not in ours
            ]
            ExportedItem.objects.filter(pk__in=[known[pair].pk for pair in gone]).delete()
            for pair in gone:
                del known[pair]
            self.outcome.repaired += len(gone)

    # --- creating ----------------------------------------------------------------------------

    def _create_in_bulk(self, works: list[mapping.Desired]) -> None:
        """POST new works in bulks; duplicates the record already holds from us are adopted."""
        for start in range(0, len(works), BULK_SIZE):
            self._post_bulk(works[start : start + BULK_SIZE])

    def _post_bulk(self, chunk: list[mapping.Desired]) -> None:
        """One bulk POST. ORCID refusing the bulk as a whole (400: one work it cannot take
        spoils the document) splits it in halves until the refused work is alone, so the
        others are written and only that one is marked."""
        self._sending(chunk)
        try:
            outcomes = self.session.create_works(self.orcid, self.token, [w.body for w in chunk])
        except OrcidRefusedError as error:
            if error.status != 400:
                for item in chunk:
                    self._fail(item.kind, item.key, error.message)
            elif len(chunk) == 1:
                self._refuse(chunk[0], error.message)
            else:
                middle = len(chunk) // 2
                self._post_bulk(chunk[:middle])
                self._post_bulk(chunk[middle:])
            return
        written = [
            (item, result.put_code)
            for item, result in zip(chunk, outcomes, strict=True)
            if result.put_code is not None
        ]
        if written:
            self._remember_many(written)
            self.outcome.created += len(written)
        for item, result in zip(chunk, outcomes, strict=True):
            if result.put_code is not None:
                continue
            if result.error_code in DuplicateCode.values:
                self._adopt(item)
            else:
                self._refuse(item, result.message)

    def _create_one(self, item: mapping.Desired) -> None:
        rules = _rules(item.kind)
        if rules.no_duplicate_rule:
            # Look for our own copy first, so a run killed after ORCID stored one does not
            # leave two.
            put_code = self._find_put_code(item)
            if put_code is not None:
                self._update(item, put_code)
                return
        self._sending([item])
        try:
            put_code = self.session.create_item(
                self.orcid,
                self.token,
                ExportKind(item.kind),
                item.body,
                retry=not rules.no_duplicate_rule,
            )
        except OrcidDuplicateError:
            self._adopt(item)
        except OrcidRefusedError as error:
            self._refuse(item, error.message)
        else:
            self._remember(item, put_code)
            self.outcome.created += 1

    # --- adopting our own copy ---------------------------------------------------------------

    def _find_put_code(self, item: mapping.Desired) -> int | None:
        """Our own copy of the item on the record: our client as source, the same identity (a
        work by its source-work-id, so a DOI shared by two outputs never joins them)."""
        return self._find_own(item.kind, item.identity)

    def _find_own(self, kind_name: str, wanted: frozenset[tuple[str, str]]) -> int | None:
        kind = ExportKind(kind_name)
        if not wanted:
            return None
        if kind not in self._sections:
            self._sections[kind] = self.session.read_items(self.orcid, self.token, kind)
        for candidate in self._sections[kind]:
            if (
                candidate.source_client_id == self.session.client_id
                and wanted
                and wanted <= candidate.identity
            ):
                return candidate.put_code
        return None

    def _adopt(self, item: mapping.Desired) -> None:
        """A 409 says we wrote this before (the put-code was lost): take it over and update it."""
        put_code = self._find_put_code(item)
        if put_code is None:
            self._fail(item.kind, item.key, "duplicate, own copy not found")
            return
        self._update(item, put_code)

    # --- updating and deleting ---------------------------------------------------------------

    def _update(self, item: mapping.Desired, put_code: int) -> None:
        kind = ExportKind(item.kind)
        try:
            self.session.update_item(self.orcid, self.token, kind, put_code, item.body)
        except OrcidNotFoundError:
            # The researcher deleted it on ORCID: forget the put-code and write it anew.
            ExportedItem.objects.filter(
                person=self.person, orcid=self.orcid, kind=item.kind, key=item.key
            ).delete()
            if KIND_RULES[kind].in_bulk:
                self._create_in_bulk([item])
            else:
                self._create_one(item)
        except OrcidRefusedError as error:
            self._refuse(item, error.message)
        else:
            self._remember(item, put_code)
            self.outcome.updated += 1

    def _delete(self, row: ExportedItem) -> None:
        if row.put_code is None:
            # Never answered with a put-code; if a POST of it was sent, ORCID may hold it.
            found = self._find_own(row.kind, _work_identity(row)) if row.sent_at else None
            if found is None:
                row.delete()
                return
            row.put_code = found
        try:
            self.session.delete_item(self.orcid, self.token, ExportKind(row.kind), row.put_code)
        except OrcidNotFoundError:
            pass  # already gone
        except OrcidRefusedError as error:
            self._fail(row.kind, row.key, error.message)
            return
        row.delete()
        self.outcome.deleted += 1


def _work_identity(row: ExportedItem) -> frozenset[tuple[str, str]]:
    """A withdrawn item's identity from its key, its body being gone: the self source-work-id
    "scholarhub-{prefix}-{N}" of a work (output:N), funding (project:N), distinction (prize:N)
    or professional affiliation (activity:N)."""
    prefix, _, number = row.key.partition(":")
    if ExportKind(row.kind) not in SELF_ID_KINDS or not number:
        return frozenset()
    return frozenset({(SOURCE_WORK_ID, f"scholarhub-{prefix}-{number}")})


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S %Z}"


def _lease_refusal(row: OrcidAuthorization) -> str:
    """Why this run may not write to the record now, and until when."""
    holder, until = row.export_lease_holder, row.export_lease_until
    assert until is not None  # noqa: S101 - only called for a live lease
    since = f" since {_when(row.export_lease_since)}" if row.export_lease_since else ""
    if holder is None:
        return f"Another export is writing to this record{since}; it is free at {_when(until)}."
    if holder.is_local():
        return (
            f"Another export ({holder}{since}) is writing to this record; it is free as soon "
            f"as that process ends, or at {_when(until)} at the latest."
        )
    return (
        f"Another export ({holder}{since}) is writing to this record; it is free when that "
        f"export finishes, or at {_when(until)} if it never does."
    )


def _take_lease(authorization: OrcidAuthorization, holder: Holder) -> tuple[datetime | None, str]:
    """Claim the record for this run: (the lease's end, "") or (None, why not and until when).

    A lease whose holder is dead (same host: its pid is gone or reused) is taken over at once;
    a live holder's, or another host's until it runs out, is respected."""
    now = timezone.now()
    until = now + LEASE
    claim = {
        "export_lease_until": until,
        "export_lease_since": now,
        "export_lease_host": holder.host,
        "export_lease_pid": holder.pid,
        "export_lease_process_started": holder.started,
    }
    # Nearly always the lease is free or ran out: one statement claims it (a night visits tens
    # of thousands of records). Otherwise the row is read to say why, or to take over a lease
    # whose holder is gone.
    free = Q(export_lease_until__isnull=True) | Q(export_lease_until__lte=now)
    if OrcidAuthorization.objects.filter(free, pk=authorization.pk, revoked_at__isnull=True).update(
        **claim
    ):
        return until, ""
    row = OrcidAuthorization.objects.get(pk=authorization.pk)
    if row.revoked_at is not None:
        return None, f"The ORCID connection ended at {_when(row.revoked_at)}."
    held_until = row.export_lease_until
    if held_until is not None and held_until > now:
        previous = row.export_lease_holder
        if previous is None or not previous.is_dead():
            return None, _lease_refusal(row)
        log.warning("ORCID export lease of %s taken over from %s (gone)", row.orcid, previous)
    # Compare and set: of two runs taking the same free or dead lease, one wins.
    taken = OrcidAuthorization.objects.filter(
        pk=row.pk,
        revoked_at__isnull=True,
        export_lease_until=held_until,
        export_lease_pid=row.export_lease_pid,
    ).update(**claim)
    if not taken:
        return None, _lease_refusal(OrcidAuthorization.objects.get(pk=row.pk))
    return until, ""


def settle(person_id: int, orcid: str, marks_seen: int, digest: str, *, complete: bool) -> None:
    """Store where a record's export left it (see RecordExport._settle). The marks are
    compared and cleared in one UPDATE: an action marking the record meanwhile either
    committed before it (the count differs, the mark stays) or waits for its row lock."""
    now = timezone.now()
    rows = ExportState.objects.filter(person_id=person_id)
    if complete:
        rows.update(
            digest=digest,
            orcid=orcid,
            exported_at=now,
            dirty_since=Case(When(marks=marks_seen, then=Value(None)), default=F("dirty_since")),
        )
    else:
        rows.update(digest="", dirty_since=Coalesce(F("dirty_since"), Value(now)))


def export_record(
    authorization: OrcidAuthorization,
    session: OrcidSession,
    *,
    full: bool = True,
    repair: bool = False,
    prefetched: DesiredStates | None = None,
) -> PersonOutcome:
    """Export one connected record, unless another run is writing to it right now.

    `full=False` (the nightly run) leaves a record alone when its desired state has the digest
    of its last complete export. Whatever goes wrong with one record is that record's failure:
    the run goes on with the next researcher."""
    try:
        return _export_leased(authorization, session, full, repair, prefetched)
    finally:
        if prefetched is not None:
            prefetched.forget(authorization.person)


def _export_leased(
    authorization: OrcidAuthorization,
    session: OrcidSession,
    full: bool,
    repair: bool,
    prefetched: DesiredStates | None,
) -> PersonOutcome:
    lease, refusal = _take_lease(authorization, Holder.current())
    if lease is None:
        return PersonOutcome(stopped=refusal)
    try:
        return RecordExport(
            authorization, session, full=full, repair=repair, prefetched=prefetched
        ).run()
    except crypto.TokenKeyError as error:
        return PersonOutcome(stopped=str(error))
    except Exception as error:  # noqa: BLE001 - one record's surprise must not stop the night
        log.exception("ORCID export of %s failed", authorization.orcid)
        # What it wrote before failing is unknown: no digest, and the record stays marked.
        settle(authorization.person_id, authorization.orcid, -1, "", complete=False)
        return PersonOutcome(stopped=f"Unexpected failure: {type(error).__name__}: {error}")
    finally:
        # Only our own lease: if it ran out and another run took the record, that run keeps it.
        OrcidAuthorization.objects.filter(pk=authorization.pk, export_lease_until=lease).update(
            export_lease_until=None,
            export_lease_since=None,
            export_lease_host="",
            export_lease_pid=None,
            export_lease_process_started="",
        )


class CallLog:
    """Writes each call the session reports as an ExportCall of the run (the ORCID history)."""

    def __init__(self, run: ExportRun) -> None:
        self.run = run
        self.persons: dict[str, int] = {}  # ORCID iD → person, for the records of this run
        # Records exported at once report their calls from several threads.
        self.lock = threading.Lock()

    def __call__(self, call: CallRecord) -> None:
        person_id = self.persons.get(call.orcid)
        if person_id is None:
            return
        ExportCall.objects.create(
            run=self.run,
            person_id=person_id,
            method=call.method,
            path=call.path,
            status=call.status,
            outcome=call.outcome,
        )
        with self.lock:
            self.run.calls += 1


@dataclass
class ExportResult:
    """A finished run and what it did to each record, for callers that report per person."""

    run: ExportRun
    outcomes: dict[int, PersonOutcome]

    def problems(self) -> list[str]:
        """One line per record that stopped or had items fail, saying why (for commands)."""
        lines = []
        for person_id, outcome in self.outcomes.items():
            reasons = [outcome.stopped, *outcome.problems[:5]]
            if any(reasons):
                lines.append(f"person {person_id}: " + "; ".join(r for r in reasons if r))
        return lines


def _export_all(
    records: list[OrcidAuthorization],
    session: OrcidSession,
    workers: int,
    full: bool,
    repair: bool = False,
) -> Iterator[tuple[OrcidAuthorization, PersonOutcome]]:
    """Each record's outcome as it finishes. With several workers, records are exported at
    once (one lease each), so the pace is the shared token bucket's, not one record's
    round-trips. Desired states are read a batch of records at a time (DesiredStates)."""
    prefetched = DesiredStates([authorization.person for authorization in records], DESIRED_BATCH)
    if workers <= 1:
        for authorization in records:
            yield (
                authorization,
                export_record(
                    authorization, session, full=full, repair=repair, prefetched=prefetched
                ),
            )
        return
    todo: queue.SimpleQueue[OrcidAuthorization] = queue.SimpleQueue()
    for authorization in records:
        todo.put(authorization)
    finished: queue.SimpleQueue[tuple[OrcidAuthorization, PersonOutcome | BaseException]] = (
        queue.SimpleQueue()
    )

    def work() -> None:
        # One database connection a worker for the whole run (not one a record), closed when
        # the worker ends.
        try:
            while True:
                try:
                    authorization = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcome = export_record(
                        authorization, session, full=full, repair=repair, prefetched=prefetched
                    )
                except BaseException as error:
                    finished.put((authorization, error))
                    raise
                finished.put((authorization, outcome))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, name=f"orcid-export-{number}", daemon=True)
        for number in range(min(workers, len(records)))
    ]
    for thread in threads:
        thread.start()
    try:
        for _ in records:
            authorization, result = finished.get()
            if isinstance(result, BaseException):
                raise result
            yield authorization, result
    finally:
        while True:  # on an early end, the workers stop after their current record
            try:
                todo.get_nowait()
            except queue.Empty:
                break
        for thread in threads:
            thread.join()


def needs_export() -> Q:
    """The authorisations a nightly run visits: marked, never exported completely, or last
    exported under another iD."""
    state = "person__orcid_export_state"
    return (
        Q(**{f"{state}__isnull": True})
        | Q(**{f"{state}__dirty_since__isnull": False})
        | Q(**{f"{state}__digest": ""})
        | ~Q(**{f"{state}__orcid": F("orcid")})
    )


def run_export(
    *,
    trigger: ExportTrigger | str,
    persons: Iterable[Person] | None = None,
    session: OrcidSession | None = None,
    progress: Callable[[ExportRun], None] | None = None,
    workers: int | None = None,
    full: bool = True,
    repair: bool = False,
) -> ExportResult:
    """The one export routine: every connected researcher (or those given), recorded as a run.

    `full=False` (the nightly run) visits only the records needing it (marked by an action,
    never exported, or stopped last time) and leaves those whose digest is unchanged alone;
    by default every record (or each given) is compared item by item; `repair` (the weekly
    run) also reads each record's sections to write again what was deleted on ORCID.
    `progress` is told after each record (a command's progress bar); the run row itself
    holds records done of all, for the Library's jobs page. `workers` records are exported
    at once (default ORCID_EXPORT_WORKERS, 1)."""
    at_once = workers or int(getattr(settings, "ORCID_EXPORT_WORKERS", 1))
    run = ExportRun.objects.create(trigger=trigger)
    call_log = CallLog(run)
    own_session = session is None
    orcid = session or OrcidSession.from_settings()
    previous_listener, orcid.on_call = orcid.on_call, call_log
    authorizations = OrcidAuthorization.objects.filter(revoked_at__isnull=True).select_related(
        "person"
    )
    if persons is not None:
        authorizations = authorizations.filter(person__in=list(persons))
    if not full:
        authorizations = authorizations.filter(needs_export())
    records = list(authorizations.order_by("pk"))
    call_log.persons.update({record.orcid: record.person_id for record in records})
    outcomes = {}
    run.records_total = len(records)
    run.save(update_fields=["records_total"])
    try:
        for authorization, outcome in _export_all(records, orcid, at_once, full, repair):
            outcomes[authorization.person_id] = outcome
            run.persons += 1
            run.created += outcome.created
            run.updated += outcome.updated
            run.deleted += outcome.deleted
            run.unchanged += outcome.unchanged
            run.failed += outcome.failed + (1 if outcome.stopped else 0)
            run.refused += outcome.refused
            run.records_done += 1
            with call_log.lock:
                run.save()
            if progress is not None:
                progress(run)
    finally:
        orcid.on_call = previous_listener
        if own_session:
            orcid.close()
        run.finished_at = timezone.now()
        run.save()
    return ExportResult(run, outcomes)
