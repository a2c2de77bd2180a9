"""The portal's Scopus pages, under the researcher backend."""

from django.urls import path

from scopus_connector import import_views, views

app_name = "scopus_connector"

urlpatterns = [
    path(
        "backend/persons/<slug:slug>/identifiers/<int:pk>/scopus-check",
        views.check,
        name="check",
    ),
    path(
        "backend/persons/<slug:slug>/scopus-publications/",
        views.candidates,
        name="candidates",
    ),
    path(
        "backend/persons/<slug:slug>/scopus-publications/<int:pk>",
        views.decide,
        name="decide",
    ),
    path("backend/outputs/import/scopus/", import_views.import_from_scopus, name="import"),
]
