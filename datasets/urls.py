"""Datasets: the public list and pages, the researcher's own list and forms, the queue."""

from datasets.kind import KIND
from portal.views.validated import urls_for

app_name = "datasets"

urlpatterns = urls_for(KIND)
