"""Offline clustering of S2AND files, as a tool: blocks in parallel, progress, rate and memory.

A pure computation: no Django, no settings, no database. `scholarhub scopus-sandbox cluster`
and `python -m scopus_sandbox.disambiguation` both end here.

Blocks are independent except through ORCID iDs (signatures quoting one iD are one person
whatever their block), so the work is cut into groups of blocks that no iD links, packed into
tasks of about TASK_SIGNATURES signatures, and clustered by `workers` processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scopus_sandbox.disambiguation.engine import (
    Signature,
    block_key,
    cluster_all,
    normalise_orcid,
)
from scopus_sandbox.disambiguation.s2and import (
    S2andFormatError,
    read_signatures,
    write_clusters,
)

TASK_SIGNATURES = 5_000
# Progress is reported at most this often (seconds) on long runs.
PROGRESS_EVERY = 2.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ClusterStats:
    """What one offline clustering run did."""

    signatures: int
    clusters: int
    seconds: float
    peak_megabytes: float
    workers: int

    @property
    def signatures_per_second(self) -> float:
        return self.signatures / self.seconds if self.seconds > 0 else float(self.signatures)

    def __str__(self) -> str:
        return (
            f"{self.signatures:,} signatures → {self.clusters:,} clusters in {self.seconds:.1f} s "
            f"({self.signatures_per_second:,.0f} signatures/s, peak memory "
            f"{self.peak_megabytes:,.0f} MB, {self.workers} worker(s))"
        )


def tasks(signatures: Sequence[Signature], size: int = TASK_SIGNATURES) -> list[list[Signature]]:
    """Signatures cut into independent tasks: whole blocks, blocks linked by an ORCID iD kept
    together, small blocks packed up to `size` signatures, the largest first."""
    by_block: dict[str, list[Signature]] = defaultdict(list)
    for signature in signatures:
        # A signature without a surname is clustered alone whatever its task: any bucket will do.
        by_block[block_key(signature)].append(signature)
    parent = {block: block for block in by_block}

    def find(block: str) -> str:
        while parent[block] != block:
            parent[block] = parent[parent[block]]
            block = parent[block]
        return block

    first_block_of: dict[str, str] = {}
    for block, members in by_block.items():
        for signature in members:
            orcid = normalise_orcid(signature.orcid if isinstance(signature.orcid, str) else "")
            if orcid:
                other = first_block_of.setdefault(orcid, block)
                parent[find(block)] = find(other)
    groups: dict[str, list[Signature]] = defaultdict(list)
    for block, members in by_block.items():
        groups[find(block)].extend(members)
    packed: list[list[Signature]] = []
    current: list[Signature] = []
    for members in sorted(groups.values(), key=len, reverse=True):
        if len(members) >= size:
            packed.append(members)
            continue
        current.extend(members)
        if len(current) >= size:
            packed.append(current)
            current = []
    if current:
        packed.append(current)
    return packed


def _cluster_task(task: list[Signature]) -> tuple[int, list[list[str]]]:
    return len(task), cluster_all(task)


def _peak_megabytes() -> float:
    # ru_maxrss is in KiB on Linux; the largest of this process and any worker.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def cluster_signatures(
    signatures: Sequence[Signature], *, workers: int = 1, progress: Progress | None = None
) -> list[list[str]]:
    """`cluster_all` over independent tasks, in `workers` processes; progress(done, total)."""
    work = tasks(signatures)
    total = len(signatures)
    clusters: list[list[str]] = []
    done = 0
    results: Iterator[tuple[int, list[list[str]]]]
    if workers <= 1 or len(work) <= 1:
        results = map(_cluster_task, work)
        for count, found in results:
            clusters.extend(found)
            done += count
            if progress:
                progress(done, total)
    else:
        # fork: the workers inherit the loaded code and need no settings.
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(work))) as pool:
            for count, found in pool.imap_unordered(_cluster_task, work):
                clusters.extend(found)
                done += count
                if progress:
                    progress(done, total)
    # Tasks finish in any order: one stable output order whatever the number of workers.
    clusters.sort(key=lambda members: min(members))
    return clusters


def cluster_files(
    papers_path: Path | str,
    signatures_path: Path | str,
    output_path: Path | str,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ClusterStats:
    """Read S2AND papers + signatures, cluster, write clusters.json; raise S2andFormatError
    (naming the file and the entry) on bad input and OSError when the output cannot be written.
    A failed run leaves no output file behind."""
    started = time.perf_counter()
    signatures = read_signatures(papers_path, signatures_path)
    clusters = cluster_signatures(signatures, workers=workers, progress=progress)
    write_clusters(clusters, output_path)
    return ClusterStats(
        signatures=len(signatures),
        clusters=len(clusters),
        seconds=time.perf_counter() - started,
        peak_megabytes=_peak_megabytes(),
        workers=max(1, workers),
    )


class Writer(Protocol):
    """Anything with write(text): sys.stderr, a Django command's self.stderr, a StringIO."""

    def write(self, text: str, /) -> object: ...


def progress_printer(
    stream: Writer, clock: Callable[[], float] = time.monotonic, every: float = PROGRESS_EVERY
) -> Progress:
    """A progress callback writing "clustered N / M signatures (P %), R/s" at most `every` s."""
    started = clock()
    last = [started - every]

    def report(done: int, total: int) -> None:
        now = clock()
        if now - last[0] < every and done < total:
            return
        last[0] = now
        rate = done / (now - started) if now > started else float(done)
        percent = 100 * done / total if total else 100.0
        stream.write(
            f"clustered {done:,} / {total:,} signatures ({percent:.0f} %), {rate:,.0f}/s\n"
        )

    return report


def positive_workers(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 256:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 256, not {raw!r}")
    return int(raw)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the cluster tool (shared with the `scopus-sandbox cluster` sub-command)."""
    parser.add_argument("--papers", type=Path, required=True, help="S2AND papers.json")
    parser.add_argument("--signatures", type=Path, required=True, help="S2AND signatures.json")
    parser.add_argument("--output", type=Path, required=True, help="clusters.json to write")
    parser.add_argument(
        "--workers",
        type=positive_workers,
        default=1,
        help="processes clustering blocks in parallel (default 1)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m scopus_sandbox.disambiguation --papers … --signatures … --output …`."""
    parser = argparse.ArgumentParser(
        prog="scholarhub scopus-sandbox cluster",
        description="Cluster S2AND-format signatures into author profiles (offline).",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    for path in (args.papers, args.signatures):
        if not path.is_file():
            print(f"error: {path} is not a file", file=sys.stderr)  # noqa: T201
            return 2
    try:
        stats = cluster_files(
            args.papers,
            args.signatures,
            args.output,
            workers=args.workers,
            progress=None if args.quiet else progress_printer(sys.stderr),
        )
    except S2andFormatError as error:
        print(f"error: {error}", file=sys.stderr)  # noqa: T201
        return 1
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)  # noqa: T201
        return 1
    print(f"Clusters written to {args.output} ({stats})")  # noqa: T201
    return 0
