"""The validation queue's counts per unit, kept exact by the database itself.

Triggers installed by migration portal.0007 (PostgreSQL and SQLite) move these counts in the
same statement as any change to an output's state or managing unit, or to the units it lists,
whatever makes the change: the workflow actions, the admin, a bulk COPY of the demo seed, a
test's ORM write. `portal.queue_counts` recounts from the outputs and repairs them
(`scholarhub queue-counts`).
"""

from __future__ import annotations

from django.db import models

# The row of the outputs that have no managing unit.
NO_UNIT = 0


class ValidationQueueCount(models.Model):
    """How many research outputs wait for validation (For validation) per unit."""

    # An OrgUnit's id, or NO_UNIT. No foreign key: a deleted unit's outputs lose their managing
    # unit (SET NULL), so its row drops to 0 by the same triggers and is simply left behind.
    unit_key = models.BigIntegerField(primary_key=True)
    # Waiting outputs whose managing unit it is: the counts per unit on the console; their sum
    # over all rows is the whole queue.
    managed = models.IntegerField(default=0)
    # Waiting outputs it manages or lists among their units: what the queue's unit filter shows
    # (an output counts once per unit, so these do not add up to the queue).
    in_unit = models.IntegerField(default=0)

    class Meta:
        verbose_name = "validation queue count"

    def __str__(self) -> str:
        return f"unit {self.unit_key}: {self.managed} managed, {self.in_unit} in the unit"
