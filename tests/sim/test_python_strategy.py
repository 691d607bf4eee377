"""Python strategies named as ``module:attr``: import, delegation to the ladder, errors.

Each test writes its strategy module into its own folder and works from there, so the
module is found exactly as a user's would be: from the working directory.
"""

from __future__ import annotations

import itertools
import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main
from sim.errors import ConfigError, StrategyError
from sim.experiments.execution import Run, execute
from sim.python_strategy import CheckedStrategy, strategy_for
from sim.scenario import Scenario
from sim.strategy import LadderStrategy

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count()

STRATEGIES = """
import numpy as np
from sim import DailyPlan


class BigFirst:
    '''Calls every early account twice a day, biggest balance first; keeps the ladder's
    letters, bureau, legal and agency.'''
    name = "big-first"
    delegate = ("letter", "bureau", "legal", "agency")

    def plan(self, view):
        plan = DailyPlan.empty(view)
        plan.call_attempts[(view.dpd >= 2) & (view.dpd <= 30)] = 2
        plan.priority[:] = view.balance
        return plan


class Extends:
    '''Starts from the ladder's own plan and adds nothing.'''
    name = "ladder-copy"

    def plan(self, view):
        return view.ladder_plan()


class Empty:
    name = "empty"

    def plan(self, view):
        return DailyPlan.empty(view)


class NeedsScenario:
    '''Built from the scenario: a class whose constructor takes it.'''
    def __init__(self, scenario):
        self.name = "built-" + scenario.name

    def plan(self, view):
        return view.ladder_plan()


class Raises:
    name = "raises"

    def plan(self, view):
        if view.day == 3:
            raise ZeroDivisionError("boom")
        return view.ladder_plan()


class UnknownAction:
    name = "unknown-action"

    def plan(self, view):
        plan = view.ladder_plan()
        plan.masks["carrier_pigeon"] = np.ones(len(view), bool)
        return plan


class TooManyCalls:
    name = "too-many"

    def plan(self, view):
        plan = view.ladder_plan()
        plan.call_attempts[:] = 19
        return plan


class WrongLength:
    name = "short"

    def plan(self, view):
        plan = view.ladder_plan()
        plan.priority = plan.priority[:-1]
        return plan


instance = BigFirst()
not_a_strategy = 42
"""


