from django.apps import AppConfig


def search_everyone() -> str:
    from scopus_connector.search import search

    summary = search()
    outcome = (
        f"{summary.researchers} researcher(s), {summary.documents} document(s) seen: "
        f"{summary.new_candidates} new candidate(s), {summary.already_in_portal} already held"
    )
    return f"{outcome}; stopped early: {summary.stopped}" if summary.stopped else outcome


class ScopusConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scopus_connector"
    verbose_name = "Scopus connector"

    def ready(self) -> None:
        from scholarhub.jobs import Job, daily_at, register

        register(
            Job("scopus-search", search_everyone, daily_at=daily_at("SCHOLARHUB_SCOPUS_SEARCH_AT"))
        )
