"""The cache the services share (config/settings.py): generations every process sees, and
writes whose cost does not grow with what the cache holds."""

from __future__ import annotations

import glob
import os
from typing import Any

import pytest
from django.core.cache import CacheHandler, cache

from portal import caching

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_cache")]


def test_a_bumped_generation_is_seen_by_another_process(settings):
    """Generations are shared by every web process: a second handle on the same store (as
    another gunicorn worker has) reads the bump at once."""
    other = CacheHandler(settings.CACHES)["default"]
    before = caching.profile_generation(7)
    caching.forget_profiles([7])
    assert caching.profile_generation(7) != before
    assert other.get("profile-generation:7") == cache.get("profile-generation:7") > 0
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")  # what caching._bump relies on to start a generation


def test_a_write_costs_the_same_however_full_the_store(monkeypatch):
    """Django's file cache listed its whole folder on every write (28 ms of CPU at 20,000
    entries, several writes an action): the services' cache must never list its store."""
    cache.set_many({f"page:{number}": "x" * 100 for number in range(2_000)}, None)
    listings: list[str] = []

    def counted(real: Any) -> Any:
        def listing(*args: Any, **kwargs: Any) -> Any:
            listings.append(real.__name__)
            return real(*args, **kwargs)

        return listing

    for module, name in ((os, "listdir"), (os, "scandir"), (glob, "glob"), (glob, "iglob")):
        monkeypatch.setattr(module, name, counted(getattr(module, name)))
    caching.forget_profiles([1, 2, 3])
    cache.set("page:new", "y", None)
    assert listings == []
    assert cache.get("page:1999") == "x" * 100
