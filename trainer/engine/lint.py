"""Authoring checks for role-play scenarios (``recoverylab-train lint``).

Branching drills rot in predictable ways, and interactive-fiction authors ask for the
same tools again and again: a node nobody can reach, an ending that cannot happen, a
loop with no way out, an option that leads nowhere. A collections drill adds its own
failure modes: an option with no behaviour tag is invisible to scoring, a Chinese
drill filed under the US rule pack teaches the wrong law, a rule the pack ships
disabled scores nothing when cited. This module finds all of these without playing the
drill (the ``playthrough`` tool plays it).

Checks (each finding has a code):

- ``invalid``: the file does not load (schema, unknown tag, rule id, mood or name,
  ``next`` naming nothing, ...), as reported by the loader; the command reports these
  as bad input (exit 2), not as findings about a drill that runs;
- ``unreachable-node`` / ``unreachable-ending``: no route from ``start`` leads there;
- ``dead-end``: a node with no options, or from which no ending can be reached;
- ``no-tags``: an option with no behaviour tag (scoring cannot see it);
- ``options-can-vanish``: every option of a node can be disabled at once (``when``
  conditions that can all fail, ``once`` options at a node the call can revisit);
  probing values either side of every threshold finds the state, which is shown;
- ``no-line``: every line of a node is conditional and they can all fail;
- ``language-pack``, ``currency``, ``file-name``: the file's language, pack, currency and
  name disagree (``zh-CN`` goes with ``cn`` and CNY, ``en-US`` with ``us`` and USD,
  ``en-GB`` with ``uk`` and GBP; files are named ``<id>.<language>.toml``);
- ``disabled-rule``: an option cites a rule the pack ships disabled (it scores nothing);
- ``time-backwards``: a node's or a line's ``local_time`` (where the narrator or a
  debtor's line moves the call) is earlier than the start or than a time some route can
  already have reached (the loader has already refused a time that is not a real date
  and time);
- ``few-endings``: fewer than 3 reachable endings; ``few-decisions``: fewer than 8
  decision points (nodes offering a real choice) on the scenario's best path;
- ``missing-language`` (folders only): a drill id without both its ``zh-CN`` (CN pack)
  and ``en-US`` (US pack) versions; ``duplicate``: two files with one id and language.

Severity follows the category (categories in ``tags.toml``, how each pack judges them in
its ``[categories.*]``):

- ``category-severity``: an option in a category the pack declares critical (a threat,
  an insult, a false statement, a disclosure; ignoring a request in the US) that does not
  cite one of the pack's critical rules for it;
- ``category-citation``: an option in a non-critical category citing none of the
  pack's rules for it;
- ``category-tag``: an option citing a critical category's rule without carrying that
  category's tag (scoring and the manager report see behaviours by tag);
- ``category-undeclared``: the pack does not say how it judges a category.

No surface cue gives the answer away (see :mod:`trainer.engine.cues`):

- ``cue-longest`` / ``cue-first``: on the best path the best option is the unique
  longest, or the first in the file, at more than :data:`~trainer.engine.cues.
  LONGEST_CEILING_DRILL` of decisions; ``library-cue-longest`` / ``library-cue-first``
  (folders only): the same pooled over the library, above the library ceiling;
- ``naive-pass``: a naive strategy (always-longest, always-shortest,
  always-first-in-file, keyword) passes the drill.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sim.errors import ConfigError, Problem
from sim.files import read_toml
from trainer.engine import cues
from trainer.engine.conditions import Condition, Env, Value
from trainer.engine.loader import build_scenario, scenario_files
from trainer.engine.model import Choice, Ending, Line, Node, Scenario

LANGUAGE_PACK = {"zh-CN": "cn", "en-US": "us", "en-GB": "uk"}
PACK_CURRENCY = {"cn": "CNY", "us": "USD", "uk": "GBP"}
REQUIRED_LANGUAGES = ("zh-CN", "en-US")
MIN_ENDINGS = 3
MIN_DECISIONS = 8
CATEGORY_CODES = frozenset(
    {"category-severity", "category-citation", "category-tag", "category-undeclared"}
)
CUE_CODES = frozenset(
    {"cue-longest", "cue-first", "naive-pass", "library-cue-longest", "library-cue-first"}
)
"""The checks that measure what a drill teaches rather than whether it runs."""
PROBE_LIMIT = 20_000
"""Most value combinations tried per node before sampling instead."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One authoring problem."""

    path: str
    key: str
    code: str
    message: str
    suggestion: str | None = None

    def render(self) -> str:
        where = f"{self.path}:{self.key}" if self.key else self.path
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{where}: {self.code}: {self.message}{hint}"


