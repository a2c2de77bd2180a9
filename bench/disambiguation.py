"""Author disambiguation quality and speed on a generated corpus with known truth.

Run by hand: `.venv/bin/python -m bench.disambiguation --documents 12000 --seed 1`.
Reports B-cubed and pairwise precision / recall / F1 and signatures per second for
`cluster_all` (from scratch) and for `assign` (the last 20 % of documents joining profiles
built from the first 80 %, as the indexer does batch by batch).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from scopus_sandbox.disambiguation import assign, b_cubed, block_key, cluster_all, pairwise
from scopus_sandbox.disambiguation.corpus import generate_documents, signatures_from_documents


def _row(label: str, clusters: list[list[str]], truth: dict[str, str], rate: float) -> str:
    b3 = b_cubed(clusters, truth)
    pw = pairwise(clusters, truth)
    return (
        f"| {label} | {b3.precision:.3f} | {b3.recall:.3f} | {b3.f1:.3f} | {pw.precision:.3f} "
        f"| {pw.recall:.3f} | {pw.f1:.3f} | {rate:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    documents = list(generate_documents(args.documents, seed=args.seed))
    signatures, truth = signatures_from_documents(documents)
    blocks = Counter(block_key(s) for s in signatures)
    people = len(set(truth.values()))
    print(
        f"{len(documents):,} documents, {len(signatures):,} signatures, {people:,} people, "
        f"{len(blocks):,} blocks, largest block {blocks.most_common(1)[0][1]:,} "
        f"({blocks.most_common(1)[0][0]!r})"
    )

    started, cpu = time.perf_counter(), time.process_time()
    clusters = cluster_all(signatures)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"cluster_all: {len(clusters):,} profiles in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
        f"({len(signatures) / cpu:,.0f} signatures per CPU second)"
    )
    print("| run | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | signatures/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(_row("cluster_all, from scratch", clusters, truth, len(signatures) / elapsed))

    cut = int(len(documents) * 0.8)
    first = [s for s in signatures if int(s.paper_id.rsplit("-", 1)[1]) - 85100000000 < cut]
    rest = [s for s in signatures if int(s.paper_id.rsplit("-", 1)[1]) - 85100000000 >= cut]
    base = cluster_all(first)
    existing: dict[str, list] = {}
    by_id = {s.signature_id: s for s in first}
    for index, members in enumerate(base):
        existing[f"A{index}"] = [by_id[m] for m in members]
    wanted = {block_key(s) for s in rest}
    in_blocks = {
        pid: sigs for pid, sigs in existing.items() if any(block_key(s) in wanted for s in sigs)
    }
    started, cpu = time.perf_counter(), time.process_time()
    result = assign(rest, in_blocks)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"assign: {elapsed:.2f} s wall, {cpu:.2f} s CPU")
    joined: dict[str, list[str]] = defaultdict(list)
    for pid, members in existing.items():
        joined[pid].extend(s.signature_id for s in members)
    for sid, pid in result.to_existing.items():
        joined[pid].append(sid)
    final = list(joined.values()) + result.new_profiles
    print(
        _row(
            f"assign, last 20 % ({len(rest):,}) onto 80 %",
            final,
            truth,
            len(rest) / elapsed,
        )
    )


if __name__ == "__main__":
    main()
