"""Student theses: the public list and pages, the researcher's own list and forms, the queue."""

from portal.views.validated import urls_for
from theses.kind import KIND

app_name = "theses"

urlpatterns = urls_for(KIND)