@pytest.fixture
def strategies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh strategy module in the working directory; yields its module name."""
    name = f"user_strategies_{next(_names)}"
    (tmp_path / f"{name}.py").write_text(STRATEGIES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield name
    sys.modules.pop(name, None)


def test_a_strategy_that_starts_from_the_ladder_plan_changes_nothing(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny()
    plain = sim.simulate(scenario, seed=4)
    extended = sim.simulate(scenario.with_overrides({"strategy.python": f"{strategies}:Extends"}),
                            seed=4)
    assert dict(extended.kpi_values) == dict(plain.kpi_values)


def test_delegated_channels_come_from_the_ladder(tiny: Callable[..., Scenario],
                                                 strategies: str) -> None:
    scenario = tiny(horizon__days=160)
    keeps = sim.simulate(scenario.with_overrides({"strategy.python": f"{strategies}:BigFirst"}),
                         seed=2)
    daily = keeps.daily
    # The ladder's letters (35, 95 DPD), filings (110) and placements (140) are kept.
    assert daily["sent_letter"].sum() > 0
    assert daily["legal_filed"].sum() > 0
    assert daily["placed_agency"].sum() > 0
    # Channels not delegated and not planned stop: no SMS, no robot calls.
    assert daily["sent_sms"].sum() == 0
    assert daily["robot_attempts"].sum() == 0
    empty = sim.simulate(scenario.with_overrides({"strategy.python": f"{strategies}:Empty"}),
                         seed=2)
    assert empty.daily["sent_letter"].sum() == 0
    assert empty.daily["agent_attempts"].sum() == 0


def test_an_object_a_class_taking_the_scenario_and_a_notebook_object_all_work(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny(horizon__days=10)
    plain = dict(sim.simulate(scenario, seed=1).kpi_values)
    built = scenario.with_overrides({"strategy.python": f"{strategies}:NeedsScenario"})
    assert strategy_for(built).name == "built-tiny"
    assert dict(sim.simulate(built, seed=1).kpi_values) == plain
    instance = scenario.with_overrides({"strategy.python": f"{strategies}:instance"})
    assert strategy_for(instance).name == "big-first"


@pytest.mark.parametrize(("attr", "day", "words"), [
    ("Raises", 3, "ZeroDivisionError: boom"),
    ("UnknownAction", 0, "unknown action 'carrier_pigeon'"),
    ("TooManyCalls", 0, "19 dial attempts"),
    ("WrongLength", 0, "plan.priority has shape"),
])
def test_a_failing_strategy_is_named_with_its_day(
        tiny: Callable[..., Scenario], strategies: str, attr: str, day: int, words: str) -> None:
    scenario = tiny(horizon__days=8).with_overrides({"strategy.python": f"{strategies}:{attr}"})
    with pytest.raises(StrategyError) as caught:
        sim.simulate(scenario, seed=0)
    assert caught.value.day == day
    assert f"{strategies}:{attr}" in str(caught.value)
    assert words in str(caught.value)


def test_the_contact_policy_check_is_off_when_the_run_measures_breaches(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny(horizon__days=5, compliance__enforce=False).with_overrides(
        {"strategy.python": f"{strategies}:TooManyCalls"})
    result = sim.simulate(scenario, seed=0)  # no StrategyError: the run dials as asked
    ladder = sim.simulate(tiny(horizon__days=5, compliance__enforce=False), seed=0)
    assert result.kpi_values["agent_attempts"] > ladder.kpi_values["agent_attempts"]


@pytest.mark.parametrize(("ref", "words"), [
    ("no_such_module_xyz:Thing", "cannot import module 'no_such_module_xyz'"),
    ("{m}:Missing", "has no attribute 'Missing'"),
    ("{m}:not_a_strategy", "not a strategy"),
])
def test_import_errors_name_the_key_and_what_was_expected(
        tiny: Callable[..., Scenario], strategies: str, ref: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        tiny().with_overrides({"strategy.python": ref.format(m=strategies)})
    (problem,) = caught.value.problems
    assert problem.key == "strategy.python"
    assert words in problem.message
    assert "module:attribute" in problem.expected


def test_a_malformed_reference_is_refused_by_the_schema(tiny: Callable[..., Scenario]) -> None:
    with pytest.raises(ConfigError) as caught:
        tiny().with_overrides({"strategy.python": "not a reference"})
    assert caught.value.problems[0].key == "strategy.python"


def test_delegate_must_name_real_channels(tiny: Callable[..., Scenario]) -> None:
    class Odd:
        name = "odd"
        delegate = ("letters",)

        def plan(self, view: object) -> object:
            raise AssertionError("never planned")

    with pytest.raises(StrategyError, match="unknown channels"):
        CheckedStrategy(Odd(), LadderStrategy(tiny()), None)


def test_python_strategy_runs_are_never_cached(tiny: Callable[..., Scenario], strategies: str,
                                               tmp_path: Path) -> None:
    scenario = tiny(horizon__days=5).with_overrides({"strategy.python": f"{strategies}:Extends"})
    cache = tmp_path / "cache"
    execute([Run(scenario, 0, 0)], cache=cache, workers=1, progress=False)
    assert not any(p.is_file() for p in cache.rglob("*"))
    execute([Run(tiny(horizon__days=5), 0, 0)], cache=cache, workers=1, progress=False)
    assert any(p.is_file() for p in cache.rglob("*"))


def test_process_workers_import_the_strategy_and_agree_with_one_process(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny(horizon__days=6).with_overrides({"strategy.python": f"{strategies}:BigFirst"})
    runs = [Run(scenario, 0, k) for k in range(4)]
    serial = execute(runs, workers=1, progress=False)
    pooled = execute(runs, workers=2, progress=False)
    assert json.dumps(pooled) == json.dumps(serial)  # NaN-aware: equal text, equal runs


@pytest.mark.slow
def test_dask_workers_import_the_strategy_by_name_and_agree(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny(horizon__days=6).with_overrides({"strategy.python": f"{strategies}:BigFirst"})
    runs = [Run(scenario, 0, k) for k in range(2)]
    serial = execute(runs, workers=1, progress=False)
    on_dask = execute(runs, workers=1, backend="dask", progress=False)
    assert json.dumps(on_dask) == json.dumps(serial)


def test_a_worker_failure_comes_back_as_the_strategy_error(
        tiny: Callable[..., Scenario], strategies: str) -> None:
    scenario = tiny(horizon__days=6).with_overrides({"strategy.python": f"{strategies}:Raises"})
    with pytest.raises(StrategyError, match="on day 3"):
        execute([Run(scenario, 0, k) for k in range(2)], workers=2, progress=False)


SMALL = """
inherit = "{base}"
name = "baseline"
[portfolio]
accounts = 300
daily_inflow = 10
[horizon]
days = 8
runoff = false
untreated_twin = false
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL.format(base=ROOT / "scenarios/sim/baseline.toml"), encoding="utf-8")
    return path


