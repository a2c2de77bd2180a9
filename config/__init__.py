"""Project configuration: one env-driven settings module, the database router, per-service sites."""
