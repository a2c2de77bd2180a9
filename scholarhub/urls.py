"""The background jobs page, in the library console."""

from django.urls import path

from scholarhub import views

app_name = "scholarhub"

urlpatterns = [path("backend/library/jobs/", views.job_runs, name="job-runs")]
