"""The `cluster` sub-command: the indexer's disambiguation, offline, on S2AND's file format.

The work itself is `scopus_sandbox.disambiguation.run` (pure, no settings); this wraps its
errors as CommandError for `scholarhub scopus-sandbox cluster`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from scopus_sandbox.disambiguation import S2andFormatError
from scopus_sandbox.disambiguation.run import ClusterStats, Progress, cluster_files

__all__ = ["ClusterStats", "run_cluster"]


def run_cluster(
    papers_path: Path | str,
    signatures_path: Path | str,
    output_path: Path | str,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ClusterStats:
    """Cluster S2AND signatures into author profiles and write clusters.json.

    Raises CommandError with a message naming the file and the entry when an input is missing,
    not JSON, or not S2AND's shape, or the output cannot be written; a failed run leaves no
    output file behind.
    """
    try:
        return cluster_files(
            papers_path, signatures_path, output_path, workers=workers, progress=progress
        )
    except S2andFormatError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {output_path}: {error.strerror or error}") from None
