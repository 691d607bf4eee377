"""Shared fixtures: small scenarios built in code, so engine tests run in fractions of a
second and say exactly what they depend on."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings

from sim.scenario import Scenario, validate_scenario

# Properties are checked for correctness, not speed (benchmarks/ measures speed): a
# per-example deadline only fails them at random when the two cores are busy.
settings.register_profile("recoverylab", deadline=None)
settings.load_profile("recoverylab")

TINY: dict[str, Any] = {
    "name": "tiny",
    "portfolio": {
        "accounts": 400,
        "daily_inflow": 12,
        "late_fee": 20,
        "industries": {"general": 0.5},
        "segments": {
            "card": {"share": 0.7, "balance": {"median": 6000}},
            "auto": {"share": 0.3, "balance": {"median": 30000}, "product": "secured",
                     "collateral_ratio": 0.8, "capacity": {"mean": 0.4}},
        },
    },
    "staffing": {
        "block_minutes": 30,
        "teams": {
            "early": {"stages": ["early"], "headcount": 3, "inbound_share": 0.34,
                      "shifts": [{"start": "08:00", "end": "14:00", "share": 0.5, "days": "all"},
                                 {"start": "13:00", "end": "21:00", "share": 0.5, "days": "all"}]},
            "mid": {"stages": ["mid"], "headcount": 2},
            "late": {"stages": ["late"], "headcount": 1},
        },
    },
    "strategy": {
        "ladder": [
            {"action": "sms", "on_dpd": [1, 5, 12]},
            {"action": "robot", "dpd_from": 2, "dpd_to": 8, "every_days": 2},
            {"action": "call", "stage": "early", "dpd_from": 2, "attempts_per_day": 3},
            {"action": "call", "stage": "mid", "attempts_per_day": 2},
            {"action": "restructure_offer", "dpd_from": 20, "dpd_to": 100},
            {"action": "letter", "on_dpd": [35, 95]},
            {"action": "bureau", "on_dpd": [40]},
            {"action": "field_visit", "stage": "mid", "trigger": "broken_promise"},
            {"action": "call", "stage": "late", "every_days": 2},
            {"action": "settlement_offer", "dpd_from": 120, "dpd_to": 179},
            {"action": "repossess", "on_dpd": [100]},
            {"action": "legal", "on_dpd": [110], "min_balance": 1000},
            {"action": "agency", "on_dpd": [140]},
        ],
    },
    "horizon": {"days": 40},
}
"""A 400-account book with every channel in use, three small teams, 40 days."""


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted key in nested dicts (lists by integer index)."""
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def build(base: dict[str, Any], **changes: Any) -> Scenario:
    """A validated scenario from ``base`` with dotted-key changes (``__`` for ``.``)."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        set_path(data, key.replace("__", "."), value)
    return validate_scenario(data, "<test>")


@pytest.fixture
def tiny() -> Callable[..., Scenario]:
    """Factory: ``tiny(horizon__days=20, compliance__pack="us")``."""
    return lambda **changes: build(TINY, **changes)


@pytest.fixture(autouse=True)
def _private_run_cache(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that cache runs by default write into a test folder, never the user's."""
    monkeypatch.setenv("RECOVERYLAB_CACHE", str(tmp_path_factory.mktemp("run-cache")))
