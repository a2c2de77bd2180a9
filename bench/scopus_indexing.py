"""Scopus sandbox indexing throughput: documents per second for `scopus-sandbox index`.

Run by hand (never in tests):

    .venv/bin/python -m bench.scopus_indexing --documents 100000

It writes N generated documents (the disambiguation package's corpus generator: many Wongs,
Chans, Lees, Lis, Wangs, Zhangs and Chens) as JSON lines, makes a fresh Scopus database (SQLite
in a temporary folder unless --database-url names another, e.g.
postgres://postgres@127.0.0.1:5432/scholarhub_bench_scopus), and times
`scholarhub scopus-sandbox index FILE` end to end: validation, bulk inserts and author
disambiguation against the profiles already built (incremental, batch by batch).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ.setdefault("SCHOLARHUB_DEBUG", "1")
    from scopus_sandbox.disambiguation.corpus import generate_documents

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        lines = root / "documents.jsonl"
        with lines.open("w", encoding="utf-8") as out:
            for document in generate_documents(args.documents, seed=args.seed):
                record = {
                    "eid": document["eid"],
                    "doi": document["doi"],
                    "title": document["title"],
                    "source_title": document["source_title"],
                    "year": document["year"],
                    "type": document["type"],
                    "subject_areas": [a["code"] for a in document["subject_areas"]],
                    "cited_by": document["cited_by_count"],
                    "affiliations": list(
                        {
                            a["afid"]: {"afid": a["afid"], "name": a["affiliation"]}
                            for a in document["authors"]
                            if a.get("afid")
                        }.values()
                    ),
                    "authors": [
                        {
                            "given_name": a["given"],
                            "surname": a["family"],
                            "email": a.get("email", ""),
                            "orcid": a.get("orcid", ""),
                            "affiliations": [a["afid"]] if a.get("afid") else [],
                        }
                        for a in document["authors"]
                    ],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        url = args.database_url or f"sqlite:///{root / 'scopus.sqlite3'}"
        env = {**os.environ, "SCOPUS_SANDBOX_DATABASE_URL": url}
        scholarhub = str(Path(sys.executable).with_name("scholarhub"))
        subprocess.run(  # noqa: S603
            [scholarhub, "migrate", "--database", "scopus", "-v", "0"], env=env, check=True
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603
            [scholarhub, "scopus-sandbox", "index", str(lines)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"index failed:\n{done.stderr[-3000:]}")
        elapsed = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(done.stdout.strip())  # noqa: T201
        print(  # noqa: T201
            f"{args.documents:,} documents in {elapsed:.1f} s wall ({cpu:.1f} s CPU): "
            f"{args.documents / elapsed:,.0f} documents/s wall, "
            f"{args.documents / cpu:,.0f} documents/s per CPU second"
        )


if __name__ == "__main__":
    main()
