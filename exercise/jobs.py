"""The exercise's periodic jobs, registered with the job framework."""

from jobs.registry import Job, daily_at, register


def refresh_everyone() -> str:
    """Where every current researcher stands, asked of ORCID and Scopus."""
    from exercise.status import refresh

    summary = refresh()
    return (
        f"{summary.persons} researcher(s): Part 1 complete {summary.part1_complete}, "
        f"Part 2 complete {summary.part2_complete}, could not check {summary.not_checked}"
    )


def discover_scopus_ids() -> str:
    """The seed's step (1) for researchers without a Scopus Author ID on their profile."""
    from exercise.discovery import discover_due

    return str(discover_due())


def send_campaign_messages() -> str:
    """The campaigns' invitations and reminders that are due today."""
    from exercise.campaigns import send_due

    return str(send_due())


register(
    Job("exercise-refresh", refresh_everyone, daily_at=daily_at("SCHOLARHUB_EXERCISE_REFRESH_AT"))
)
register(
    Job(
        "scopus-id-discovery",
        discover_scopus_ids,
        daily_at=daily_at("SCHOLARHUB_SCOPUS_DISCOVERY_AT"),
    )
)
register(
    Job(
        "exercise-reminders",
        send_campaign_messages,
        daily_at=daily_at("SCHOLARHUB_EXERCISE_REMINDERS_AT"),
    )
)
