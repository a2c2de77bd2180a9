"""Signals the portal sends for the apps built on it (which it may not import).

output_merged(sender=ResearchOutput, survivor=…, merged=…): sent inside the merge's transaction,
so a receiver (the ORCID export's record of put-codes) moves its rows in the same commit.
"""

from __future__ import annotations

from django.dispatch import Signal

output_merged = Signal()
