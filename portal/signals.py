"""Signals the portal sends for the apps built on it (which it may not import).

output_merged(sender=ResearchOutput, survivor=…, merged=…): sent inside the merge's transaction,
so a receiver (the ORCID export's record of put-codes) moves its rows in the same commit.

change_recorded(sender=<the target's model>, target=…, person=…, action=…, before=…, after=…):
sent by portal.audit.record_change, which every action calls inside its own transaction, so a
receiver (the ORCID export's marks of records to write) commits or rolls back with the change.
"""

from __future__ import annotations

from django.dispatch import Signal

output_merged = Signal()
change_recorded = Signal()
