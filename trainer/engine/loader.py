"""Reading role-play scenarios: one file, or a whole library folder.

A scenario that loads is one the engine can run to the end without surprises: its
start node exists, every ``next`` leads to a node or an ending, every tag is in the
vocabulary, every cited rule is in the scenario's rule pack, every mood an option
moves is one the persona has, and every condition names real moods, flags and
nodes. The pydantic models check field shapes; this module checks what needs the
whole file, and collects *every* problem before raising, so an author fixes a file in
one pass. Quality questions that do not stop a drill from running (unreachable
nodes, options without tags, a Chinese file under the US pack) are left to
``recoverylab-train lint`` (:mod:`trainer.engine.lint`).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ConfigError, Problem, suggest, validate
from sim.files import read_toml, referenced
from trainer.engine.conditions import BUILTIN_NAMES, LITERAL_NAMES, Condition
from trainer.engine.model import Scenario
from trainer.engine.tags import TagCatalogue, tags_for

SCENARIO_GLOB = "*.*.toml"
"""Scenario files are ``<id>.<language>.toml``; ``tags.toml`` does not match."""


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and cross-check one scenario file.

    Raises :class:`sim.errors.ConfigError` listing every problem (file, dotted key,
    value, expected, did-you-mean).
    """
    file = Path(path)
    data = read_toml(file)
    return build_scenario(data, file)


def build_scenario(data: dict[str, Any], path: str | Path) -> Scenario:
    """Validate already-parsed TOML data as a scenario read from ``path``."""
    file = Path(path)
    scenario = validate(Scenario, data, file)
    with referenced(file, "tags.toml beside it"):
        tags = tags_for(file)
    with referenced(file, "meta.rule_pack"):
        pack = _load_pack(scenario, file)
    problems = cross_check(scenario, tags, pack)
    if problems:
        raise ConfigError(file, problems)
    scenario._pack = pack
    scenario._tags = tags
    scenario._path = file
    return scenario


def _load_pack(scenario: Scenario, file: Path) -> Any:
    from sim.rules import load_rule_pack, pack_path

    name = scenario.meta.rule_pack
    if name.endswith(".toml"):
        return load_rule_pack((file.parent / name).resolve())
    try:
        pack_path(name)
    except ConfigError as exc:
        # Report an unknown pack name against this file's key, not the rules folder.
        first = exc.problems[0]
        raise ConfigError(
            file,
            [Problem("meta.rule_pack", first.message, name, first.expected, first.suggestion)],
        ) from None
    return load_rule_pack(name)


