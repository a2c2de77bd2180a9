"""Activities: the public list and pages, the researcher's own list and forms."""

from activities.kind import KIND
from portal.views.owned import urls_for

app_name = "activities"

urlpatterns = urls_for(KIND)
