"""Run the command line with every file write slowed down, so that a test's kill lands between writes.

Test scaffolding only: `python tests/slow_writes.py build …` is `python -m disclosure build …`, except
that each file opened for writing waits 40 ms first, widening the moments between the writes of
one report's files, where a build killed without staging left a report half-updated.
"""

from __future__ import annotations

import builtins
import os
import sys
import time

DELAY = 0.04
_open = builtins.open
_fdopen = os.fdopen


def _slow_open(file, mode="r", *args, **kwargs):
    if any(flag in mode for flag in "wxa"):
        time.sleep(DELAY)
    return _open(file, mode, *args, **kwargs)


def _slow_fdopen(fd, mode="r", *args, **kwargs):
    if any(flag in mode for flag in "wxa"):
        time.sleep(DELAY)
    return _fdopen(fd, mode, *args, **kwargs)


if __name__ == "__main__":
    builtins.open = _slow_open
    os.fdopen = _slow_fdopen
    from disclosure.cli import main

    sys.exit(main(sys.argv[1:]))
