"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# .ci/run sets REQUIRE_TOOLS=1 so that a missing browser fails the run instead of skipping tests.
REQUIRED = os.environ.get("REQUIRE_TOOLS") == "1"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_chromium() -> str:
    """Return the browser path, or skip (fail under REQUIRE_TOOLS=1) when it is not installed."""
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("没有安装 chromium（.ci/run 会安装 Debian 的 chromium 包）")
        pytest.skip("没有安装 chromium")
    return CHROMIUM


@contextmanager
def browser():
    """Start headless Chromium once for a group of tests."""
    path = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()
