"""Shared test set-up: run every test from the repository root, so messages show short paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages print paths relative to the working folder; pin it to the repository root."""
    monkeypatch.chdir(ROOT)
