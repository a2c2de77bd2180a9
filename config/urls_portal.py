"""URLconf of the Scholars portal service."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("orcid_connector.urls")),
    path("", include("scopus_connector.urls")),
    path("", include("exercise.urls")),
    path("", include("activities.urls")),
    path("", include("prizes.urls")),
    path("", include("impacts.urls")),
    path("", include("press.urls")),
    path("", include("projects.urls")),
    path("", include("datasets.urls")),
    path("", include("theses.urls")),
    path("", include("portal.urls")),
]
