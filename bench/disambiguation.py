"""Author disambiguation: growth inside one huge surname block, and quality on generated truth.

Run by hand (never in tests):

    .venv/bin/python -m bench.disambiguation growth --sizes 1000 5000 15000 50000
    .venv/bin/python -m bench.disambiguation quality --documents 12000 --seed 1
    .venv/bin/python -m bench.disambiguation write --size 15000 /tmp/block15k

`growth` builds ONE block ("Wang, J.": every signature shares surname and first initial) of N
signatures from about N/30 people, with realistic author counts: most papers have 2-12
authors, a long tail reaches large collaborations of up to 3,000 authors (people of the block
belong to a few collaborations of 500-3,000 members each). It times `cluster_all` on it (wall
and CPU), measures the peak memory it adds (tracemalloc), scores it against the truth, and
prints the growth exponent between consecutive sizes (log time ratio / log size ratio).

`quality` is the older corpus benchmark: B-cubed and pairwise precision / recall / F1 for
`cluster_all` and for `assign` (the last 20 % of documents joining profiles built from the
first 80 %, as the indexer does batch by batch).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from scopus_sandbox.disambiguation import (
    Signature,
    assign,
    b_cubed,
    block_key,
    cluster_all,
    pairwise,
)
from scopus_sandbox.disambiguation.corpus import generate_documents, signatures_from_documents

_SYLLABLES = ("jun", "jie", "jian", "jing", "jia", "jin", "ju", "jue", "jiao", "jiang")
_ENDINGS = ("ming", "hua", "wei", "yan", "li", "hong", "bo", "tao", "feng", "lei", "yu", "xin")
_SURNAMES = (
    "Chen", "Zhou", "Li", "Zhang", "Liu", "Huang", "Smith", "Kim", "Park", "Müller", "Garcia",
    "Rossi", "Silva", "Nguyen", "Tanaka", "Sato", "Ivanov", "Kowalski", "Dubois", "Jones",
    "Brown", "Lee", "Wong", "Chan", "Singh", "Kumar", "Patel", "Khan", "Ali", "Hansen",
    "Johansson", "Novak", "Horvat", "Yilmaz", "Cohen", "Levi", "Santos", "Costa", "Moreau",
    "Fischer", "Weber", "Meyer", "Schmidt", "Bauer", "Wagner", "Becker", "Hoffmann", "Schulz",
)  # fmt: skip
_COAUTHOR_SYLLABLES = (
    "an", "bo", "chang", "da", "en", "fa", "guo", "hai", "ke", "lan", "mei", "ning", "ou", "pei",
    "qi", "rong", "shu", "ting", "wen", "xia", "yi", "zhi", "al", "ben", "carl", "dan", "eva",
    "fred", "gus", "hans", "ida", "karl", "lars", "max", "nils", "olga", "paul", "rita", "sven",
)  # fmt: skip


def _given(rng: random.Random) -> str:
    return f"{rng.choice(_SYLLABLES)}{rng.choice(_ENDINGS)}".capitalize()


def _coauthor(rng: random.Random) -> str:
    given = f"{rng.choice(_COAUTHOR_SYLLABLES)}{rng.choice(_COAUTHOR_SYLLABLES)}".capitalize()
    return f"{rng.choice(_SURNAMES)}, {given}"


def _author_count(rng: random.Random) -> int:
    """2-12 authors mostly; a long tail (Pareto) up to 3,000."""
    if rng.random() < 0.9:
        return rng.randint(1, 12)
    return min(3000, int(12 * rng.paretovariate(0.9)))


def huge_block(size: int, seed: int = 1) -> tuple[list[Signature], dict[str, str]]:
    """One "Wang, J." block of `size` signatures from about size/30 people, with its truth."""
    rng = random.Random(seed)
    people = max(2, size // 30)
    collaborations = [[_coauthor(rng) for _ in range(rng.randint(500, 3000))] for _ in range(6)]
    profiles: list[dict[str, Any]] = []
    for index in range(people):
        profiles.append(
            {
                "given": _given(rng),
                "circle": [_coauthor(rng) for _ in range(15)],
                "places": [f"University {rng.randrange(people // 3 + 1)}" for _ in range(2)],
                "venues": [f"Journal {rng.randrange(200)}" for _ in range(4)],
                "collaboration": index % 10 if index % 10 < len(collaborations) else None,
                "first_year": rng.randint(1990, 2020),
            }
        )
    signatures: list[Signature] = []
    truth: dict[str, str] = {}
    # A Zipf-like share of papers per person: a few prolific people, many with a handful.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(people)]
    for number in range(size):
        person = rng.choices(range(people), weights)[0]
        profile = profiles[person]
        count = _author_count(rng)
        if count > 30 and profile["collaboration"] is not None:
            pool = collaborations[profile["collaboration"]]
            coauthors = rng.sample(pool, min(count - 1, len(pool)))
        else:
            circle = profile["circle"]
            known = rng.sample(circle, min(len(circle), rng.randint(0, min(count - 1, 4))))
            strangers = [_coauthor(rng) for _ in range(count - 1 - len(known))]
            coauthors = known + strangers
        printed = profile["given"] if rng.random() < 0.7 else "J."
        signature_id = f"s{number}"
        signatures.append(
            Signature(
                signature_id=signature_id,
                paper_id=f"p{number}",
                position=0,
                first=printed,
                middle="",
                last="Wang",
                affiliations=(rng.choice(profile["places"]),) if rng.random() < 0.8 else (),
                coauthors=tuple(coauthors),
                venue=rng.choice(profile["venues"]),
                year=profile["first_year"] + rng.randint(0, 8),
            )
        )
        truth[signature_id] = f"person{person}"
    return signatures, truth


def _measure(size: int, seed: int) -> tuple[int, int, float, float, float, float, float]:
    """Run in a fresh process: (people, largest paper, wall, CPU, peak MB, B3 F1, pair P)."""
    signatures, truth = huge_block(size, seed)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    clusters = cluster_all(signatures)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # Peak resident size of the whole process (input included), in MB; ru_maxrss is in KiB.
    peak = max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    b3, pw = b_cubed(clusters, truth), pairwise(clusters, truth)
    largest = max(len(s.coauthors) + 1 for s in signatures)
    return len(set(truth.values())), largest, elapsed, cpu, peak, b3.f1, pw.precision


def growth(sizes: list[int], seed: int) -> None:
    print("| signatures | people | largest paper | wall s | CPU s | peak RSS MB | B3 F1 | pair P |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    previous: tuple[int, float] | None = None
    first: tuple[int, float] | None = None
    exponents: list[str] = []
    context = multiprocessing.get_context("spawn")
    for size in sizes:
        with context.Pool(1) as pool:
            people, largest, elapsed, cpu, peak, f1, precision = pool.apply(_measure, (size, seed))
        print(
            f"| {size:,} | {people:,} | {largest:,} | {elapsed:.2f} | {cpu:.2f} | {peak:.0f} "
            f"| {f1:.3f} | {precision:.3f} |",
            flush=True,
        )
        if previous is not None:
            exponent = math.log(cpu / previous[1]) / math.log(size / previous[0])
            exponents.append(f"{previous[0]:,}→{size:,}: {exponent:.2f}")
        previous = (size, cpu)
        first = first or previous
    if first is not None and previous is not None and previous[0] > first[0]:
        overall = math.log(previous[1] / first[1]) / math.log(previous[0] / first[0])
        exponents.append(f"overall {first[0]:,}→{previous[0]:,}: {overall:.2f}")
    print("growth exponent (CPU time): " + ", ".join(exponents))


def _row(label: str, clusters: list[list[str]], truth: dict[str, str], rate: float) -> str:
    b3 = b_cubed(clusters, truth)
    pw = pairwise(clusters, truth)
    return (
        f"| {label} | {b3.precision:.3f} | {b3.recall:.3f} | {b3.f1:.3f} | {pw.precision:.3f} "
        f"| {pw.recall:.3f} | {pw.f1:.3f} | {rate:,.0f} |"
    )


def quality(count: int, seed: int) -> None:
    documents = list(generate_documents(count, seed=seed))
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
    existing: dict[str, list[Signature]] = {}
    by_id = {s.signature_id: s for s in first}
    for index, members in enumerate(base):
        existing[f"A{index}"] = [by_id[m] for m in members]
    wanted = {block_key(s) for s in rest}
    in_blocks = {
        pid: sigs for pid, sigs in existing.items() if any(block_key(s) in wanted for s in sigs)
    }
    started = time.perf_counter()
    result = assign(rest, in_blocks)
    elapsed = time.perf_counter() - started
    print(f"assign: {elapsed:.2f} s wall")
    joined: dict[str, list[str]] = defaultdict(list)
    for pid, profile_signatures in existing.items():
        joined[pid].extend(s.signature_id for s in profile_signatures)
    for sid, pid in result.to_existing.items():
        joined[pid].append(sid)
    final = list(joined.values()) + result.new_profiles
    print(_row(f"assign, last 20 % ({len(rest):,}) onto 80 %", final, truth, len(rest) / elapsed))


def write_block(size: int, seed: int, folder: Path) -> None:
    """The growth benchmark's block as S2AND files, for `scholarhub scopus-sandbox cluster`."""
    signatures, truth = huge_block(size, seed)
    papers: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for sig in signatures:
        authors = [{"position": 0, "author_name": f"{sig.first} {sig.last}"}]
        authors += [{"position": i, "author_name": n} for i, n in enumerate(sig.coauthors, 1)]
        papers[sig.paper_id] = {
            "paper_id": sig.paper_id,
            "title": "",
            "venue": sig.venue,
            "year": sig.year,
            "authors": authors,
        }
        entries[sig.signature_id] = {
            "signature_id": sig.signature_id,
            "paper_id": sig.paper_id,
            "author_info": {
                "position": 0,
                "first": sig.first,
                "middle": "",
                "last": sig.last,
                "affiliations": list(sig.affiliations),
            },
        }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "papers.json").write_text(json.dumps(papers), encoding="utf-8")
    (folder / "signatures.json").write_text(json.dumps(entries), encoding="utf-8")
    people: dict[str, list[str]] = defaultdict(list)
    for signature_id, person in truth.items():
        people[person].append(signature_id)
    (folder / "clusters.json").write_text(
        json.dumps({p: {"cluster_id": p, "signature_ids": m} for p, m in people.items()}),
        encoding="utf-8",
    )
    print(f"{size:,} signatures of one block written to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    grow = sub.add_parser("growth", help="one huge block growing in size")
    grow.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 15000, 50000])
    grow.add_argument("--seed", type=int, default=1)
    corpus = sub.add_parser("quality", help="the generated corpus with known truth")
    corpus.add_argument("--documents", type=int, default=12000)
    corpus.add_argument("--seed", type=int, default=1)
    files = sub.add_parser("write", help="write one block of N signatures as S2AND files")
    files.add_argument("--size", type=int, default=15000)
    files.add_argument("--seed", type=int, default=1)
    files.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.action == "growth":
        growth(args.sizes, args.seed)
    elif args.action == "write":
        write_block(args.size, args.seed, args.folder)
    else:
        quality(args.documents, args.seed)


if __name__ == "__main__":
    main()
