"""Strict, finite, bounded scenario files: each finding of the robustness review as a test.

Every case edits one line of a shipped file and checks the loader refuses it with the
file and key named, instead of running with a silent conversion or crashing later.
"""

from __future__ import annotations

import math
import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, BeforeValidator, Strict

from sim.errors import ConfigError
from sim.limits import raised
from sim.scenario.root import Scenario, load_scenario
from sim.targets import is_met

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "sim" / "baseline.toml"


def edited(tmp_path: Path, key: str, value: str, source: Path = BASELINE) -> Path:
    """A copy of ``source`` with the first ``key = ...`` line set to ``value``."""
    text = source.read_text(encoding="utf-8")
    pattern = re.compile(rf"^({re.escape(key)}\s*=\s*).*$", re.M)
    assert pattern.search(text), f"{key} not in {source.name}"
    out = tmp_path / source.name
    out.write_text(pattern.sub(lambda m: m.group(1) + value, text, count=1), encoding="utf-8")
    return out


def refused(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    return info.value


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("hourly_cost", "inf", "staffing.teams.early.hourly_cost"),
        ("late_fee", "inf", "portfolio.late_fee"),
        ("late_fee", "1e400", "portfolio.late_fee"),
        ("late_fee", "nan", "portfolio.late_fee"),
        ("daily_inflow", "inf", "portfolio.daily_inflow"),
        ("accounts", "true", "portfolio.accounts"),
        ("accounts", '"14"', "portfolio.accounts"),
        ("accounts", "14.0", "portfolio.accounts"),
        ("enforce", '"yes"', "compliance.enforce"),
        ("enforce", "1", "compliance.enforce"),
    ],
)
def test_non_finite_and_loosely_typed_values_are_refused(
    tmp_path: Path, key: str, value: str, where: str
) -> None:
    error = refused(edited(tmp_path, key, value))
    assert error.path == str(tmp_path / "baseline.toml")
    assert [p.key for p in error.problems] == [where]


@pytest.mark.parametrize(
    ("override", "where"),
    [
        ({"behaviour": {"promise": {"ptp_rate": {"early": 1.5, "mid": 0.3, "late": 0.2}}}},
         "behaviour.promise.ptp_rate.early"),
        ({"behaviour": {"cure_hazard": {"early": 5.0, "mid": 0.01, "late": 0.001}}},
         "behaviour.cure_hazard.early"),
        ({"behaviour": {"contact": {"agent": {"early": 3.0, "mid": 0.2, "late": 0.1}}}},
         "behaviour.contact.agent.early"),
        ({"behaviour": {"contact": {"hour_profile": [math.nan] * 24}}},
         "behaviour.contact.hour_profile[0]"),
        ({"portfolio": {"segments": {"prime": {"promise_shift": math.nan}}}},
         "portfolio.segments.prime.promise_shift"),
        ({"portfolio": {"segments": {"prime": {"capacity": {"mean": 0.6,
                                                            "concentration": math.inf}}}}},
         "portfolio.segments.prime.capacity.concentration"),
        ({"targets": {"complaints_per_1000": math.nan}}, "targets.complaints_per_1000"),
        # An empty list of days passed validation, then crashed the run (found by fuzzing).
        ({"strategy": {"ladder": [{"action": "sms", "on_dpd": []}]}},
         "strategy.ladder[0].on_dpd"),
    ],
)
def test_rates_out_of_range_or_not_finite_are_refused(
    override: dict[str, object], where: str
) -> None:
    from sim.files import read_toml
    from sim.scenario.root import _merge, validate_scenario

    data = _merge(read_toml(BASELINE), override)
    with pytest.raises(ConfigError) as info:
        validate_scenario(data, "x.toml")
    assert where in [p.key for p in info.value.problems]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("accounts", "1000000000000", "227.4 TiB of memory"),
        ("accounts", str(2**63 - 1), "9,223,372,036,854,775,807 accounts"),
        ("headcount", "1000000000", "--limit headcount=N"),
        ("daily_inflow", "1e12", "--limit inflow=N"),
    ],
)
def test_sizes_above_their_ceiling_name_the_cost_and_the_flag(
    tmp_path: Path, key: str, value: str, words: str
) -> None:
    error = refused(edited(tmp_path, key, value))
    assert words in error.render()


