"""What the portal holds of a researcher's ORCID authorisation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orcid_connector.choices import ExportKind, ExportTrigger, RevokedKind
from portal.models import Person
from utilities.liveness import Holder


class OrcidAuthorization(models.Model):
    """One grant of access by a researcher on ORCID; at most one is active per person."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="orcid_authorizations"
    )
    orcid = models.CharField(max_length=19)
    # The name ORCID returned with the token (empty when the researcher keeps it private).
    orcid_name = models.CharField(max_length=300, blank=True)
    scope = models.CharField(max_length=300)
    access_token_encrypted = models.TextField()
    refresh_token_encrypted = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    # What sort of ending it was (set with revoked_at): the text above is for people.
    revoked_kind = models.CharField(max_length=20, choices=RevokedKind.choices, blank=True)
    # One export at a time per record: a run holds this lease while it writes. The holder's
    # host, pid and process start let the next run see at once that a killed holder is gone;
    # a holder on another host is trusted until the lease runs out.
    export_lease_until = models.DateTimeField(null=True, blank=True)
    export_lease_since = models.DateTimeField(null=True, blank=True)
    export_lease_host = models.CharField(max_length=255, blank=True)
    export_lease_pid = models.IntegerField(null=True, blank=True)
    export_lease_process_started = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_orcid_authorization_per_person",
            ),
            # An ended authorisation says what sort of ending it was; a live one has none.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_kind="")
                | Q(revoked_at__isnull=False) & ~Q(revoked_kind=""),
                name="orcid_authorization_revoked_kind_with_revoked_at",
            ),
        ]

    def __str__(self) -> str:
        return f"ORCID authorisation {self.orcid} of {self.person}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def was_lost(self) -> bool:
        """Ended without anyone in the portal asking: ORCID refused the token, or the record
        was merged or deactivated. The researcher must connect again."""
        return self.revoked_kind in (RevokedKind.TOKEN_REFUSED, RevokedKind.RECORD_GONE)

    @property
    def export_lease_holder(self) -> Holder | None:
        """The process holding the export lease, when one was recorded."""
        if self.export_lease_pid is None:
            return None
        return Holder(
            host=self.export_lease_host,
            pid=self.export_lease_pid,
            started=self.export_lease_process_started,
        )

    def scope_list(self) -> list[str]:
        return self.scope.split()


class ExportRun(models.Model):
    """One pass of the export engine: for everyone (the daily run) or one researcher."""

    trigger = models.CharField(max_length=30, choices=ExportTrigger.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Items ORCID refused before, left alone until they change (not counted as failed again).
    refused = models.PositiveIntegerField(default=0)
    # Progress while the run is under way: records to visit and visited so far.
    records_total = models.PositiveIntegerField(default=0)
    records_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"ORCID export {self.started_at:%Y-%m-%d %H:%M} ({self.trigger})"

    @property
    def summary(self) -> str:
        """The run's outcome in one line (the jobs page, the command)."""
        return (
            f"{self.persons} record(s), {self.calls} call(s): {self.created} created, "
            f"{self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged, "
            f"{self.failed} failed"
        )

    def progress(self, now: datetime) -> str:
        """Records done of all, calls made and, while under way, the projected end."""
        done = f"{self.records_done} of {self.records_total} record(s), {self.calls} call(s)"
        if self.finished_at is not None or not self.records_done:
            return done
        elapsed = (now - self.started_at).total_seconds()
        left = elapsed / self.records_done * (self.records_total - self.records_done)
        end = timezone.localtime(now + timedelta(seconds=left))
        return f"{done}; projected end {end:%H:%M:%S}"


class ExportedItem(models.Model):
    """What the engine last pushed for one item of one record: its put-code and content hash,
    or what ORCID refused of it (tried again only once the item changes)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="orcid_items")
    orcid = models.CharField(max_length=19)
    kind = models.CharField(max_length=30, choices=ExportKind.choices)
    key = models.CharField(max_length=200)  # e.g. output:123, Scopus Author ID:98765432100
    # None: never written (ORCID refused it before it got a put-code).
    put_code = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    # The content ORCID refused, and ORCID's message; empty once a version is accepted.
    refused_hash = models.CharField(max_length=64, blank=True)
    refused_message = models.CharField(max_length=500, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    # A POST of it was sent and its answer not stored yet (the run was killed, or the answer
    # lost): ORCID may hold a copy the next run must find again, even if the item is withdrawn.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "orcid", "kind", "key"], name="one_exported_item_per_key"
            )
        ]
        # Who holds an item of this key (the records to mark when the thing it stands for
        # loses an author, say).
        indexes = [models.Index(fields=["key"], name="exported_item_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.orcid}/{self.put_code}"


class ExportState(models.Model):
    """Where one researcher's record stands against the portal: marked as needing export by
    the actions that change what it should hold (in their own transaction), and the digest
    of the desired state its last complete export reached, so an unchanged record is told
    from a changed one without loading its items."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="orcid_export_state"
    )
    # First mark not yet exported (None: nothing waits); `marks` counts every mark, so a run
    # clears only the marks it has seen (a change during the record's export stays marked).
    dirty_since = models.DateTimeField(null=True, blank=True)
    marks = models.BigIntegerField(default=0)
    # The iD and digest of the last complete export (empty: none, or the last one stopped).
    orcid = models.CharField(max_length=19, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["dirty_since"],
                condition=Q(dirty_since__isnull=False),
                name="orcid_export_state_dirty_idx",
            )
        ]

    def __str__(self) -> str:
        state = f"marked since {self.dirty_since:%Y-%m-%d %H:%M}" if self.dirty_since else "clean"
        return f"ORCID export state of person {self.person_id}: {state}"


class ExportCall(models.Model):
    """Every call the engine made to ORCID, for the researcher and the Library to read."""

    run = models.ForeignKey(ExportRun, on_delete=models.CASCADE, related_name="call_log")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="orcid_calls")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField(null=True)  # None: no answer (timeout, refused)
    outcome = models.CharField(max_length=500)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["person", "-made_at"], name="export_call_person_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class RateBucket(models.Model):
    """ORCID's rate limit counts per client, whatever process calls: one shared token bucket
    (the web processes' "Export now", every worker, the exercise's reads)."""

    name = models.CharField(max_length=50, primary_key=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rate bucket {self.name}: {self.tokens:.1f}"
