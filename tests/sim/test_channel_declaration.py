"""Adding a channel is one declaration: this file adds a chat-message channel without
touching the simulator, and its cost, counts and strategy action follow."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import sim
from sim import channels as chn
from sim.errors import ConfigError
from sim.ledger import CostLine, Count
from sim.scenario import Scenario

Tiny = Callable[..., Scenario]

READ = Count("chat_read")
"""Messages the debtor opened (a count of the new channel's own)."""


def read_some(batch: object, accounts: np.ndarray, day: int) -> None:
    opened = accounts[batch.rng.random(accounts.shape[0]) < 0.5]  # type: ignore[attr-defined]
    batch.count(READ, opened.shape[0])  # type: ignore[attr-defined]


CHAT = chn.Channel("chat", "batch", CostLine("chat"), counts=(READ,),
                   unit_cost=lambda scenario: 0.25, apply=read_some)


@pytest.fixture
def chat() -> Iterator[chn.Channel]:
    chn.register(CHAT)
    yield CHAT
    chn.unregister(CHAT)


def with_chat(tiny: Tiny) -> Scenario:
    base = tiny()
    ladder = [rung.model_dump(exclude_defaults=True) for rung in base.strategy.ladder]
    return tiny(strategy__ladder=[*ladder, {"action": "chat", "on_dpd": [2, 6, 9]}])


def test_a_declared_channel_is_costed_counted_and_planned(tiny: Tiny, chat: chn.Channel) -> None:
    plain = sim.simulate(tiny(), seed=7)
    chatty = sim.simulate(with_chat(tiny), seed=7)
    daily = chatty.daily
    sent = daily["sent_chat"].sum()
    assert sent > 0
    assert 0 < daily["chat_read"].sum() < sent
    assert daily["cost_chat"].sum() == pytest.approx(0.25 * sent)
    # The channel touches nothing else here (its draws come from its own stream), so
    # its cost is exactly what it adds to total_cost.
    added = chatty.kpi_values["total_cost"] - plain.kpi_values["total_cost"]
    assert added == pytest.approx(daily["cost_chat"].sum())
    assert chatty.kpi_values["collected"] == plain.kpi_values["collected"]
    assert chatty.meta["ledger"]["cost_chat"] == round(daily["cost_chat"].sum() * 100)


def test_an_undeclared_action_is_refused_with_the_declared_ones(tiny: Tiny) -> None:
    with pytest.raises(ConfigError) as caught:
        with_chat(tiny)
    text = caught.value.render()
    assert "unknown action 'chat'" in text and "sms" in text


def test_a_channel_may_only_book_what_it_declares(tiny: Tiny) -> None:
    def sneaky(batch: object, accounts: np.ndarray, day: int) -> None:
        batch.count(Count("contacts"), accounts.shape[0])  # type: ignore[attr-defined]

    rogue = chn.register(chn.Channel("rogue", "batch", CostLine("rogue"),
                                     unit_cost=lambda scenario: 0.0, apply=sneaky))
    try:
        base = tiny()
        ladder = [rung.model_dump(exclude_defaults=True) for rung in base.strategy.ladder]
        scenario = tiny(strategy__ladder=[*ladder, {"action": "rogue", "on_dpd": [2]}])
        with pytest.raises(KeyError, match="does not declare 'contacts'"):
            sim.simulate(scenario, seed=1)
    finally:
        chn.unregister(rogue)


def test_names_are_declared_once() -> None:
    with pytest.raises(ValueError, match="already declared"):
        chn.register(chn.Channel("sms", "batch", CostLine("sms2"),
                                 unit_cost=lambda scenario: 0.0))


@pytest.mark.parametrize("module", ["sim.calendar", "sim.kpis", "sim.scenario", "sim.floor",
                                    "sim.channels", "sim.stages"])
def test_modules_on_the_declaration_path_import_first(module: str) -> None:
    """The scenario's strategy spec reads the channel declarations while sim.scenario is
    imported, so the declarations must not import anything that imports the scenario."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_messages_and_letters_run_from_their_declarations() -> None:
    """SMS, e-mail and letters run through the same generic code as an added channel:
    cost, pressure, complaint risk, callbacks and the letter's days in the post come
    from the declaration, not from the morning's code."""
    assert {chn.SMS, chn.EMAIL, chn.LETTER} <= set(chn.generic_built_ins())
    assert all(c.unit_cost is not None and c.apply is not None for c in chn.generic_built_ins())
    source = (Path(sim.__file__).parent / "morning.py").read_text(encoding="utf-8")
    for name in ("sms", "email", "letter"):
        for mention in (f"chn.{name.upper()}", f"channels.{name}", f"ch.{name}",
                        f'masks["{name}"]'):
            assert mention not in source


def test_a_posted_channel_works_what_arrives(tiny: Tiny) -> None:
    """A letter is costed when sent and read when it arrives: with a delivery time
    longer than the run nothing arrives, so letters cost money and prompt no callback."""
    base = tiny()
    never = tiny(channels__letter__delivery_days=base.horizon.days + 1,
                 channels__sms__callback_rate=0.0, channels__email__callback_rate=0.0,
                 channels__inbound__spontaneous_rate=0.0)
    daily = sim.simulate(never, seed=4).daily
    assert daily["sent_letter"].sum() > 0 and daily["cost_letters"].sum() > 0
    assert daily["inbound_prompted"].sum() == 0
    soon = never.with_overrides({"channels.letter.delivery_days": 1})
    assert sim.simulate(soon, seed=4).daily["inbound_prompted"].sum() > 0


def test_an_added_channel_cannot_borrow_another_stream() -> None:
    with pytest.raises(ValueError, match="its own stream"):
        chn.register(chn.Channel("borrow", "batch", CostLine("borrow"),
                                 unit_cost=lambda scenario: 0.0, stream="callbacks"))
