"""URLconf of the ORCID sandbox service."""

from django.urls import include, path

urlpatterns = [
    path("", include("orcid_sandbox.urls")),
]