class UnreadableError(Exception):
    """A path that is not a readable TOML file (lint exits 2)."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(error.render())
        self.error = error


class InvalidDrillError(Exception):
    """A drill that reads as TOML but fails validation: bad input (lint exits 2)."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(error.render())
        self.error = error


def load_for_lint(path: str | Path) -> Scenario:
    """Load one drill for linting.

    Raises :class:`UnreadableError` if it (or the pack or tag list it uses) is missing or
    not TOML, and :class:`InvalidDrillError` if the drill itself fails validation.
    """
    file = Path(path)
    try:
        data = read_toml(file)
    except ConfigError as exc:
        raise UnreadableError(exc) from None
    try:
        return build_scenario(data, file)
    except ConfigError as exc:
        if exc.path != str(file):
            # The drill is fine as far as we know; the pack or tag list it uses is not.
            raise UnreadableError(exc) from None
        raise InvalidDrillError(exc) from None


def lint_file(path: str | Path) -> tuple[Scenario | None, list[Finding]]:
    """Lint one file. Raises :class:`UnreadableError` if it is missing or not TOML.

    A drill that fails validation gives no scenario and one ``invalid`` finding per
    problem (the command treats those as bad input, exit 2).
    """
    try:
        scenario = load_for_lint(path)
    except InvalidDrillError as exc:
        return None, [
            Finding(str(Path(path)), p.key, "invalid", _problem_text(p), p.suggestion)
            for p in exc.error.problems
        ]
    return scenario, lint_scenario(scenario)


def _problem_text(problem: Problem) -> str:
    message = problem.message
    if problem.value is not None:
        message += f" (got {problem.value!r})"
    if problem.expected:
        message += f"; expected {problem.expected}"
    return message


