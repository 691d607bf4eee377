"""Shared pytest fixtures for the trainer-engine tests."""

from __future__ import annotations

import pytest
from engine_support import FIXTURE_FILE

from trainer.engine import Scenario, load_scenario


@pytest.fixture(scope="session")
def drill() -> Scenario:
    """The small en-US fixture drill, loaded once (scenarios are immutable)."""
    return load_scenario(FIXTURE_FILE)
