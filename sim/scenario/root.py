"""The whole scenario: portfolio, calendar, behaviour, channels, strategy, staffing,
compliance, targets and horizon -- frozen data that :func:`sim.simulate` runs.

Describe, then run: a scenario is never mutated. Variants for experiments are built with
:meth:`Scenario.with_overrides` (dotted key paths, validated like a file), and
:meth:`Scenario.fingerprint` identifies a scenario's exact content for caches.

Checks that span tables (shares summing to 1, a strategy naming a team that does not
exist, a scenario loosening its rule pack) run after the field checks and report the
exact key path with a did-you-mean, through the shared :mod:`sim.errors` machinery.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from sim.errors import ConfigError, Problem, suggest, validate
from sim.files import read_toml, referenced
from sim.kpi_catalogue import CATALOGUE
from sim.limits import ceiling, over
from sim.scenario.base import Count, Finite, Flag, Integer, Spec, TimeOfDay, minutes, sized
from sim.scenario.behaviour_spec import Behaviour
from sim.scenario.calendar_spec import CalendarSpec
from sim.scenario.channels import Channels
from sim.scenario.portfolio import Portfolio
from sim.scenario.staffing import Staffing
from sim.scenario.strategy_spec import StrategySpec

SHARE_TOLERANCE = 1e-6
TARGET_CEILING = 1e15
"""Largest target in absolute value (money KPIs summed over a whole book stay below it)."""
STAGE_ENDS = {"early": (1, 30), "mid": (31, 90)}
"""DPD ranges of the first two stages; late runs from 91 to the day before write-off."""


class ComplianceSpec(Spec):
    """Which rule pack governs contact, optional stricter limits, and whether to enforce."""

    pack: str = "cn"
    """Shipped rule pack name (``cn``, ``us``, ``uk``) or a path to a pack file (relative
    to the scenario file that names it)."""
    enforce: Flag = True
    """Enforce the pack's contact policy; ``false`` dials as the strategy says and counts
    every breach, to measure what a non-compliant strategy would do."""
    window_start: TimeOfDay | None = None
    """Later start of the contact window (debtor local time); may only tighten."""
    window_end: TimeOfDay | None = None
    """Earlier end of the contact window; may only tighten."""
    max_attempts_per_day: Integer | None = Field(default=None, ge=1)
    """Stricter daily attempt cap."""
    attempts_count: Literal["all", "unanswered"] | None = None
    """``all`` to count every attempt toward the daily cap (stricter than ``unanswered``)."""
    max_connected_per_day: Integer | None = Field(default=None, ge=1)
    """Stricter cap on connected calls per day."""
    max_attempts_in_days: Integer | None = Field(default=None, ge=1)
    """Stricter rolling cap on attempts..."""
    attempts_window_days: Integer | None = Field(default=None, ge=1)
    """...over this many consecutive days."""
    quiet_days_after_conversation: Integer | None = Field(default=None, ge=1)
    """Longer quiet period after a conversation."""

    def tightening(self) -> dict[str, object]:
        """The stricter values as :class:`sim.rules.ContactPolicy` fields."""
        out: dict[str, object] = {}
        if self.window_start is not None:
            out["window_start_minute"] = minutes(self.window_start)
        if self.window_end is not None:
            out["window_end_minute"] = minutes(self.window_end)
        for name in (
            "max_attempts_per_day",
            "attempts_count",
            "max_connected_per_day",
            "max_attempts_in_days",
            "attempts_window_days",
            "quiet_days_after_conversation",
        ):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


class Horizon(Spec):
    """How long to simulate and how much of the start to ignore."""

    days: Annotated[Integer, Field(ge=1), sized("days")] = 180
    """Simulated days."""
    warmup_days: Count = 0
    """Days excluded from cohort KPIs and daily totals while the book settles."""
    runoff: Flag = True
    """Follow the measured cohorts (accounts entering collections from the warm-up day
    to the horizon) past the horizon, with no new inflow and the same strategy and
    floor, until every one of them has cured, closed, settled or been charged off and
    no judgment or collateral sale is pending. Without it, balances still open at the
    horizon count as lost (an upper bound), so loss cannot be hidden past the horizon."""
    runoff_max_days: Integer = Field(default=720, ge=0, le=3650)
    """Ceiling on run-off days; balances still open there count as lost (reported in
    the run's ``meta["runoff_open"]``)."""
    untreated_twin: Flag = True
    """Also run the untreated twin (same book, same seed, no ladder, no staff) for
    ``loss_avoided``, ``net_benefit`` and ``benefit_cost_ratio``. It has no floor, so it
    costs a fraction of the treated run; without it those KPIs are NaN."""
    writeoff_tail: Literal["value", "simulate"] = "value"
    """How the post-write-off recovery tail (``channels.writeoff.tail_days``) is counted
    once the cohorts are resolved: ``value`` adds its expected amount in closed form
    (see :func:`sim.kpis.tail_value`); ``simulate`` keeps running until every charged-off
    cohort account has had its whole tail (slower; used to test the valuation)."""
    redefault_risk: Literal["value", "simulate"] = "value"
    """How the re-default risk of measured cohort accounts that cured is counted past the
    horizon: ``value`` draws no re-default after the horizon and adds each cured
    account's expected re-default loss over the rest of its window in closed form (see
    :func:`sim.runoff.redefault_chance` and :func:`sim.runoff.share_after_redefault`);
    ``simulate`` keeps running until every cure's window has passed and every account
    that re-defaulted is resolved again (slower; used to test the valuation)."""


class Scenario(Spec):
    """A complete, validated description of one collections what-if."""

    name: str = Field(min_length=1)
    """Short name (the file stem if not given)."""
    inherit: str | None = None
    """A base scenario whose tables this file overrides: a file relative to this one, or
    a shipped scenario's name (``"baseline"``). Tables merge key by key, lists are
    replaced whole. Resolved by the loader."""
    description: str = ""
    """One or two sentences for people browsing scenarios."""
    portfolio: Portfolio
    """The delinquent book and its inflow."""
    calendar: CalendarSpec = CalendarSpec()
    """Business days, holidays and time zones."""
    behaviour: Behaviour = Behaviour()
    """Debtor response model."""
    channels: Channels = Channels()
    """Channels and their costs."""
    strategy: StrategySpec = StrategySpec()
    """Treatment ladder and worklist rule."""
    staffing: Staffing
    """Collector teams."""
    compliance: ComplianceSpec = ComplianceSpec()
    """Rule pack and enforcement."""
    targets: dict[str, Annotated[Finite, Field(ge=-TARGET_CEILING, le=TARGET_CEILING)]] = Field(
        default_factory=dict)
    """Scorecard targets by KPI name (direction implied by the KPI)."""
    horizon: Horizon = Horizon()
    """Run length and warm-up."""

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> Scenario:
        problems = cross_checks(self)
        if problems:
            sink = info.context.get("problems") if isinstance(info.context, dict) else None
            if isinstance(sink, list):
                sink.extend(problems)
            else:
                raise ValueError("; ".join(f"{p.key}: {p.message}" for p in problems))
        return self

    # -- derived views -----------------------------------------------------------------
    def stage_range(self, stage: str) -> tuple[int, int]:
        """Inclusive DPD range of ``early``, ``mid`` or ``late``."""
        if stage == "late":
            return 91, self.channels.writeoff.dpd - 1
        return STAGE_ENDS[stage]

    def contact_policy(self) -> Any:
        """The rule pack's :class:`sim.rules.ContactPolicy`, tightened by this scenario."""
        from sim.rules import load_rule_pack

        policy = load_rule_pack(self.compliance.pack).contact_policy()
        extra = self.compliance.tightening()
        tighten: Any = policy.tightened
        return tighten(key_prefix="compliance", **extra) if extra else policy

    def with_overrides(self, overrides: Mapping[str, object]) -> Scenario:
        """A copy with values replaced at dotted key paths, validated like a file.

        ``{"staffing.teams.early.headcount": 12, "strategy.ladder[0].every_days": 2}``.
        A path that does not exist raises :class:`ConfigError` with the nearest key.
        """
        data = self.model_dump(mode="json")
        source = f"<overrides of scenario {self.name!r}>"
        problems: list[Problem] = []
        for path, value in overrides.items():
            problem = _set_path(data, path, value)
            if problem is not None:
                problems.append(problem)
        if problems:
            raise ConfigError(source, problems)
        return validate_scenario(data, source)

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON of the scenario: equal content, equal fingerprint."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def validate_scenario(data: Mapping[str, Any], source: str | Path | None) -> Scenario:
    """Validate a scenario mapping; every problem (field or cross-table) in one ConfigError.

    A broken rule pack named by ``compliance.pack`` is reported against the pack file,
    noting that this scenario referenced it.
    """
    sink: list[Problem] = []
    with referenced(source or "<in-memory>", "compliance.pack"):
        scenario = validate(Scenario, data, source, context={"problems": sink})
    if sink:
        raise ConfigError(source, sink)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario: a TOML file, or a shipped name (``"baseline"``).

    The name defaults to the file stem. A file with ``inherit = "baseline.toml"`` starts
    from that file and changes only what it states (a strategy variant is then a few
    lines); ``inherit = "baseline"`` names the shipped one. A problem that comes from an
    inherited file is reported against that file and its key. A rule pack given as a
    path is found relative to the file that names it.
    """
    from sim import shipped

    file = shipped.resolve("scenario", path)
    path = file  # errors name the file a shipped name stands for
    chain = _read_chain(file)
    data: dict[str, Any] = {}
    for link in reversed(chain):
        layer = dict(link.data)
        if link is not chain[0]:
            for own in ("name", "description"):
                layer.pop(own, None)
        data = _merge(data, layer)
    data.setdefault("name", file.stem)
    try:
        return validate_scenario(data, path)
    except ConfigError as exc:
        if exc.path != str(path):
            raise
        raise _blame(exc, chain) from None


@dataclass(frozen=True)
class _Link:
    """One file of an inheritance chain, as read (after pack paths are resolved)."""

    file: Path
    data: dict[str, Any]
    referenced_by: tuple[str, str] | None


def _read_chain(file: Path) -> list[_Link]:
    """The file and the files it inherits from, child first."""
    chain: list[_Link] = []
    seen: list[Path] = []
    current, by = file, None
    while True:
        if by is None:
            data = read_toml(current)
        else:
            with referenced(*by):
                data = read_toml(current)
        _resolve_pack_path(data, current)
        chain.append(_Link(current, data, by))
        seen.append(current.resolve())
        base = data.get("inherit")
        if base is None:
            return chain
        if not isinstance(base, str):
            raise ConfigError(current, [Problem("inherit", "not a file name", base,
                                                "a scenario file name, e.g. \"baseline.toml\"")])
        base_file = _base_file(current, base)
        if base_file.resolve() in seen:
            raise ConfigError(current, [Problem("inherit", "scenarios inherit from each other "
                                                "in a circle", base, "a chain that ends")])
        if len(chain) >= MAX_INHERIT_DEPTH:
            raise ConfigError(current, [Problem("inherit", "inheritance chain is too long", base,
                                                f"at most {MAX_INHERIT_DEPTH} files")])
        current, by = base_file, (str(current), "inherit")


def _base_file(file: Path, base: str) -> Path:
    """The file ``inherit`` names: a file beside this one first, else a shipped scenario.

    So ``inherit = "baseline"`` (or ``"baseline.toml"``) in a file anywhere on disk
    starts from the shipped baseline unless a ``baseline.toml`` sits next to it.
    """
    from sim import shipped

    beside = file.parent / base
    for candidate in (beside, beside.with_name(beside.name + ".toml")):
        if candidate.exists():
            # Named as written (not resolve()d): messages name the file the user wrote.
            return Path(os.path.abspath(candidate))
    if "/" not in base and "\\" not in base:
        found = shipped.shipped("scenario", base)
        if found is not None:
            return Path(os.path.abspath(found))
    siblings = [p.name for p in file.parent.glob("*.toml")]
    names = shipped.names("scenario")
    raise ConfigError(file, [Problem(
        "inherit", "base file not found", base,
        "a scenario file next to this one, or a shipped scenario: " + ", ".join(names),
        suggest(base, siblings) or suggest(base.removesuffix(".toml"), names))])


MAX_INHERIT_DEPTH = 16
"""Longest chain of ``inherit`` files (shipped variants use one level)."""


def _resolve_pack_path(data: dict[str, Any], file: Path) -> None:
    # A pack path means the same file wherever the scenario is run from.
    compliance = data.get("compliance")
    if not isinstance(compliance, dict):
        return
    pack = compliance.get("pack")
    if isinstance(pack, str) and ("/" in pack or "\\" in pack or pack.endswith(".toml")):
        # abspath, not resolve(): a pack reached through a symlink keeps the name written.
        compliance["pack"] = os.path.abspath(file.parent / pack)


def _blame(exc: ConfigError, chain: list[_Link]) -> ConfigError:
    """Report each problem against the file in the chain that wrote its key."""
    if len(chain) == 1:
        return exc
    by_file: dict[int, list[Problem]] = {}
    for problem in exc.problems:
        owner = next((i for i, link in enumerate(chain) if _has_key(link.data, problem.key)), 0)
        by_file.setdefault(owner, []).append(problem)
    owner = 0 if 0 in by_file else min(by_file)
    link = chain[owner]
    return ConfigError(link.file, by_file[owner], link.referenced_by)


def _has_key(data: Mapping[str, Any], key: str) -> bool:
    """Whether a dotted key path (``a.b[0].c``) is written in ``data``."""
    node: Any = data
    for index, name in _TOKEN.findall(key.split(": ")[-1]):
        if index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        elif name and isinstance(node, Mapping) and name in node:
            node = node[name]
        else:
            return False
    return bool(key)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (numbers, lists) is replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


# -- cross-table checks ----------------------------------------------------------------
def cross_checks(s: Scenario) -> list[Problem]:
    """Problems no single field can see; each with an exact key path."""
    out: list[Problem] = []
    out += _portfolio_checks(s)
    out += _calendar_checks(s)
    out += _staffing_checks(s)
    out += _strategy_checks(s)
    out += _target_checks(s)
    if s.horizon.warmup_days >= s.horizon.days:
        out.append(
            Problem("horizon.warmup_days", "warm-up is as long as the run", s.horizon.warmup_days,
                    f"fewer than horizon.days ({s.horizon.days})")
        )
    if s.channels.writeoff.dpd <= 91:
        out.append(
            Problem("channels.writeoff.dpd", "write-off must come after the late stage starts",
                    s.channels.writeoff.dpd, "a DPD above 91")
        )
    if not out:
        out += _compliance_checks(s)
    return out


def _shares(key: str, shares: Mapping[str, float], what: str) -> list[Problem]:
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        listing = ", ".join(f"{k}={v:g}" for k, v in shares.items())
        return [Problem(key, f"{what} shares sum to {total:.6g} ({listing})", None,
                        "shares summing to 1")]
    return []


def _portfolio_checks(s: Scenario) -> list[Problem]:
    p = s.portfolio
    out: list[Problem] = []
    if not p.segments:
        out.append(Problem("portfolio.segments", "no segments", None, "at least one segment"))
    out += _shares("portfolio.segments", {k: v.share for k, v in p.segments.items()}, "segment")
    out += _shares("portfolio.book", p.book.model_dump(), "book")
    accounts_over_run = p.accounts + p.daily_inflow * s.horizon.days
    too_big = over("book", accounts_over_run)
    if too_big is not None:
        out.append(Problem("portfolio.daily_inflow" if p.daily_inflow else "portfolio.accounts",
                           too_big, None, f"portfolio.accounts + daily_inflow x horizon.days "
                           f"at most {ceiling('book'):,}"))
    for name, seg in p.segments.items():
        key = f"portfolio.segments.{name}"
        if seg.industry not in p.industries:
            out.append(Problem(f"{key}.industry", f"unknown industry {seg.industry!r}", None,
                               "one of: " + ", ".join(sorted(p.industries)),
                               suggest(seg.industry, p.industries)))
        if seg.product == "secured" and seg.collateral_ratio is None:
            out.append(Problem(f"{key}.collateral_ratio", "a secured product needs its collateral",
                               None, "collateral value as a share of the balance, e.g. 0.8"))
        if seg.balance.minimum > seg.balance.maximum:
            out.append(Problem(f"{key}.balance.minimum", "minimum above maximum",
                               seg.balance.minimum, f"at most {seg.balance.maximum:g}"))
    return out


def _calendar_checks(s: Scenario) -> list[Problem]:
    zones = s.calendar.debtor_zones
    if not zones:
        return [Problem("calendar.debtor_zones", "no debtor time zones", None, "at least one")]
    return _shares("calendar.debtor_zones",
                   {z.name or f"UTC{z.utc_offset_hours:+g}": z.share for z in zones}, "zone")


def _staffing_checks(s: Scenario) -> list[Problem]:
    out: list[Problem] = []
    for name, team in s.staffing.teams.items():
        key = f"staffing.teams.{name}"
        if not team.shifts:
            out.append(Problem(f"{key}.shifts", "no shifts", None, "at least one shift"))
            continue
        out += _shares(f"{key}.shifts", {f"[{i}]": sh.share for i, sh in enumerate(team.shifts)},
                       "shift")
        for i, shift in enumerate(team.shifts):
            if shift.start_minute >= shift.end_minute:
                out.append(Problem(f"{key}.shifts[{i}]", "shift is outside the day "
                                   f"({shift.start}-{shift.end} ends before it starts)", None,
                                   "start before end within one day, 00:00-24:00 (split "
                                   "overnight work into two shifts)"))
        if not team.stages:
            out.append(Problem(f"{key}.stages", "team works no stage", None,
                               "some of: early, mid, late"))
    return out


def _team_problem(key: str, team: str, teams: Mapping[str, object]) -> Problem:
    return Problem(key, f"no team named {team!r}", None, "one of: " + ", ".join(sorted(teams)),
                   suggest(team, teams))


def _strategy_checks(s: Scenario) -> list[Problem]:
    out: list[Problem] = []
    teams = s.staffing.teams
    segments = s.portfolio.segments
    covered = {stage for team in teams.values() for stage in team.stages}
    strategy = s.strategy
    for team in strategy.worklist_order_by_team:
        if team not in teams:
            out.append(_team_problem(f"strategy.worklist_order_by_team.{team}", team, teams))
    if strategy.call_hours is not None and (
        strategy.call_hours.start_minute >= strategy.call_hours.end_minute
    ):
        out.append(Problem("strategy.call_hours", "call hours end before they start", None,
                           "start before end"))
    if strategy.python is not None:
        from sim.python_strategy import check_importable

        why = check_importable(strategy.python)
        if why is not None:
            out.append(Problem("strategy.python", why, strategy.python,
                               "module:attribute naming a strategy object, or a class or "
                               "function taking the scenario, importable from the working "
                               "directory or an installed package"))
    for i, rung in enumerate(strategy.ladder):
        key = f"strategy.ladder[{i}]"
        for seg in rung.segments or []:
            if seg not in segments:
                out.append(Problem(f"{key}.segments", f"no segment named {seg!r}", None,
                                   "one of: " + ", ".join(sorted(segments)),
                                   suggest(seg, segments)))
        if rung.team is not None:
            if rung.action != "call":
                out.append(Problem(f"{key}.team", "only call rungs name a team", rung.team,
                                   "no team on a " + rung.action + " rung"))
            elif rung.team not in teams:
                out.append(_team_problem(f"{key}.team", rung.team, teams))
        elif rung.action == "call" and rung.stage is not None and rung.stage not in covered:
            out.append(Problem(f"{key}.stage", f"no team works the {rung.stage} stage", None,
                               "a team with this stage in staffing.teams.<name>.stages, or "
                               "team = <name> on the rung"))
        if rung.stage is None and rung.dpd_from is None and rung.on_dpd is None:
            out.append(Problem(key, "rung has no DPD range", None,
                               "stage, dpd_from/dpd_to or on_dpd"))
        if rung.on_dpd is not None and any(d < 1 for d in rung.on_dpd):
            out.append(Problem(f"{key}.on_dpd", "DPD days start at 1", rung.on_dpd,
                               "positive days"))
    return out


def _target_checks(s: Scenario) -> list[Problem]:
    out: list[Problem] = []
    for name, value in s.targets.items():
        info = CATALOGUE.get(name)
        if info is None:
            out.append(Problem(f"targets.{name}", "unknown KPI", None,
                               "a KPI name, e.g. recovery_1_30, complaints_per_1000",
                               suggest(name, CATALOGUE)))
        elif info.unit == "share" and not 0.0 <= value <= 1.0:
            out.append(Problem(f"targets.{name}", "a share target must lie in [0, 1]", value,
                               "a number from 0 to 1 (0.85 means 85 %)"))
        elif value < 0:
            out.append(Problem(f"targets.{name}", "target is negative", value,
                               "a number >= 0"))
    return out


def _compliance_checks(s: Scenario) -> list[Problem]:
    from sim.rules import available_packs

    pack = s.compliance.pack
    if "/" not in pack and not pack.endswith(".toml") and pack not in available_packs():
        return [Problem("compliance.pack", f"unknown rule pack {pack!r}", None,
                        "one of: " + ", ".join(available_packs()) + " or a path",
                        suggest(pack, available_packs()))]
    from sim.rules import load_rule_pack

    load_rule_pack(pack)  # a broken pack raises its own ConfigError, naming the pack file
    try:
        s.contact_policy()
    except ConfigError as exc:
        return list(exc.problems)  # the scenario loosens its pack: the scenario's keys
    return []


_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _set_path(data: dict[str, Any], path: str, value: object) -> Problem | None:
    """Set ``value`` at a dotted path inside nested dicts/lists, or explain why not."""
    tokens: list[str | int] = []
    for index, name in _TOKEN.findall(path):
        tokens.append(int(index) if index else (int(name) if name.isdigit() else name))
    if not tokens:
        return Problem(path, "empty override path", None, "a dotted key path")
    node: Any = data
    walked = ""
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        if isinstance(node, dict):
            if not isinstance(token, str) or token not in node:
                keys = [str(k) for k in node]
                return Problem(f"{walked}.{token}" if walked else str(token), "no such key",
                               None, "one of: " + ", ".join(sorted(keys)),
                               suggest(str(token), keys))
            walked = f"{walked}.{token}" if walked else token
        elif isinstance(node, list):
            if not isinstance(token, int) or not 0 <= token < len(node):
                return Problem(f"{walked}[{token}]", "no such list item", None,
                               f"an index from 0 to {len(node) - 1}")
            walked = f"{walked}[{token}]"
        else:
            return Problem(walked, "not a table; cannot go deeper", None, "a shorter path")
        if last:
            node[token] = value
        else:
            node = node[token]
    return None
