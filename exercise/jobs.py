"""The nightly refresh of every researcher's exercise status, registered with the job framework."""

from jobs.registry import Job, daily_at, register


def refresh_everyone() -> str:
    from exercise.status import refresh

    summary = refresh()
    return (
        f"{summary.persons} researcher(s): Part 1 complete {summary.part1_complete}, "
        f"Part 2 complete {summary.part2_complete}, could not check {summary.not_checked}"
    )


register(
    Job(
        "exercise-refresh",
        refresh_everyone,
        daily_at=daily_at("SCHOLARHUB_EXERCISE_REFRESH_AT"),
    )
)
