"""The `cluster` sub-command: the indexer's disambiguation, offline, on S2AND's file format."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

from scopus_sandbox.disambiguation import (
    S2andFormatError,
    cluster_all,
    read_signatures,
    write_clusters,
)


@dataclass(frozen=True)
class ClusterStats:
    """What one offline clustering run did."""

    signatures: int
    clusters: int
    seconds: float

    @property
    def signatures_per_second(self) -> float:
        return self.signatures / self.seconds if self.seconds > 0 else float(self.signatures)

    def __str__(self) -> str:
        return (
            f"{self.signatures:,} signatures → {self.clusters:,} clusters in {self.seconds:.1f} s"
        )


def run_cluster(
    papers_path: Path | str, signatures_path: Path | str, output_path: Path | str
) -> ClusterStats:
    """Cluster S2AND signatures into author profiles and write clusters.json.

    Raises CommandError with a message naming the file and the entry when an input is missing,
    not JSON, or not S2AND's shape, or the output cannot be written; a failed run leaves no
    output file behind.
    """
    started = time.perf_counter()
    try:
        signatures = read_signatures(papers_path, signatures_path)
    except S2andFormatError as error:
        raise CommandError(str(error)) from None
    clusters = cluster_all(signatures)
    try:
        write_clusters(clusters, output_path)
    except OSError as error:
        raise CommandError(f"cannot write {output_path}: {error.strerror or error}") from None
    return ClusterStats(
        signatures=len(signatures),
        clusters=len(clusters),
        seconds=time.perf_counter() - started,
    )
