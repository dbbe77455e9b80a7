#!/usr/bin/env python3
"""Entry point: `python build.py [命令] [参数]` (see README.md)."""

import sys

from disclosure.cli import main

if __name__ == "__main__":
    sys.exit(main())
