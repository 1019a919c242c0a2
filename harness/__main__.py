"""``python -m harness`` is ``instaview-harness``."""

import sys

from harness.cli import main

sys.exit(main())
