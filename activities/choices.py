"""The kinds of activity. ORCID's sections map from them: memberships to memberships, services
and editorial work to services, invited positions and visits to invited positions."""

from __future__ import annotations

from django.db import models


class ActivityKind(models.TextChoices):
    TALK = "talk", "Talk or presentation"
    EDITORIAL = "editorial", "Editorial work"
    MEMBERSHIP = "membership", "Membership"
    EXAMINATION = "examination", "Examination"
    VISIT = "visit", "Visiting another institution"
    HOSTING = "hosting", "Hosting a visitor"
    SERVICE = "service", "Service"
    INVITED_POSITION = "invited_position", "Invited position"
