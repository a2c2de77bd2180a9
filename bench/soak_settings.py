"""Settings for `bench/soak.py --sqlite-transactions deferred`: the project's settings with
SQLite served as Django serves it by default (deferred transactions, rollback journal, 5 s
timeout), to compare with the project's IMMEDIATE / WAL / 30 s."""

from config.settings import *  # noqa: F403 - the project's settings, less the SQLite options

for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = {"timeout": 5}
