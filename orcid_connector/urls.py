"""The portal's ORCID connection pages, under /backend/orcid/."""

from django.urls import path

from orcid_connector import import_views, views

app_name = "orcid_connector"

urlpatterns = [
    path("backend/orcid/connect", views.connect, name="connect"),
    path("backend/orcid/callback", views.callback, name="callback"),
    path("backend/persons/<slug:slug>/orcid/disconnect", views.disconnect, name="disconnect"),
    path("backend/persons/<slug:slug>/orcid/export", views.export_now, name="export-now"),
    path("backend/persons/<slug:slug>/orcid/history", views.history, name="history"),
    path("backend/outputs/import/orcid/", import_views.import_from_orcid, name="import"),
]
