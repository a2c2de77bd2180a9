"""Prizes / Honours: the public list and pages, the researcher's own list and forms."""

from portal.views.owned import urls_for
from prizes.kind import KIND

app_name = "prizes"

urlpatterns = urls_for(KIND)
