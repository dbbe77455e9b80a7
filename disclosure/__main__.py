"""`python -m disclosure`: the same command line as build.py and the `disclosure` command."""

import sys

from .cli import main

sys.exit(main())
