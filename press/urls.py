"""Press / Media: the public list and pages, the researcher's own list and forms."""

from portal.views.owned import urls_for
from press.kind import KIND

app_name = "press"

urlpatterns = urls_for(KIND)
