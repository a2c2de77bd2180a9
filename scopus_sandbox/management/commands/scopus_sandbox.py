"""`scholarhub scopus-sandbox index|cluster|process-feedback|seed-demo|create-api-key`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scopus_sandbox import actions
from scopus_sandbox.demo import DEFAULT_CROWD, cast_records, crowd_records
from scopus_sandbox.disambiguation.run import add_arguments as add_cluster_arguments
from scopus_sandbox.disambiguation.run import progress_printer
from scopus_sandbox.indexing import IndexReport, index_records
from scopus_sandbox.models import ApiKey, Document
from scopus_sandbox.records import DocumentRecord, RecordError, parse_line, parse_record

# Documents per transaction. Each batch is assigned against the existing profiles of its name
# blocks, which are read afresh per batch: big batches amortise that read.
BATCH = 10_000
CROWD_BATCH = 25_000
MAX_LINE = 1_000_000
DEMO_KEY_LABEL = "Demo key"


def positive(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) <= 10_000_000:
        raise CommandError(f"expected a whole number from 1 to 10,000,000, not {raw!r}")
    return int(raw)


class Command(BaseCommand):
    help = "The Scopus sandbox: index documents, cluster signatures, apply feedback, seed, keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        index = sub.add_parser("index", help="index documents from a JSON-lines file")
        index.add_argument("file", type=Path)
        cluster = sub.add_parser("cluster", help="cluster S2AND-format signatures offline")
        add_cluster_arguments(cluster)
        feedback = sub.add_parser("process-feedback", help="apply queued Author Feedback")
        feedback.add_argument("--now", action="store_true", help="do not wait for the delay")
        feedback.add_argument(
            "--every",
            type=positive,
            default=None,
            metavar="SECONDS",
            help="keep running, applying due feedback this often (the sandbox's own schedule)",
        )
        seed = sub.add_parser("seed-demo", help="index the demo cast and a crowd (idempotent)")
        seed.add_argument("--cast", type=Path, required=True)
        seed.add_argument(
            "--crowd",
            type=positive,
            default=None,
            help=f"crowd documents (default SCOPUS_SANDBOX_DEMO_CROWD, {DEFAULT_CROWD:,})",
        )
        key = sub.add_parser("create-api-key", help="register an API key and print it")
        key.add_argument("--label", default="")
        key.add_argument("--quota", type=positive, default=None)
        key.add_argument("--key", default="", help="the key itself (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "index":
            self.index(options["file"])
        elif action == "cluster":
            self.cluster(
                options["papers"],
                options["signatures"],
                options["output"],
                workers=options["workers"],
                quiet=options["quiet"],
            )
        elif action == "process-feedback":
            self.process_feedback(now=options["now"], every=options["every"])
        elif action == "seed-demo":
            self.seed_demo(options["cast"], options["crowd"] or settings.SCOPUS_SANDBOX_DEMO_CROWD)
        else:
            self.create_key(options["label"], options["quota"], options["key"])

    def process_feedback(self, *, now: bool, every: int | None) -> None:
        """Apply due Author Feedback once, or on the sandbox's own schedule until stopped.

        The sandbox stands for another organisation and runs its own periodic work: the
        portal's job framework never schedules it.
        """
        while True:
            applied = actions.do_process_feedback(now=now)
            self.stdout.write(f"{applied} feedback request(s) applied")
            if every is None:
                return
            time.sleep(every)

    def read_lines(self, path: Path) -> Iterator[tuple[int, DocumentRecord | None]]:
        """(line number, record) for each non-blank line; bad lines are reported, record None."""
        try:
            handle = path.open("rb")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        with handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    if len(raw) > MAX_LINE:
                        raise RecordError(f"longer than {MAX_LINE:,} bytes")
                    try:
                        line = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise RecordError("not UTF-8") from None
                    yield number, parse_line(line)
                except RecordError as error:
                    self.stderr.write(f"{path}:{number}: {error}")
                    yield number, None

    def index_stream(
        self, records: Iterator[DocumentRecord], batch_size: int = BATCH
    ) -> IndexReport:
        total = IndexReport()
        batch: list[DocumentRecord] = []

        def flush() -> None:
            report = index_records(batch)
            total.documents += report.documents
            total.authorships += report.authorships
            total.duplicates += report.duplicates
            total.new_profiles += report.new_profiles
            total.joined_profiles += report.joined_profiles
            batch.clear()

        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return total

    def index(self, path: Path) -> None:
        started = time.monotonic()
        bad = 0

        def good() -> Iterator[DocumentRecord]:
            nonlocal bad
            for _number, record in self.read_lines(path):
                if record is None:
                    bad += 1
                else:
                    yield record

        report = self.index_stream(good())
        self.stdout.write(
            f"Indexed {report.documents:,} document(s), {report.authorships:,} authorship(s): "
            f"{report.new_profiles:,} new profile(s), {report.joined_profiles:,} joined existing "
            f"ones; {report.duplicates:,} duplicate(s) skipped, {bad:,} bad line(s) "
            f"in {time.monotonic() - started:.1f} s"
        )

    def cluster(
        self, papers: Path, signatures: Path, output: Path, *, workers: int, quiet: bool
    ) -> None:
        """Offline clustering (a pure computation: see scopus_sandbox.disambiguation.run)."""
        from scopus_sandbox.management.commands._cluster import run_cluster

        for path in (papers, signatures):
            if not path.is_file():
                raise CommandError(f"{path} is not a file")
        result = run_cluster(
            papers,
            signatures,
            output,
            workers=workers,
            progress=None if quiet else progress_printer(self.stderr),
        )
        self.stdout.write(f"Clusters written to {output} ({result})")

    def seed_demo(self, cast_path: Path, crowd: int) -> None:
        try:
            cast = json.loads(cast_path.read_text(encoding="utf-8"))
            records = [parse_record(raw) for raw in cast_records(cast)]
        except OSError as error:
            raise CommandError(f"cannot read {cast_path}: {error.strerror}") from None
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{cast_path} is not a valid cast file: {error}") from None
        started = time.monotonic()
        report = self.index_stream(iter(records))
        self.stdout.write(
            f"Scopus sandbox: {report.documents} cast document(s) indexed "
            f"({report.duplicates} already there)"
        )
        crowd_list = list(crowd_records(crowd))
        last = crowd_list[-1]
        if Document.objects.filter(doi=last.doi).exists() if last.doi else False:
            self.stdout.write("Scopus sandbox: the crowd is indexed already")
        else:
            report = self.index_stream(iter(crowd_list), CROWD_BATCH)
            self.stdout.write(
                f"Scopus sandbox: crowd of {report.documents:,} document(s), "
                f"{report.new_profiles:,} new profile(s) in {time.monotonic() - started:.1f} s"
            )
        key = ApiKey.objects.filter(label=DEMO_KEY_LABEL).first() or actions.do_create_api_key(
            label=DEMO_KEY_LABEL, weekly_quota=settings.SCOPUS_SANDBOX_DEFAULT_QUOTA
        )
        key_file = cast_path.parent / "scopus-api-key.txt"
        key_file.write_text(key.key + "\n", encoding="utf-8")
        self.stdout.write(f"Scopus sandbox API key: {key.key}")

    def create_key(self, label: str, quota: int | None, key: str) -> None:
        key = key.strip()
        if key and (len(key) > 64 or not key.isalnum()):
            raise CommandError("a key is 1 to 64 letters and digits")
        api_key = actions.do_create_api_key(
            label=label,
            weekly_quota=quota or settings.SCOPUS_SANDBOX_DEFAULT_QUOTA,
            key=key,
        )
        self.stdout.write(api_key.key)
