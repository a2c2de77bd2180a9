"""The offline cluster tool: independent tasks, workers, progress, and no settings needed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from scopus_sandbox.disambiguation import Signature, cluster_all
from scopus_sandbox.disambiguation.run import (
    cluster_files,
    cluster_signatures,
    progress_printer,
    tasks,
)


def sig(sid: str, first: str, last: str, **evidence: object) -> Signature:
    return Signature(sid, f"p{sid}", 0, first, "", last, **evidence)  # type: ignore[arg-type]


def corpus() -> list[Signature]:
    sigs = []
    for number in range(60):
        surname = ["Wong", "Chan", "Lee"][number % 3]
        sigs.append(
            sig(
                f"s{number}",
                ["Chris", "Tai Ming", "C."][number % 3],
                surname,
                affiliations=(f"U{number % 2}",),
                coauthors=(f"Lam, R{number % 4}", "Ho, Kam Wing"),
            )
        )
    # One ORCID iD quoted under two name forms (two blocks): one person.
    sigs.append(sig("o1", "Chris", "Wong", orcid="0000-0000-0000-0001"))
    sigs.append(sig("o2", "Tai Ming", "Wong", orcid="0000-0000-0000-0001"))
    return sigs


def test_tasks_keep_blocks_whole_and_orcid_linked_blocks_together() -> None:
    # given signatures in several blocks, two of them linked by one ORCID iD
    sigs = corpus()
    # when cut into small tasks
    work = tasks(sigs, size=5)
    # then every signature is in one task, and the two iD holders are in the same one
    ids = [s.signature_id for task in work for s in task]
    assert sorted(ids) == sorted(s.signature_id for s in sigs)
    task_of = {s.signature_id: index for index, task in enumerate(work) for s in task}
    assert task_of["o1"] == task_of["o2"]


def test_cluster_signatures_with_workers_matches_one_process() -> None:
    # given a corpus / when clustered by two worker processes and by one
    sigs = corpus()
    parallel = cluster_signatures(sigs, workers=2)
    single = cluster_signatures(sigs, workers=1)
    # then the profiles are the same, the ORCID iD joining its two name forms
    assert sorted(map(sorted, parallel)) == sorted(map(sorted, single))
    assert sorted(map(sorted, single)) == sorted(map(sorted, cluster_all(sigs)))
    assert any({"o1", "o2"} <= set(c) for c in parallel)


def test_progress_printer_reports_at_most_every_interval() -> None:
    # given a clock we move by hand and a 2-second interval
    now = [100.0]
    out = io.StringIO()
    report = progress_printer(out, clock=lambda: now[0], every=2.0)
    # when progress is reported three times within one second, then after three seconds
    report(10, 100)
    now[0] += 0.5
    report(20, 100)
    now[0] += 2.5
    report(60, 100)
    # then two lines, with the share done and the rate
    lines = out.getvalue().splitlines()
    assert lines == [
        "clustered 10 / 100 signatures (10 %), 10/s",
        "clustered 60 / 100 signatures (60 %), 20/s",
    ]


def _write(folder: Path) -> tuple[Path, Path]:
    papers = {
        "1": {"paper_id": "1", "authors": [{"position": 0, "author_name": "Chris Wong"}]},
        "2": {"paper_id": "2", "authors": [{"position": 0, "author_name": "C. Wong"}]},
    }
    signatures = {
        key: {"signature_id": key, "paper_id": key[0], "author_info": {"first": f, "last": "Wong"}}
        for key, f in (("1a", "Chris"), ("2a", "C."))
    }
    (folder / "papers.json").write_text(json.dumps(papers), encoding="utf-8")
    (folder / "signatures.json").write_text(json.dumps(signatures), encoding="utf-8")
    return folder / "papers.json", folder / "signatures.json"


def test_cluster_files_reports_rate_and_peak_memory(tmp_path: Path) -> None:
    # given S2AND files / when clustered
    papers, signatures = _write(tmp_path)
    stats = cluster_files(papers, signatures, tmp_path / "out.json")
    # then the summary names signatures/s and peak memory
    assert stats.signatures == 2
    assert stats.peak_megabytes > 0
    assert "signatures/s" in str(stats)
    assert "peak memory" in str(stats)


def test_cluster_tool_runs_without_any_service_setting(tmp_path: Path) -> None:
    # given an environment with no secret key, no debug flag and no Django settings module
    papers, signatures = _write(tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCHOLARHUB_", "DJANGO_", "PORTAL_", "ORCID_", "SCOPUS_"))
    }
    # when `scholarhub scopus-sandbox cluster` runs
    done = subprocess.run(  # noqa: S603
        [
            str(Path(sys.executable).with_name("scholarhub")),
            "scopus-sandbox",
            "cluster",
            "--papers",
            str(papers),
            "--signatures",
            str(signatures),
            "--output",
            str(tmp_path / "out.json"),
            "--workers",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # then it clusters, prints its rate and memory, and shows its progress
    assert done.returncode == 0, done.stderr
    assert "signatures/s" in done.stdout
    assert "clustered 2 / 2 signatures (100 %)" in done.stderr
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(s for c in written.values() for s in c["signature_ids"]) == ["1a", "2a"]


def test_cluster_tool_refuses_a_bad_entry_with_file_entry_and_reason(tmp_path: Path) -> None:
    # given a signature naming a paper papers.json lacks
    papers, signatures = _write(tmp_path)
    signatures.write_text(
        json.dumps({"x": {"paper_id": "9", "author_info": {"last": "Wong"}}}), encoding="utf-8"
    )
    # when the tool runs
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "scopus_sandbox.disambiguation",
            "--papers",
            str(papers),
            "--signatures",
            str(signatures),
            "--output",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # then it stops with the file, the entry and the reason, and writes nothing
    assert done.returncode == 1
    assert f"{signatures}: signature 'x' names paper '9', which papers.json lacks" in done.stderr
    assert not (tmp_path / "out.json").exists()
