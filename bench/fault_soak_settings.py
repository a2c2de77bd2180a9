"""Settings for bench/fault_soak.py: the project's settings, plus the knobs the soak turns.

ORCID_TIMEOUT_SECONDS shortens the portal's ORCID read timeout so the sandbox's slow answers
become timeouts; ORCID_SANDBOX_REFUSE_TEXT makes the sandbox refuse, as a whole, every write
whose document holds that text.
"""

import os

from config.settings import *  # noqa: F403 - these settings are the project's, plus two

ORCID_TIMEOUT_SECONDS = float(os.environ.get("ORCID_TIMEOUT_SECONDS", "20"))
ORCID_SANDBOX_REFUSE_TEXT = os.environ.get("ORCID_SANDBOX_REFUSE_TEXT", "")
