"""The notebook helpers of one run: money formatting, the stage-flow chain, scaled-down
scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim
from sim import style
from sim.flow import plot_stage_flow, stage_flow
from sim.quick import scaled, with_floor

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "sim" / "baseline.toml"


@pytest.mark.parametrize(("value", "currency", "text"), [
    (1_234_567.0, "CNY", "CN¥1.23m"),
    (-45_600.0, "USD", "-US$45.6k"),
    (980.0, "GBP", "£980"),
    (2.5e9, "EUR", "€2.5bn"),
    (12.0, "JPY", "JP¥12"),
    (12.0, "CAD", "CAD 12"),
    (math.nan, "CNY", "-"),
])
def test_money_reads_like_a_deck(value: float, currency: str, text: str) -> None:
    assert style.money(value, currency) == text


def test_money_ticks_use_the_currency() -> None:
    formatter = style.money_formatter("CNY")
    assert formatter(3_000_000, 0) == "CN¥3m"
    assert formatter(0, 0) == "0"


def test_stage_flow_chains_the_roll_rates() -> None:
    kpis = {"roll_1_30_to_31_90": 0.2, "roll_31_90_to_90_plus": 0.5,
            "roll_90_plus_to_writeoff": 0.6}
    table = stage_flow(kpis)
    assert table["entering"].tolist() == pytest.approx([1000, 200, 100])
    assert table["rolled_on"].tolist() == pytest.approx([200, 100, 60])
    assert (table["resolved"] + table["rolled_on"]).tolist() == pytest.approx(
        table["entering"].tolist())
    assert table["outcome"].iloc[-1] == "charged off"


def test_an_unobserved_rate_blanks_everything_downstream() -> None:
    table = stage_flow({"roll_1_30_to_31_90": 0.2, "roll_31_90_to_90_plus": math.nan,
                        "roll_90_plus_to_writeoff": 0.6})
    assert not math.isnan(table["rolled_on"].iloc[0])
    assert table["rolled_on"].iloc[1:].isna().all()
    fig = plot_stage_flow({"roll_1_30_to_31_90": 0.2})  # draws, with a note, never raises
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("not observed" in t for t in texts)


def test_scaled_keeps_the_operation_in_proportion() -> None:
    base = sim.load_scenario(BASELINE)
    small = scaled(base, 0.25, days=90)
    assert small.portfolio.accounts == round(base.portfolio.accounts * 0.25)
    assert small.horizon.days == 90
    for name, team in base.staffing.teams.items():
        assert small.staffing.teams[name].headcount == max(1, round(team.headcount * 0.25))
    assert scaled(base, 0.01).staffing.teams["late"].headcount == 1
    with pytest.raises(ValueError, match="share"):
        scaled(base, 0)


def test_kpi_labels_read_like_the_deck() -> None:
    assert style.label("recovery_1_30") == "recovery 1-30"
    assert style.label("recovery_90_plus") == "recovery 90+"
    assert style.label("net_charge_off") == "net charge off"


def test_with_floor_changes_only_the_teams() -> None:
    base = sim.load_scenario(BASELINE)
    lean = with_floor(base, 2 / 3)
    assert lean.portfolio == base.portfolio
    assert [t.headcount for t in lean.staffing.teams.values()] == [
        max(1, round(t.headcount * 2 / 3)) for t in base.staffing.teams.values()]
    with pytest.raises(ValueError, match="positive"):
        with_floor(base, 0)


def test_a_leaner_floor_that_rounds_to_today_is_refused() -> None:
    """A team of one cannot lose a third: the comparison would be of two equal floors."""
    tiny = scaled(sim.load_scenario(BASELINE), 0.1)
    assert [t.headcount for t in tiny.staffing.teams.values()] == [1, 1, 1]
    with pytest.raises(ValueError, match="rounds to the same floor"):
        with_floor(tiny, 2 / 3)
    four = scaled(sim.load_scenario(BASELINE), 0.25)
    assert with_floor(four, 2 / 3).staffing != four.staffing
