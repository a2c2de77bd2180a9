"""The exercise's pages, in the researcher backend, the library console and the public guide."""

from django.urls import path

from exercise import views

app_name = "exercise"

urlpatterns = [
    path("backend/library/exercise/", views.report, name="report"),
    path("backend/library/exercise/refresh", views.refresh_all, name="refresh"),
    path("backend/library/exercise/campaigns/", views.campaigns, name="campaigns"),
    path("backend/library/exercise/campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("backend/exercise/check", views.check_mine, name="check"),
    path("backend/exercise/back-from-scopus/", views.back_from_scopus, name="back-from-scopus"),
    path("backend/exercise/discover", views.discover_mine, name="discover"),
    path(
        "backend/exercise/suggestions/<int:pk>/<str:answer>",
        views.answer_suggestion,
        name="answer-suggestion",
    ),
    path("orcid-exercise/", views.guide, name="guide"),
    path("orcid-exercise/opt-out/<str:token>/", views.opt_out, name="opt-out"),
]
