"""The `cluster` sub-command: the indexer's disambiguation, offline, on S2AND's file format."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scopus_sandbox.disambiguation import cluster_all, read_signatures, write_clusters


@dataclass(frozen=True)
class ClusterStats:
    """What one offline clustering run did."""

    signatures: int
    clusters: int
    seconds: float

    @property
    def signatures_per_second(self) -> float:
        return self.signatures / self.seconds if self.seconds > 0 else float(self.signatures)


def run_cluster(
    papers_path: Path | str, signatures_path: Path | str, output_path: Path | str
) -> ClusterStats:
    """Cluster S2AND signatures into author profiles and write clusters.json.

    Raises S2andFormatError (a ValueError) with a message naming the file and the entry when an
    input is missing, not JSON, or not S2AND's shape; the output is then left untouched.
    """
    started = time.perf_counter()
    signatures = read_signatures(papers_path, signatures_path)
    clusters = cluster_all(signatures)
    write_clusters(clusters, output_path)
    return ClusterStats(
        signatures=len(signatures),
        clusters=len(clusters),
        seconds=time.perf_counter() - started,
    )
