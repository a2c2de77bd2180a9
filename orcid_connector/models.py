"""What the portal holds of a researcher's ORCID authorisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.models import Person


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

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_orcid_authorization_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"ORCID authorisation {self.orcid} of {self.person}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_list(self) -> list[str]:
        return self.scope.split()
