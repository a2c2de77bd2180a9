"""Names the integration tests share: the demo researcher's iD and the portal's ORCID client."""

from __future__ import annotations

CHRIS_ORCID = "0000-0000-0000-0001"
PORTAL_CLIENT_ID = "APP-SCHOLARHUBDEMO01"