def cross_check(scenario: Scenario, tags: TagCatalogue, pack: Any) -> list[Problem]:
    """Everything that needs the whole file: targets, tags, rule ids, names."""
    problems: list[Problem] = []
    nodes, endings = scenario.nodes, scenario.endings
    targets = [*nodes, *endings]
    moods = scenario.mood_names
    flags = scenario.flag_names
    known_names = {*moods, *flags}
    rule_ids = tuple(pack.ids)

    def add(
        key: str,
        message: str,
        value: object = None,
        expected: str = "",
        suggestion: str | None = None,
    ) -> None:
        problems.append(Problem(key, message, value, expected, suggestion))

    from trainer.vocabulary import channels, debtor_types

    def check_member(key: str, message: str, value: str, known: Sequence[str]) -> None:
        """``value`` must be one of ``known`` (listed, with the nearest as a hint)."""
        if value not in known:
            add(key, message, value, "one of: " + ", ".join(known), suggest(value, known))

    def check_zone(key: str, zone: str) -> None:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            add(key, "unknown time zone", zone, "an IANA name such as Asia/Shanghai",
                suggest(zone, zoneinfo.available_timezones()))

    check_member("meta.debtor_type", "unknown debtor type (declare new ones in vocabulary.toml)",
                 scenario.meta.debtor_type, debtor_types())
    known_channels = channels()
    for i, event in enumerate(scenario.brief.contact_history):
        check_member(f"brief.contact_history[{i}].channel", "unknown channel", event.channel,
                     known_channels)
    if "anger" not in moods:
        add(
            "persona.mood",
            "the persona needs an `anger` mood (de-escalation is scored on it)",
            expected="e.g. anger = 40",
        )
    for node_id in sorted(set(nodes) & set(endings)):
        add(
            f"endings.{node_id}",
            "id is used by a node and an ending",
            expected="node and ending ids share one namespace",
        )
    check_member("meta.start", "start must name a node", scenario.meta.start, list(nodes))
    check_zone("brief.timezone", scenario.brief.timezone)
    for node_id, node in nodes.items():
        if node.timezone is not None:
            check_zone(f"nodes.{node_id}.timezone", node.timezone)
    for kind, table in (("nodes", nodes), ("endings", endings)):
        for part_id, part in table.items():
            for key in ("lines", "silence"):
                for i, line in enumerate(getattr(part, key, ())):
                    if line.timezone is not None:
                        check_zone(f"{kind}.{part_id}.{key}[{i}].timezone", line.timezone)
    def check_rule(key: str, rule_id: str) -> None:
        if rule_id not in rule_ids:
            add(key, f"rule pack {pack.id!r} has no such rule", rule_id,
                suggestion=suggest(rule_id, rule_ids))

    for i, rule_id in enumerate(scenario.brief.rules_in_play):
        check_rule(f"brief.rules_in_play[{i}]", rule_id)

    def check_condition(key: str, cond: Condition | None) -> None:
        if cond is None:
            return
        for message, hint in cond.check_names(known_names, targets):
            add(key, message, cond.source, suggestion=hint)

    seen_ids: dict[str, str] = {}
    for where, lines in _all_lines(scenario):
        for i, line in enumerate(lines):
            check_condition(f"{where}[{i}].when", line.when)
    for node_id, choices in scenario.choices.items():
        for choice in choices:
            option = choice.option
            key = f"nodes.{node_id}.options[{choice.index}]"
            if choice.id in seen_ids:
                add(
                    f"{key}.id",
                    "option id is used twice",
                    choice.id,
                    f"unique ids (also at {seen_ids[choice.id]})",
                )
            seen_ids[choice.id] = key
            check_condition(f"{key}.when", option.when)
            for t, tag in enumerate(option.tags):
                if tag not in tags:
                    add(
                        f"{key}.tags[{t}]",
                        "unknown tag",
                        tag,
                        "a tag from tags.toml",
                        suggest(tag, tags.names),
                    )
            for v, rule_id in enumerate(option.violations):
                check_rule(f"{key}.violations[{v}]", rule_id)
            for mood in option.effects:
                if mood not in moods:
                    add(
                        f"{key}.effects.{mood}",
                        "not a mood of the persona",
                        mood,
                        "one of: " + ", ".join(moods),
                        suggest(mood, moods),
                    )
            for flag in option.set_:
                if flag in moods or flag in BUILTIN_NAMES or flag in LITERAL_NAMES:
                    add(
                        f"{key}.set.{flag}",
                        "a flag cannot reuse a mood or built-in name",
                        flag,
                        "a new flag name",
                    )
            routes = option.routes
            for r, route in enumerate(routes):
                rkey = f"{key}.next" if isinstance(option.next, str) else f"{key}.next[{r}]"
                if route.to not in nodes and route.to not in endings:
                    add(
                        f"{rkey}" + ("" if isinstance(option.next, str) else ".to"),
                        "next names no node or ending",
                        route.to,
                        suggestion=suggest(route.to, targets),
                    )
                check_condition(f"{rkey}.when", route.when)
            if routes[-1].when is not None:
                add(
                    f"{key}.next[{len(routes) - 1}].when",
                    "the last route must have no `when`, so the option always leads somewhere",
                    routes[-1].when.source,
                    'a final { to = "..." } fallback',
                )
    return problems


def _all_lines(scenario: Scenario) -> Iterator[tuple[str, Sequence[Any]]]:
    for node_id, node in scenario.nodes.items():
        yield f"nodes.{node_id}.lines", node.lines
        yield f"nodes.{node_id}.silence", node.silence
    for ending_id, ending in scenario.endings.items():
        yield f"endings.{ending_id}.lines", ending.lines


@dataclass(frozen=True)
class Library:
    """The scenarios of a folder, and the files that could not be loaded."""

    scenarios: tuple[Scenario, ...]
    errors: tuple[ConfigError, ...] = field(default=())

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios)

    def __len__(self) -> int:
        return len(self.scenarios)

    def get(self, scenario_id: str, language: str) -> Scenario:
        """The scenario with this id and language; KeyError if absent."""
        for scenario in self.scenarios:
            if scenario.key == (scenario_id, language):
                return scenario
        raise KeyError(f"no scenario {scenario_id!r} in {language!r}")

    def languages(self, scenario_id: str) -> tuple[str, ...]:
        return tuple(s.language for s in self.scenarios if s.id == scenario_id)


def scenario_files(directory: str | Path) -> list[Path]:
    """The scenario files of a folder, sorted by name."""
    return sorted(Path(directory).glob(SCENARIO_GLOB))


def load_library(directory: str | Path, *, strict: bool = False) -> Library:
    """Load every ``<id>.<language>.toml`` in ``directory``.

    A bad file does not hide the good ones: its :class:`ConfigError` is kept in
    ``Library.errors`` (each names its file). With ``strict=True`` the first bad file
    raises instead. Two files with the same id and language are an error.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError(folder, [Problem("", "not a folder of scenarios")])
    loaded: list[Scenario] = []
    errors: list[ConfigError] = []
    seen: dict[tuple[str, str], Path] = {}
    for file in scenario_files(folder):
        try:
            scenario = load_scenario(file)
        except ConfigError as exc:
            if strict:
                raise
            errors.append(exc)
            continue
        if scenario.key in seen:
            duplicate = ConfigError(
                file,
                [
                    Problem(
                        "meta.id",
                        "another file has the same id and language",
                        scenario.meta.id,
                        f"unique (id, language); also in {seen[scenario.key].name}",
                    )
                ],
            )
            if strict:
                raise duplicate
            errors.append(duplicate)
            continue
        seen[scenario.key] = file
        loaded.append(scenario)
    loaded.sort(key=lambda s: s.key)
    return Library(tuple(loaded), tuple(errors))
