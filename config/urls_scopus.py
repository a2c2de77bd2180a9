"""URLconf of the Scopus sandbox service."""

from django.urls import include, path

urlpatterns = [
    path("", include("scopus_sandbox.urls")),
]
