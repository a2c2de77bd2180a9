from django.apps import AppConfig


def refresh_everyone() -> str:
    from exercise.status import refresh

    summary = refresh()
    return (
        f"{summary.persons} researcher(s): Part 1 complete {summary.part1_complete}, "
        f"Part 2 complete {summary.part2_complete}, could not check {summary.not_checked}"
    )


class ExerciseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exercise"
    verbose_name = "ORCID exercise"

    def ready(self) -> None:
        from scholarhub.jobs import Job, daily_at, register

        register(
            Job(
                "exercise-refresh",
                refresh_everyone,
                daily_at=daily_at("SCHOLARHUB_EXERCISE_REFRESH_AT"),
            )
        )
