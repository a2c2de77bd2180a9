"""S2AND's file format: papers.json + signatures.json in, clusters.json out.

papers.json: {paper_id: {paper_id, title, venue, journal_name, year, authors: [{position,
author_name}], ...}}; signatures.json: {signature_id: {signature_id, paper_id, author_info:
{position, block, first, middle, last, suffix, email, affiliations, ...}}}; clusters.json:
{cluster_id: {cluster_id, signature_ids: [...]}}. Unknown keys are ignored; missing optional
ones default to empty. Anything else raises `S2andFormatError` naming the file and the entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scopus_sandbox.disambiguation.engine import DisambiguationError, Signature


class S2andFormatError(DisambiguationError):
    """A papers / signatures / clusters file that is not S2AND's format."""


def _load_object(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as error:
        raise S2andFormatError(f"{what} file not found: {path}") from error
    except UnicodeDecodeError as error:
        raise S2andFormatError(f"{what} file {path} is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise S2andFormatError(
            f"{what} file {path} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from error
    if not isinstance(data, dict):
        raise S2andFormatError(f"{what} file {path} must hold a JSON object keyed by id")
    return data


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _int(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise S2andFormatError(f"{where}: position must be an integer, not {value!r}")


def signatures_from_dicts(
    papers: Mapping[str, Any], signatures: Mapping[str, Any], *, source: str = "input"
) -> list[Signature]:
    """S2AND papers + signatures (already parsed) → Signatures, co-authors taken from the paper."""
    result: list[Signature] = []
    for key, entry in signatures.items():
        where = f"{source}: signature {key!r}"
        if not isinstance(entry, dict):
            raise S2andFormatError(f"{where} must be an object")
        info = entry.get("author_info")
        if not isinstance(info, dict):
            raise S2andFormatError(f"{where} has no author_info object")
        paper_id = str(entry.get("paper_id", "")).strip()
        if not paper_id:
            raise S2andFormatError(f"{where} has no paper_id")
        paper = papers.get(paper_id)
        if paper is None:
            raise S2andFormatError(f"{where} names paper {paper_id!r}, which papers.json lacks")
        if not isinstance(paper, dict):
            raise S2andFormatError(f"{source}: paper {paper_id!r} must be an object")
        position = _int(info.get("position", 0), where)
        authors = paper.get("authors") or []
        if not isinstance(authors, list):
            raise S2andFormatError(f"{source}: paper {paper_id!r} authors must be a list")
        coauthors = tuple(
            _text(a.get("author_name"))
            for a in authors
            if isinstance(a, dict) and a.get("position") != position and _text(a.get("author_name"))
        )
        affiliations = info.get("affiliations") or []
        if not isinstance(affiliations, list):
            affiliations = [affiliations]
        result.append(
            Signature(
                signature_id=str(entry.get("signature_id") or key),
                paper_id=paper_id,
                position=position,
                first=_text(info.get("first")),
                middle=_text(info.get("middle")),
                last=_text(info.get("last")),
                affiliations=tuple(_text(a) for a in affiliations if _text(a)),
                coauthors=coauthors,
                venue=_text(paper.get("venue")) or _text(paper.get("journal_name")),
                year=_year(paper.get("year")),
                email=_text(info.get("email")),
                title=_text(paper.get("title")),
            )
        )
    return result


def read_signatures(papers_path: Path | str, signatures_path: Path | str) -> list[Signature]:
    """Read S2AND papers.json and signatures.json into Signatures."""
    papers = _load_object(Path(papers_path), "papers")
    signatures = _load_object(Path(signatures_path), "signatures")
    return signatures_from_dicts(papers, signatures, source=str(signatures_path))


def clusters_to_dict(clusters: Sequence[Sequence[str]]) -> dict[str, dict[str, object]]:
    """Clusters → S2AND clusters.json content, ids "1", "2", … in the given order."""
    return {
        str(index): {"cluster_id": str(index), "signature_ids": list(members)}
        for index, members in enumerate(clusters, start=1)
    }


def write_clusters(clusters: Sequence[Sequence[str]], path: Path | str) -> None:
    """Write clusters.json, via a temporary file so a crash never leaves half a file."""
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(clusters_to_dict(clusters), handle, ensure_ascii=False)
    temporary.replace(target)


def read_clusters(path: Path | str) -> dict[str, str]:
    """Read clusters.json → {signature_id: cluster_id} (for measuring against S2AND's truth)."""
    data = _load_object(Path(path), "clusters")
    truth: dict[str, str] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("signature_ids"), list):
            raise S2andFormatError(f"{path}: cluster {key!r} needs a signature_ids list")
        for signature_id in entry["signature_ids"]:
            truth[str(signature_id)] = str(entry.get("cluster_id", key))
    return truth
