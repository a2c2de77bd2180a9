"""The daily Scopus search for verified Scopus Author IDs, registered with the job framework."""

from jobs.registry import Job, daily_at, register


def search_everyone() -> str:
    from scopus_connector.search import search

    summary = search()
    outcome = (
        f"{summary.researchers} researcher(s), {summary.documents} document(s) seen: "
        f"{summary.new_candidates} new candidate(s), {summary.already_in_portal} already held"
    )
    return f"{outcome}; stopped early: {summary.stopped}" if summary.stopped else outcome


register(Job("scopus-search", search_everyone, daily_at=daily_at("SCHOLARHUB_SCOPUS_SEARCH_AT")))
