"""The exercise's pages, in the researcher backend and the library console."""

from django.urls import path

from exercise import views

app_name = "exercise"

urlpatterns = [
    path("backend/library/exercise/", views.report, name="report"),
    path("backend/library/exercise/refresh", views.refresh_all, name="refresh"),
    path("backend/exercise/check", views.check_mine, name="check"),
    path("orcid-exercise/", views.guide, name="guide"),
]
