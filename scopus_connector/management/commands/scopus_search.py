"""`scholarhub scopus-search`: find publications under verified Scopus Author IDs (daily job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scopus_connector.client import ScopusUnavailable
from scopus_connector.search import search


class Command(BaseCommand):
    help = "Search Scopus for every verified Scopus Author ID; new documents become candidates."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = search()
        except ScopusUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Scopus search: {summary.researchers} researcher(s), {summary.documents} "
            f"document(s) seen, {summary.new_candidates} new candidate(s), "
            f"{summary.already_in_portal} already in the portal"
        )