def lint_scenario(scenario: Scenario) -> list[Finding]:
    """All checks that need a loaded scenario."""
    path = str(scenario.path) if scenario.path else scenario.meta.id
    out: list[Finding] = []

    def add(key: str, code: str, message: str, suggestion: str | None = None) -> None:
        out.append(Finding(path, key, code, message, suggestion))

    _check_identity(scenario, add)
    reachable = _reachable(scenario)
    for node_id in scenario.nodes:
        if node_id not in reachable:
            add(f"nodes.{node_id}", "unreachable-node", "no route from start leads here")
    reachable_endings = [e for e in scenario.endings if e in reachable]
    for ending_id in scenario.endings:
        if ending_id not in reachable:
            add(f"endings.{ending_id}", "unreachable-ending", "no route from start leads here")
    can_finish = _can_finish(scenario)
    for node_id, node in scenario.nodes.items():
        if not node.options:
            add(f"nodes.{node_id}", "dead-end", "a node with no options that is not an ending")
        elif node_id not in can_finish:
            add(f"nodes.{node_id}", "dead-end", "no ending can be reached from this node")
    on_cycle = _on_cycle(scenario)
    for node_id, choices in scenario.choices.items():
        for choice in choices:
            key = f"nodes.{node_id}.options[{choice.index}]"
            if not choice.option.tags:
                add(
                    f"{key}.tags",
                    "no-tags",
                    "option has no behaviour tag, so scoring cannot see it",
                )
            _check_category(scenario, choice, key, add)
            for rule_id in choice.option.violations:
                if not scenario.pack.rule(rule_id).enabled:
                    add(
                        f"{key}.violations",
                        "disabled-rule",
                        f"{rule_id} is disabled in pack {scenario.pack.id!r}: "
                        "citing it scores nothing",
                    )
        state = _options_can_vanish(scenario, node_id, node_id in on_cycle)
        if state is not None:
            add(
                f"nodes.{node_id}.options",
                "options-can-vanish",
                f"every option can be disabled at once, e.g. when {state}; add a fallback "
                "option with no `when` and no `once`",
            )
    for where, lines, target in _line_sets(scenario):
        state = _lines_can_vanish(scenario, lines, target)
        if state is not None:
            add(
                where,
                "no-line",
                f"every line is conditional and none holds when {state}; add a line with no `when`",
            )
    _check_times(scenario, add)
    if len(reachable_endings) < MIN_ENDINGS:
        add(
            "endings",
            "few-endings",
            f"{len(reachable_endings)} reachable endings; a drill needs at least {MIN_ENDINGS}",
        )
    for category in scenario.tags.categories:
        if scenario.pack.category_rules(category) is None:
            add(
                "meta.rule_pack",
                "category-undeclared",
                f"pack {scenario.pack.id!r} does not say how it judges category "
                f"{category!r} (add [categories.{category}] to it)",
            )
    if not out or all(f.code not in {"dead-end", "options-can-vanish"} for f in out):
        decisions = _decisions_on_best_path(scenario)
        if decisions < MIN_DECISIONS:
            add(
                "nodes",
                "few-decisions",
                f"the best path has {decisions} decision points; a drill needs at least "
                f"{MIN_DECISIONS}",
            )
        _check_cues(scenario, add)
    return out


def _check_times(scenario: Scenario, add: Emit) -> None:
    """The call only moves forward in time: no node or line may set the clock earlier
    than the latest instant a route to it (ignoring conditions) can have reached.

    A node's line variants are said one at a time, each on its own route (the debtor
    answers "(next day, 16:10)" only where the collector waited), so after a node the
    clock is taken to be at the *earliest* time its lines set: lint reads no
    conditions, and a later variant must not make the other routes look backwards."""
    from zoneinfo import ZoneInfo

    brief = scenario.brief

    def instant(when: datetime | None, zone: str | None) -> datetime | None:
        return None if when is None else when.replace(tzinfo=ZoneInfo(zone or brief.timezone))

    def here(target: str, arrived: datetime) -> datetime:
        """The clock once ``target`` is entered (its own time, else as arrived)."""
        node = scenario.nodes.get(target)
        return (instant(node.local_time, node.timezone) if node else None) or arrived

    def leaving(target: str, arrived: datetime) -> datetime:
        part = scenario.nodes.get(target) or scenario.endings[target]
        start = here(target, arrived)
        return min(instant(line.local_time, line.timezone) or start for line in part.lines)

    arrival = {scenario.meta.start: brief.local_time.replace(tzinfo=ZoneInfo(brief.timezone))}
    stack = [scenario.meta.start]
    while stack:  # the latest arrival only grows, over a finite set of times: it ends
        node_id = stack.pop()
        after = leaving(node_id, arrival[node_id])
        for target in _edges(scenario, node_id):
            known = target in scenario.nodes or target in scenario.endings
            if known and (target not in arrival or arrival[target] < after):
                arrival[target] = after
                stack.append(target)
    parts: list[tuple[str, Mapping[str, Node | Ending]]] = [
        ("nodes", scenario.nodes), ("endings", scenario.endings)]
    for kind, table in parts:
        for part_id, part in table.items():
            if part_id not in arrival:
                continue
            reached = arrival[part_id]
            node = scenario.nodes.get(part_id)
            own = instant(node.local_time, node.timezone) if node else None
            if own is not None and own < reached:
                add(f"nodes.{part_id}.local_time", "time-backwards",
                    f"the call is already at {reached:%Y-%m-%d %H:%M %Z} on some route "
                    f"here; this node moves it back to {own:%Y-%m-%d %H:%M %Z}")
            start = own or reached
            for key in ("lines", "silence"):
                for i, line in enumerate(getattr(part, key, ())):
                    said = instant(line.local_time, line.timezone)
                    if said is not None and said < start:
                        add(f"{kind}.{part_id}.{key}[{i}].local_time", "time-backwards",
                            f"the call is already at {start:%Y-%m-%d %H:%M %Z} here; "
                            f"this line moves it back to {said:%Y-%m-%d %H:%M %Z}")


