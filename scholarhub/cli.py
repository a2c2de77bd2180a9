"""The `scholarhub` console command: Django's management commands, spelled with hyphens.

`scholarhub seed-demo` runs the `seed_demo` management command, `scholarhub scopus-sandbox index`
runs `scopus_sandbox index`, and so on; `scholarhub help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    args = list(sys.argv if argv is None else argv)
    if args[1:3] in (["scopus-sandbox", "cluster"], ["scopus_sandbox", "cluster"]):
        # A pure computation on files: it needs no settings (no secret key, no database).
        from scopus_sandbox.disambiguation.run import main as cluster

        sys.exit(cluster(args[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
