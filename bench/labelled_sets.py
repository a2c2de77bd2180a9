"""Real, hand-labelled author-disambiguation data → S2AND files, and the engine's quality on it.

Run by hand (never in tests):

    .venv/bin/python -m bench.labelled_sets convert SOURCE_DIR OUT_DIR
    .venv/bin/python -m bench.labelled_sets score OUT_DIR/<set>

The sets are the AMiner name-disambiguation collections as kept in the public repository
xujunrt/Author-Disambiguation (no licence file there, so nothing of them is committed here):
`backup/` holds 108 ambiguous names (7,026 papers, hand-labelled person per paper, with
affiliations: the "AMiner 110 names" set of Tang et al.) and `dblp_xml/` 679 names from DBLP
(6,742 papers, hand-labelled, with keywords but no affiliations). Each file is one name; each
<publication> carries <authors> (comma-separated), <jconf>, <year>, <organization> and <label>
(the person). Get them with the search tool's `fetch` of that repository and
`git --git-dir=<mirror> archive HEAD backup dblp_xml | tar -x -C SOURCE_DIR`.

`convert` writes, per set, papers.json, signatures.json and clusters.json (the truth) in S2AND's
format, which `scholarhub scopus-sandbox cluster` reads; `score` clusters them and prints B3 and
pairwise precision / recall / F1.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from scopus_sandbox.disambiguation import (
    b_cubed,
    cluster_all,
    pairwise,
    read_clusters,
    read_signatures,
)
from scopus_sandbox.disambiguation.names import fold

SETS = {"aminer-110": "backup", "aminer-dblp": "dblp_xml"}
_PUBLICATION = re.compile(r"<publication>(.*?)</publication>", re.S)
_FIELD = re.compile(r"<(\w+)>(.*?)</\1>", re.S)
_FULL_NAME = re.compile(r"<FullName>(.*?)</FullName>", re.S)


def unescape(text: str) -> str:
    """Undo HTML entities until nothing changes: some names are escaped twice ("&amp;uuml;")."""
    while True:
        plain = html.unescape(text)
        if plain == text:
            return plain
        text = plain


def _field_map(block: str) -> dict[str, str]:
    # The files are not always well-formed XML (bare "&", HTML entities): read them leniently.
    return {key: unescape(value).strip() for key, value in _FIELD.findall(block)}


def _split(full: str) -> tuple[str, str, str]:
    words = full.replace("_", " ").split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _same_person_name(printed: str, first: str, last: str) -> bool:
    words = fold(printed).replace(".", " ").replace("-", "").split()
    return (
        bool(words)
        and words[-1] == fold(last).replace("-", "")
        and (not first or words[0][:1] == fold(first)[:1])
    )


def convert_file(
    path: Path, papers: dict[str, Any], signatures: dict[str, Any], clusters: dict[str, list[str]]
) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    match = _FULL_NAME.search(text)
    full = unescape(match.group(1)).strip() if match else path.stem.replace("_", " ")
    first, middle, last = _split(full)
    stem = fold(path.stem).replace(" ", "_")
    for number, block in enumerate(_PUBLICATION.findall(text)):
        fields = _field_map(block)
        label = fields.get("label", "")
        if not label:
            continue
        authors = [a.strip() for a in fields.get("authors", "").split(",") if a.strip()]
        position = next(
            (i for i, a in enumerate(authors) if _same_person_name(a, first, last)), None
        )
        if position is None:  # the DBLP set lists only the co-authors
            authors.append(full)
            position = len(authors) - 1
        printed = _split(authors[position])
        paper_id = f"{stem}-{number}"
        organization = fields.get("organization", "")
        papers[paper_id] = {
            "paper_id": paper_id,
            "title": fields.get("title", ""),
            "venue": fields.get("jconf", ""),
            "year": int(fields["year"]) if fields.get("year", "").isdigit() else None,
            "authors": [{"position": i, "author_name": a} for i, a in enumerate(authors)],
        }
        signature_id = f"{paper_id}-{position}"
        signatures[signature_id] = {
            "signature_id": signature_id,
            "paper_id": paper_id,
            "author_info": {
                "position": position,
                "first": printed[0] or first,
                "middle": printed[1],
                "last": printed[2] or last,
                "affiliations": [] if organization in ("", "null") else [organization],
            },
        }
        clusters.setdefault(f"{stem}:{label}", []).append(signature_id)


def convert(source: Path, out: Path) -> None:
    for name, folder in SETS.items():
        files = sorted((source / folder).glob("*.xml"))
        if not files:
            print(f"{name}: no {source / folder}/*.xml, skipped")  # noqa: T201
            continue
        papers: dict[str, Any] = {}
        signatures: dict[str, Any] = {}
        clusters: dict[str, list[str]] = {}
        for path in files:
            convert_file(path, papers, signatures, clusters)
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        (target / "papers.json").write_text(json.dumps(papers), encoding="utf-8")
        (target / "signatures.json").write_text(json.dumps(signatures), encoding="utf-8")
        truth = {
            cid: {"cluster_id": cid, "signature_ids": members} for cid, members in clusters.items()
        }
        (target / "clusters.json").write_text(json.dumps(truth), encoding="utf-8")
        print(  # noqa: T201
            f"{name}: {len(files)} names, {len(signatures):,} signatures, "
            f"{len(clusters):,} people → {target}"
        )


def score(folder: Path) -> None:
    signatures = read_signatures(folder / "papers.json", folder / "signatures.json")
    truth = read_clusters(folder / "clusters.json")
    started = time.perf_counter()
    clusters = cluster_all(signatures)
    elapsed = time.perf_counter() - started
    b3, pw = b_cubed(clusters, truth), pairwise(clusters, truth)
    print(  # noqa: T201
        f"| {folder.name} | {len(signatures):,} | {len(set(truth.values())):,} "
        f"| {b3.precision:.3f} | {b3.recall:.3f} | {b3.f1:.3f} "
        f"| {pw.precision:.3f} | {pw.recall:.3f} | {pw.f1:.3f} | {elapsed:.2f} s |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    to_s2and = sub.add_parser("convert")
    to_s2and.add_argument("source", type=Path)
    to_s2and.add_argument("out", type=Path)
    measure = sub.add_parser("score")
    measure.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.action == "convert":
        convert(args.source, args.out)
    else:
        print(
            "| set | signatures | people | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | time |"
        )  # noqa: T201
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
        for folder in args.folders:
            score(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
