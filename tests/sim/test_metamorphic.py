"""Metamorphic tests: change one input in a known direction, check the output moves the
right way (seeded, so each is a fixed instance, not a statistical claim).

- More collectors dialling never give fewer right-party contacts. (Inbound seats are held
  fixed: more inbound promises could rightly mean fewer accounts left to dial.)
- A higher self-cure hazard never gives more charge-off. Without treatment this holds
  account by account, because each debtor's cure threshold is a common random number.

Treated, such claims hold on average rather than account by account; they are in
``test_metamorphic_economics.py`` with paired replications.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim.book import Book
from sim.scenario import Scenario


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_more_staff_never_fewer_contacts(tiny: Callable[..., Scenario], seed: int) -> None:
    contacts = []
    for early, mid in ((1, 1), (2, 2), (4, 4)):
        scenario = tiny(portfolio__accounts=1500, portfolio__daily_inflow=40,
                        staffing__teams__early__headcount=early,
                        staffing__teams__early__inbound_share=0.0,
                        staffing__teams__mid__headcount=mid, horizon__days=20)
        contacts.append(sim.simulate(scenario, seed=seed).kpi_values["contacts"])
    assert contacts == sorted(contacts)


def test_higher_cure_hazard_never_more_charge_off_untreated(
    tiny: Callable[..., Scenario],
) -> None:
    charged = []
    for scale in (0.5, 1.0, 2.0):
        scenario = tiny(strategy__ladder=[], portfolio__book={"early": 0, "mid": 0, "late": 1},
                        channels__inbound__spontaneous_rate=0.0, horizon__days=90,
                        behaviour__cure_hazard={"early": 0.03 * scale, "mid": 0.012 * scale,
                                                "late": 0.004 * scale})
        final: dict[str, np.ndarray] = {}

        def keep(day: int, book: Book, final: dict[str, np.ndarray] = final) -> None:
            final["charged"] = book.charged_off_amount > 0

        sim.simulate(scenario, seed=4, observer=keep)
        charged.append(final["charged"])
    # Account by account: whoever is charged off under a higher hazard was under a lower one.
    assert (charged[2] <= charged[1]).all() and (charged[1] <= charged[0]).all()
    assert charged[0].sum() > charged[2].sum()


def test_a_macro_shock_never_lowers_charge_off_untreated(tiny: Callable[..., Scenario]) -> None:
    """Capacity falls more in sensitive industries; untreated, every cure comes later."""
    outcomes = []
    for severity in (0.0, 0.6):
        scenario = tiny(strategy__ladder=[], channels__inbound__spontaneous_rate=0.0,
                        portfolio__book={"early": 0, "mid": 0.5, "late": 0.5},
                        portfolio__industries={"general": 0.9}, horizon__days=90,
                        portfolio__shock={"start_day": 0, "severity": severity})
        final: dict[str, np.ndarray] = {}

        def keep(day: int, book: Book, final: dict[str, np.ndarray] = final) -> None:
            final["charged"] = book.charged_off_amount > 0

        sim.simulate(scenario, seed=3, observer=keep)
        outcomes.append(final["charged"])
    assert (outcomes[0] <= outcomes[1]).all() and outcomes[1].sum() > outcomes[0].sum()
