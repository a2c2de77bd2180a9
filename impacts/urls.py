"""Impact: the public list and pages, the researcher's own list and forms."""

from impacts.kind import KIND
from portal.views.owned import urls_for

app_name = "impacts"

urlpatterns = urls_for(KIND)
