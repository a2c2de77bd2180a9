"""A prize or honour and its recipients."""

from __future__ import annotations

from django.db import models
from django_countries.fields import CountryField

from portal.choices import OwnedItemStatus
from portal.models.owned import ItemPerson, OwnedItem, date_text, place_text


class Prize(OwnedItem):
    """A prize, award or honour: what, who granted it, when, and to whom."""

    EDITABLE_FIELDS = (
        "title",
        "organisation",
        "city",
        "country",
        "awarded_on",
        "description",
        "status",
    )

    organisation = models.CharField("granting organisation", max_length=300)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    awarded_on = models.DateField("date")
    description = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = "prize or honour"
        verbose_name_plural = "prizes and honours"
        indexes = [models.Index(fields=["status", "awarded_on"], name="prize_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OwnedItemStatus.values), name="prize_status_valid"
            ),
        ]

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                (
                    "Granting organisation",
                    place_text(self.organisation, self.city, self.country.name),
                ),
                ("Date", date_text(self.awarded_on)),
                ("Description", self.description),
            )
            if text
        ]


class PrizeRecipient(ItemPerson):
    """A researcher of the university who received the prize."""

    item = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="people")

    class Meta(ItemPerson.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="prize_recipient_once")
        ]