def test_a_ceiling_can_be_raised_on_purpose(tmp_path: Path) -> None:
    path = edited(tmp_path, "accounts", "1500000")
    assert "--limit accounts=N" in refused(path).render()
    with raised(accounts=2_000_000):
        assert load_scenario(path).portfolio.accounts == 1_500_000


def test_the_whole_run_counts_toward_the_book_ceiling(tmp_path: Path) -> None:
    # 40,000 a day is under the inflow ceiling, but 180 days of it is a 7.2m-account book.
    error = refused(edited(tmp_path, "daily_inflow", "40000"))
    assert "portfolio.daily_inflow" in [p.key for p in error.problems]
    assert "accounts over the run" in error.render()


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_a_non_finite_value_never_meets_a_target(value: float) -> None:
    assert not is_met("cost_per_collected", 0.5, value)
    assert not is_met("recovery_1_30", 0.5, value)
    assert not is_met("recovery_1_30", value, 0.5)


# -- every number in every scenario table goes through the strict aliases ----------------
def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo += [t for t in _walk(info.annotation) if isinstance(t, type)
                     and issubclass(t, BaseModel)]
    return seen


def _walk(annotation: object) -> typing.Iterator[object]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _walk(arg)


_STRICT = {"_number", "_integer", "_boolean"}


def _is_strict(metadata: typing.Iterable[object]) -> bool:
    for item in metadata:
        if isinstance(item, BeforeValidator) and getattr(item.func, "__name__", "") in _STRICT:
            return True
        if isinstance(item, Strict) or getattr(item, "strict", None) is True:
            return True
    return False


def _bare(annotation: object, metadata: typing.Sequence[object] = ()) -> list[str]:
    """Plain ``int``/``float``/``bool`` reached without one of the strict aliases."""
    if annotation in (int, float, bool):
        return [] if _is_strict(metadata) else [annotation.__name__]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _bare(inner, [*metadata, *more])
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        return [bad for arg in typing.get_args(annotation) for bad in _bare(arg)]
    return []


def test_no_scenario_field_is_a_bare_number_or_boolean() -> None:
    """New fields must use Finite/Probability/Hazard/Money/Count/Flag from sim.scenario.base,
    or numbers in files are coerced loosely again (true -> 1, "14" -> 14, inf accepted)."""
    loose = [
        f"{model.__name__}.{name}: {', '.join(bad)}"
        for model in _models(Scenario)
        for name, info in model.model_fields.items()
        if (bad := _bare(info.annotation, info.metadata))
    ]
    assert loose == []


def test_the_limit_flag_raises_a_ceiling_for_one_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli import main
    from sim.limits import ceiling

    path = edited(tmp_path, "accounts", "1500000")
    assert main(["validate", str(path)]) == 2
    assert "--limit accounts=N" in capsys.readouterr().err
    with raised():  # restores the ceilings the command raises
        assert main(["validate", str(path), "--limit", "accounts=2000000"]) == 0
    assert ceiling("accounts") == 1_000_000


@pytest.mark.parametrize("setting", ["accounts", "accounts=-1", "nosuch=5", "days=40000"])
def test_a_malformed_limit_is_a_usage_error(
    setting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli import main

    assert main(["validate", str(BASELINE), "--limit", setting]) == 2
    assert "--limit" in capsys.readouterr().err


def test_too_many_replications_on_the_command_line_are_refused(
    capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli import main

    other = BASELINE.with_name("understaffed.toml")
    assert main(["compare", str(BASELINE), str(other), "-r", "1000000000"]) == 2
    assert "--limit replications=N" in capsys.readouterr().err