def _check_category(scenario: Scenario, choice: Choice, key: str, add: Emit) -> None:
    """Severity follows the category: an option in one cites the pack's rule for it."""
    option = choice.option
    pack = scenario.pack
    cited = set(option.violations)
    for category in scenario.tags.categories_of(option.tags):
        judged = pack.category_rules(category)
        if judged is None:
            continue  # reported once per drill as category-undeclared
        if cited & set(judged.rules):
            continue
        wanted = " or ".join(judged.rules)
        if judged.critical:
            add(
                f"{key}.violations",
                "category-severity",
                f"a {category} is critical in pack {pack.id!r}: cite {wanted} "
                f"(cited: {', '.join(option.violations) or 'nothing'})",
            )
        else:
            add(
                f"{key}.violations",
                "category-citation",
                f"an option in category {category} cites none of its rules: cite {wanted}",
            )
    for category, judged in pack.categories.items():
        if not judged.critical or not cited & set(judged.rules):
            continue
        declared = scenario.tags.categories.get(category)
        if declared is None or set(declared.tags) & set(option.tags):
            continue
        # A rule listed under several categories (US-14: threat or insult; US-06: an
        # ignored request or a contact breach) needs the tag of any one of them.
        sharing = [
            other
            for other, j in pack.categories.items()
            if cited & set(j.rules) & set(judged.rules)
            and other in scenario.tags.categories
            and set(scenario.tags.categories[other].tags) & set(option.tags)
        ]
        if sharing:
            continue
        rules = ", ".join(sorted(cited & set(judged.rules)))
        add(
            f"{key}.tags",
            "category-tag",
            f"cites {rules} ({category}, critical) but has no "
            f"{' or '.join(declared.tags)} tag",
        )


def _check_cues(scenario: Scenario, add: Emit) -> None:
    report = cues.cue_report(scenario)
    n = len(report.decisions)
    if n and report.longest_share > cues.LONGEST_CEILING_DRILL:
        add(
            "nodes",
            "cue-longest",
            f"the best option is the unique longest at {report.longest}/{n} best-path "
            f"decisions ({report.longest_share:.0%}; ceiling {cues.LONGEST_CEILING_DRILL:.0%}, "
            f"chance {report.chance_share:.0%}): make options alike in length",
        )
    if n and report.first_share > cues.FIRST_CEILING_DRILL:
        add(
            "nodes",
            "cue-first",
            f"the best option is written first at {report.first}/{n} best-path decisions "
            f"({report.first_share:.0%}; ceiling {cues.FIRST_CEILING_DRILL:.0%}): vary the "
            "file order",
        )
    for run in report.passing_strategies:
        add(
            "nodes",
            "naive-pass",
            f"the naive strategy {run.name} passes with {run.overall:.1f} "
            f"(ending {run.outcome}): a wrong option must tempt it",
        )


def lint_library(scenarios: Sequence[Scenario]) -> list[Finding]:
    """Checks across the files of a folder: duplicates and missing language versions."""
    out: list[Finding] = []
    by_id: dict[str, dict[str, Scenario]] = {}
    for scenario in scenarios:
        versions = by_id.setdefault(scenario.meta.id, {})
        path = str(scenario.path)
        if scenario.meta.language in versions:
            other = versions[scenario.meta.language].path
            out.append(Finding(path, "meta.id", "duplicate", f"same id and language as {other}"))
        versions[scenario.meta.language] = scenario
    for scenario_id, versions in sorted(by_id.items()):
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in versions]
        if missing:
            first = next(iter(versions.values()))
            out.append(
                Finding(
                    str(first.path),
                    "meta.language",
                    "missing-language",
                    f"drill {scenario_id!r} has no {' or '.join(missing)} version",
                )
            )
    out += _library_cues(scenarios)
    return out


