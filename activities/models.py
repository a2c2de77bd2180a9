"""An activity and its persons."""

from __future__ import annotations

from django.db import models
from django_countries.fields import CountryField

from activities.choices import ActivityKind
from portal.choices import OwnedItemStatus
from portal.models.owned import ItemPerson, OwnedItem, period_text, place_text


class Activity(OwnedItem):
    """A talk, editorial work, membership, examination, visit, hosting, service or invited
    position: who, in what role, when, and the event or organisation."""

    EDITABLE_FIELDS = (
        "title",
        "kind",
        "start_date",
        "end_date",
        "organisation",
        "city",
        "country",
        "description",
        "status",
    )

    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    organisation = models.CharField("event or organisation", max_length=300)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    description = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["status", "start_date"], name="activity_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OwnedItemStatus.values), name="activity_status_valid"
            ),
        ]

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Kind", self.get_kind_display()),
                ("Period", period_text(self.start_date, self.end_date)),
                (
                    "Event or organisation",
                    place_text(self.organisation, self.city, self.country.name),
                ),
                ("Description", self.description),
            )
            if text
        ]


class ActivityPerson(ItemPerson):
    """A person of an activity (speaker, editor, member, examiner, visitor, host ...)."""

    item = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="people")

    class Meta(ItemPerson.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="activity_person_once")
        ]
