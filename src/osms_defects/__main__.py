"""``python -m osms_defects`` runs the command line."""

import sys

from .cli import main

sys.exit(main())