def _library_cues(scenarios: Sequence[Scenario]) -> list[Finding]:
    if not scenarios:
        return []
    pooled = cues.library_cues(scenarios)
    where = str(Path(str(scenarios[0].path)).parent) if scenarios[0].path else "library"
    out = []
    if pooled.longest_share > cues.LONGEST_CEILING_LIBRARY:
        out.append(
            Finding(
                where,
                "",
                "library-cue-longest",
                f"over {pooled.decisions} best-path decisions the best option is the unique "
                f"longest {pooled.longest_share:.1%} of the time (ceiling "
                f"{cues.LONGEST_CEILING_LIBRARY:.0%}, chance {pooled.chance_share:.1%})",
            )
        )
    if pooled.first_share > cues.FIRST_CEILING_LIBRARY:
        out.append(
            Finding(
                where,
                "",
                "library-cue-first",
                f"over {pooled.decisions} best-path decisions the best option is written "
                f"first {pooled.first_share:.1%} of the time (ceiling "
                f"{cues.FIRST_CEILING_LIBRARY:.0%})",
            )
        )
    return out


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the scenario files of folders named. Missing paths raise."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(scenario_files(path))
        elif path.exists():
            files.append(path)
        else:
            raise UnreadableError(ConfigError(path, [Problem("", "no such file or folder")]))
    return files


# -- individual checks ------------------------------------------------------------------


Emit = Callable[[str, str, str], None]


def _check_identity(scenario: Scenario, emit: Emit) -> None:
    meta = scenario.meta
    pack_name = meta.rule_pack
    if not pack_name.endswith(".toml"):
        expected = LANGUAGE_PACK[meta.language]
        if pack_name != expected:
            emit(
                "meta.rule_pack",
                "language-pack",
                f"a {meta.language} drill runs under the {expected!r} pack, not {pack_name!r}",
            )
        currency = PACK_CURRENCY.get(pack_name)
        if currency is not None and scenario.brief.currency != currency:
            emit(
                "brief.currency",
                "currency",
                f"the {pack_name!r} pack's currency is {currency}, not {scenario.brief.currency}",
            )
    if scenario.path is not None:
        expected_name = f"{meta.id}.{meta.language}.toml"
        if scenario.path.name != expected_name:
            emit(
                "meta",
                "file-name",
                f"file should be named {expected_name} (meta.id and meta.language)",
            )


def _edges(scenario: Scenario, node_id: str) -> set[str]:
    node = scenario.nodes.get(node_id)
    if node is None:
        return set()
    return {target for option in node.options for target in option.targets}


