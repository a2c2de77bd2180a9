"""S2AND files: reading, writing, the offline cluster run, and malformed input."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scopus_sandbox.disambiguation import (
    S2andFormatError,
    read_clusters,
    read_signatures,
    signatures_from_dicts,
    write_clusters,
)
from scopus_sandbox.management.commands._cluster import run_cluster

PAPERS = {
    "1": {
        "paper_id": 1,
        "title": "Library services",
        "venue": "Library Hi Tech",
        "year": 2006,
        "authors": [
            {"position": 0, "author_name": "Chris Wong"},
            {"position": 1, "author_name": "Raymond Lam"},
        ],
    },
    "2": {
        "paper_id": 2,
        "title": "Metadata",
        "venue": "",
        "journal_name": "Library Hi Tech",
        "year": "2008",
        "authors": [
            {"position": 0, "author_name": "C. Wong"},
            {"position": 1, "author_name": "Raymond Lam"},
        ],
    },
    "3": {
        "paper_id": 3,
        "title": "Catalysts",
        "venue": "JACS",
        "year": 2010,
        "authors": [{"position": 0, "author_name": "Jian Wang"}],
    },
}
SIGNATURES = {
    "1___0": {
        "signature_id": "1___0",
        "paper_id": 1,
        "author_info": {
            "position": 0,
            "block": "c wong",
            "first": "Chris",
            "middle": None,
            "last": "Wong",
            "suffix": None,
            "email": "cw@cityu.edu.hk",
            "affiliations": ["City University of Hong Kong"],
        },
    },
    "2___0": {
        "signature_id": "2___0",
        "paper_id": 2,
        "author_info": {
            "position": 0,
            "block": "c wong",
            "first": "C",
            "middle": "",
            "last": "Wong",
            "email": None,
            "affiliations": ["City University of Hong Kong"],
        },
    },
    "3___0": {
        "signature_id": "3___0",
        "paper_id": 3,
        "author_info": {"position": 0, "first": "Jian", "last": "Wang", "affiliations": []},
    },
}


@pytest.fixture
def s2and_files(tmp_path: Path) -> tuple[Path, Path]:
    papers = tmp_path / "papers.json"
    signatures = tmp_path / "signatures.json"
    papers.write_text(json.dumps(PAPERS), encoding="utf-8")
    signatures.write_text(json.dumps(SIGNATURES), encoding="utf-8")
    return papers, signatures


def test_read_signatures_takes_coauthors_venue_and_year_from_the_paper(
    s2and_files: tuple[Path, Path],
) -> None:
    # given S2AND papers and signatures / when read
    sigs = {s.signature_id: s for s in read_signatures(*s2and_files)}
    # then each signature carries its paper's evidence, without its own name among co-authors
    assert sigs["1___0"].coauthors == ("Raymond Lam",)
    assert sigs["2___0"].venue == "Library Hi Tech"  # journal_name when venue is empty
    assert sigs["2___0"].year == 2008
    assert sigs["1___0"].email == "cw@cityu.edu.hk"
    assert sigs["2___0"].middle == ""  # null becomes empty


def test_run_cluster_writes_s2and_clusters(s2and_files: tuple[Path, Path], tmp_path: Path) -> None:
    # given the tiny fixture
    output = tmp_path / "clusters.json"
    # when the offline cluster run writes its clusters
    stats = run_cluster(*s2and_files, output)
    # then the file is S2AND's clusters.json, Chris's two papers in one cluster
    written = json.loads(output.read_text(encoding="utf-8"))
    assert stats.signatures == 3
    assert stats.clusters == len(written) == 2
    for cluster_id, entry in written.items():
        assert entry["cluster_id"] == cluster_id
    members = sorted(sorted(e["signature_ids"]) for e in written.values())
    assert members == [["1___0", "2___0"], ["3___0"]]


def test_write_then_read_clusters_round_trips(tmp_path: Path) -> None:
    # given clusters with unicode ids
    clusters = [["a", "b"], ["王-1"]]
    path = tmp_path / "clusters.json"
    # when written and read back
    write_clusters(clusters, path)
    truth = read_clusters(path)
    # then each signature maps to its cluster
    assert truth["a"] == truth["b"] != truth["王-1"]
    assert not (tmp_path / "clusters.json.tmp").exists()


@pytest.mark.parametrize(
    ("papers_text", "signatures_text", "message"),
    [
        ("{not json", json.dumps(SIGNATURES), "not valid JSON"),
        ("[1, 2]", json.dumps(SIGNATURES), "JSON object"),
        (json.dumps(PAPERS), json.dumps({"x": {"paper_id": 9, "author_info": {}}}), "lacks"),
        (json.dumps(PAPERS), json.dumps({"x": {"paper_id": 1}}), "author_info"),
        (json.dumps(PAPERS), json.dumps({"x": "text"}), "must be an object"),
        (
            json.dumps(PAPERS),
            json.dumps({"x": {"paper_id": 1, "author_info": {"position": "first"}}}),
            "position",
        ),
    ],
)
def test_run_cluster_rejects_malformed_input_and_writes_nothing(
    tmp_path: Path, papers_text: str, signatures_text: str, message: str
) -> None:
    # given a malformed papers or signatures file
    papers, signatures, output = (tmp_path / n for n in ("p.json", "s.json", "c.json"))
    papers.write_text(papers_text, encoding="utf-8")
    signatures.write_text(signatures_text, encoding="utf-8")
    # when clustered / then a clear error, and no output file
    with pytest.raises(CommandError, match=message):
        run_cluster(papers, signatures, output)
    assert not output.exists()


def test_run_cluster_reports_unwritable_output(s2and_files: tuple[Path, Path], tmp_path: Path):
    # given an output path inside a directory that does not exist
    output = tmp_path / "missing" / "clusters.json"
    # when clustered / then a clear error
    with pytest.raises(CommandError, match="cannot write"):
        run_cluster(*s2and_files, output)


def test_cluster_command_writes_clusters(s2and_files: tuple[Path, Path], tmp_path: Path) -> None:
    # given the tiny fixture
    papers, signatures = s2and_files
    output = tmp_path / "out.json"
    # when `scholarhub scopus-sandbox cluster` runs
    call_command(
        "scopus_sandbox",
        "cluster",
        "--papers",
        str(papers),
        "--signatures",
        str(signatures),
        "--output",
        str(output),
    )
    # then clusters.json holds every signature once
    written = json.loads(output.read_text(encoding="utf-8"))
    assert sorted(s for e in written.values() for s in e["signature_ids"]) == sorted(SIGNATURES)


def test_read_signatures_reports_missing_and_binary_files(tmp_path: Path) -> None:
    # given a missing file and a non-UTF-8 file
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    # when read / then each error names the problem
    with pytest.raises(S2andFormatError, match="not found"):
        read_signatures(tmp_path / "nope.json", binary)
    with pytest.raises(S2andFormatError, match="UTF-8|JSON"):
        read_signatures(binary, binary)


def test_signatures_from_dicts_accepts_unicode_and_missing_optionals() -> None:
    # given a paper with no authors list entry for the signature and unicode names
    papers = {"p": {"title": "t", "authors": []}}
    signatures = {"s": {"paper_id": "p", "author_info": {"first": "Łukasz", "last": "Nowák"}}}
    # when converted
    [signature] = signatures_from_dicts(papers, signatures)
    # then defaults fill the gaps
    assert (signature.first, signature.last, signature.year, signature.coauthors) == (
        "Łukasz",
        "Nowák",
        None,
        (),
    )
