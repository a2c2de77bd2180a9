"""What one write to the services' shared cache costs as the cache fills: the backend
config/settings.py configures beside Django's file cache (the one it replaced), each in a fresh
temporary folder, entries of 2 kB (a cached page part is 1–30 kB).

    .venv/bin/python -m bench.cache_writes [--sizes 300 5000 19000 100000] [--writes 200]

Every portal action moves a few generations (portal.caching) twice, once at once and once on
commit, so a write's cost is paid several times a change. The file cache culls at 20,000
entries (the MAX_ENTRIES it ran with), so it is filled to 19,000 at most.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from typing import Any

FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
FILE_CACHE_MAX_ENTRIES = 20_000


def measure(backend: dict[str, Any], sizes: list[int], writes: int) -> None:
    from django.core.cache import CacheHandler

    cache = CacheHandler({"default": backend})["default"]
    held = 0
    for size in sizes:
        if backend["BACKEND"] == FILE_CACHE and size >= FILE_CACHE_MAX_ENTRIES:
            continue
        cache.set_many({f"page:{number}": "x" * 2000 for number in range(held, size)}, None)
        held = size
        cpu, wall = time.process_time(), time.monotonic()
        for number in range(writes):
            cache.set(f"generation:{number % 10}", number, None)
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        print(
            f"| {backend['BACKEND'].rsplit('.', 1)[-1]} | {size:,} | "
            f"{cpu * 1000 / writes:.2f} | {wall * 1000 / writes:.2f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5000, 19000, 100000])
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()

    import django
    from django.conf import settings

    os.environ.setdefault("SCHOLARHUB_DEBUG", "1")  # config.settings wants a key otherwise

    import config.settings

    settings.configure()
    django.setup()
    configured = config.settings.CACHES["default"]
    print("| backend | entries held | CPU ms a write | wall ms a write |")
    print("| --- | ---: | ---: | ---: |")
    for backend in (
        {**configured, "LOCATION": tempfile.mkdtemp(prefix="scholarhub-cache-bench-")},
        {
            "BACKEND": FILE_CACHE,
            "LOCATION": tempfile.mkdtemp(prefix="scholarhub-cache-bench-"),
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_MAX_ENTRIES},
        },
    ):
        measure(backend, args.sizes, args.writes)


if __name__ == "__main__":
    main()