def _reachable(scenario: Scenario) -> set[str]:
    seen = {scenario.meta.start}
    stack = [scenario.meta.start]
    while stack:
        for target in _edges(scenario, stack.pop()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _can_finish(scenario: Scenario) -> set[str]:
    """Nodes from which some ending is reachable (ignoring conditions)."""
    done = set(scenario.endings)
    changed = True
    while changed:
        changed = False
        for node_id in scenario.nodes:
            if node_id not in done and _edges(scenario, node_id) & done:
                done.add(node_id)
                changed = True
    return done


def _on_cycle(scenario: Scenario) -> set[str]:
    """Nodes the call can enter more than once."""
    out = set()
    for node_id in scenario.nodes:
        seen: set[str] = set()
        stack = list(_edges(scenario, node_id))
        while stack:
            current = stack.pop()
            if current == node_id:
                out.add(node_id)
                break
            if current not in seen:
                seen.add(current)
                stack.extend(_edges(scenario, current))
    return out


def _probe_values(
    scenario: Scenario, conditions: Sequence[Condition], here: str
) -> list[tuple[str, list[Value]]]:
    """Candidate values for every name the conditions use, either side of each threshold."""
    constants = sorted({c for cond in conditions for c in cond.constants})
    near = sorted({v for c in constants for v in (c - 1, c, c + 1)})
    flag_values: dict[str, set[Value]] = {}
    for choices in scenario.choices.values():
        for choice in choices:
            for flag, value in choice.option.set_.items():
                flag_values.setdefault(flag, {False}).add(value)
    axes: list[tuple[str, list[Value]]] = []
    for name in sorted({n for cond in conditions for n in cond.names}):
        if name in scenario.persona.mood:
            values: list[Value] = sorted({0, 100, *(v for v in near if 0 <= v <= 100)})
        elif name == "turn":
            values = sorted({0, *(v for v in near if v >= 0)})
        else:
            values = sorted(flag_values.get(name, {False}) | {True}, key=repr)
        axes.append((name, values))
    for target in sorted({t for cond in conditions for t in cond.visit_targets}):
        low = 1 if target == here else 0
        counts: list[Value] = sorted({low, low + 1, *(int(v) for v in near if v >= low)})
        axes.append((f"visits('{target}')", counts))
    return axes


def _find_state(
    scenario: Scenario, conditions: Sequence[Condition], here: str, all_false: Callable[[Env], bool]
) -> str | None:
    """A probe state where ``all_false(env)`` holds, rendered, or None."""
    axes = _probe_values(scenario, conditions, here)
    names = [name for name, _ in axes]
    grids = [values for _, values in axes]
    total = 1
    for grid in grids:
        total *= len(grid)
    if total <= PROBE_LIMIT:
        combos: Iterable[tuple[Value, ...]] = itertools.product(*grids)
    else:
        rng = random.Random(0)
        combos = (tuple(rng.choice(grid) for grid in grids) for _ in range(PROBE_LIMIT))
    for combo in combos:
        env_values: dict[str, Value] = {}
        visits: dict[str, int] = {}
        for name, value in zip(names, combo, strict=True):
            if name.startswith("visits('"):
                visits[name[8:-2]] = value if isinstance(value, int) else 0
            else:
                env_values[name] = value
        visits.setdefault(here, 1)
        if all_false(Env(env_values, visits)):
            shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, combo, strict=True))
            return shown or "always"
    return None


def _options_can_vanish(scenario: Scenario, node_id: str, revisitable: bool) -> str | None:
    options = scenario.nodes[node_id].options
    if not options:
        return None
    guarded = []
    for option in options:
        if option.once and revisitable:
            continue  # may already be used up on a later visit
        if option.when is None:
            return None  # always offered
        guarded.append(option.when)
    if not guarded:
        return "every option is once-only and the node is revisited"
    return _find_state(scenario, guarded, node_id, lambda env: not any(c(env) for c in guarded))


def _line_sets(scenario: Scenario) -> Iterable[tuple[str, tuple[Line, ...], str]]:
    for node_id, node in scenario.nodes.items():
        yield f"nodes.{node_id}.lines", node.lines, node_id
    for ending_id, ending in scenario.endings.items():
        yield f"endings.{ending_id}.lines", ending.lines, ending_id


def _lines_can_vanish(scenario: Scenario, lines: tuple[Line, ...], here: str) -> str | None:
    conditions = [line.when for line in lines if line.when is not None]
    if len(conditions) < len(lines):
        return None
    return _find_state(scenario, conditions, here, lambda env: not any(c(env) for c in conditions))


def _decisions_on_best_path(scenario: Scenario) -> int:
    from trainer.engine import machine
    from trainer.engine.search import ESCALATE, Searcher

    searcher = Searcher(scenario, budget=50_000)
    state, tally = searcher.root()
    path = searcher.best(state, tally).path
    decisions = 0
    for action in path:
        if len(machine.available(scenario, state)) >= 2:
            decisions += 1
        if action == ESCALATE:
            break
        state, tally = searcher.after(state, tally, action)
    return decisions
