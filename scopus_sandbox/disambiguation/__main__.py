"""`python -m scopus_sandbox.disambiguation`: the offline cluster tool, without Django."""

import sys

from scopus_sandbox.disambiguation.run import main

sys.exit(main())
