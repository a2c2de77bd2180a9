"""A press or media item and its persons."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models

from portal.choices import OwnedItemStatus
from portal.models.owned import ItemPerson, OwnedItem, date_text


class PressItem(OwnedItem):
    """A piece in the press or media about or by researchers: outlet, date and link."""

    EDITABLE_FIELDS = ("title", "outlet", "published_on", "url", "description", "status")

    outlet = models.CharField(max_length=300)
    published_on = models.DateField("date")
    # Only web addresses a reader can follow: no javascript:, data: or ftp: links.
    url = models.URLField(
        "link", max_length=1000, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    description = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "press or media item"
        indexes = [models.Index(fields=["status", "published_on"], name="press_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OwnedItemStatus.values), name="press_status_valid"
            ),
        ]

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Outlet", self.outlet),
                ("Date", date_text(self.published_on)),
                ("Link", self.url),
                ("Description", self.description),
            )
            if text
        ]

    def summary(self) -> str:
        return f"{self.outlet} · {date_text(self.published_on)}"


class PressPerson(ItemPerson):
    """A researcher the piece is about or who took part (interviewee, author, ...)."""

    item = models.ForeignKey(PressItem, on_delete=models.CASCADE, related_name="people")

    class Meta(ItemPerson.Meta):
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="press_person_once")]
