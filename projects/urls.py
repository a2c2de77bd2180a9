"""Projects: the public list and pages, the researcher's own list and forms, the queue."""

from portal.views.validated import urls_for
from projects.kind import KIND

app_name = "projects"

urlpatterns = urls_for(KIND)