def test_cli_run_with_strategy_flag(small: Path, strategies: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small), "--strategy", f"{strategies}:BigFirst", "--out", str(out)]) == 0
    assert (out / "kpis.csv").is_file()


def test_cli_failure_exits_2_without_output_or_traceback(
        small: Path, strategies: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["compare", str(small), "--strategy", f"{strategies}:Raises", "-r", "2",
                 "--workers", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert f"{strategies}:Raises" in err and "day 3" in err and "boom" in err
    assert not out.exists()


def test_cli_bad_reference_names_the_flag(small: Path, strategies: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(small), "--strategy", f"{strategies}:Missing"]) == 2
    err = capsys.readouterr().err
    assert "--strategy" in err and "strategy.python" in err and "Missing" in err


def test_scenario_and_experiment_files_name_the_strategy(
        small: Path, strategies: str, tmp_path: Path) -> None:
    scenario_file = tmp_path / "mine.toml"
    scenario_file.write_text(f'inherit = "small.toml"\n[strategy]\npython = '
                             f'"{strategies}:BigFirst"\n', encoding="utf-8")
    assert sim.load_scenario(scenario_file).strategy.python == f"{strategies}:BigFirst"
    experiment = tmp_path / "exp.toml"
    experiment.write_text(textwrap.dedent(f"""
        name = "big-first-by-size"
        scenario = "small.toml"
        replications = 1
        strategy = "{strategies}:BigFirst"
        [grid]
        "staffing.teams.early.headcount" = [4, 8]
        """), encoding="utf-8")
    from sim.experiments.spec import load_experiment

    loaded = load_experiment(experiment)
    assert {s.strategy.python for s in loaded.scenarios} == {f"{strategies}:BigFirst"}
    assert main(["sweep", str(experiment), "--workers", "1"]) == 0
    experiment.write_text(experiment.read_text().replace(":BigFirst", ":Nope"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_experiment(experiment)
    assert caught.value.problems[0].key == "strategy"
    assert str(experiment) in caught.value.path


def test_the_untreated_twin_never_runs_the_strategy(tiny: Callable[..., Scenario],
                                                    strategies: str) -> None:
    scenario = tiny(horizon__days=6, horizon__untreated_twin=True).with_overrides(
        {"strategy.python": f"{strategies}:Raises"})
    from sim.engine import untreated

    assert untreated(scenario).strategy.python is None
    assert np.isfinite(sim.engine.untreated_money(scenario, 0, 0)["loss"])
