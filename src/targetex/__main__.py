"""``python -m targetex``: the command line."""

import sys

from targetex.cli import main

sys.exit(main())
