"""The audit log: who changed what, when, and the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.choices import AuditAction


class AuditEntry(models.Model):
    """One change made through an action; never edited, never deleted by the application."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the entry still says who acted after an account is deleted.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(max_length=255)
    # The person whose profile the change concerns, so a profile's history is one query.
    person = models.ForeignKey(
        "portal.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["person", "-created_at"], name="audit_person_idx")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type} {self.target_label}"
