"""Progress and the manager's report: what the stored drills say about people and rules.

A training lead asks three questions on a Friday: who is improving, which rules keep being
broken, and who needs a coaching session before going live. This module answers them from
the database alone (no scenario files, no Textual), so the report screen and the headless
``recoverylab-train report`` produce the same figures.

Definitions, chosen to match what commercial trainers show (reference §1):

- **Proficiency per skill** is the share of good behaviours among all scored behaviours of
  that skill (tags in ``tags.toml``), weighted towards recent drills with a half-life of
  :data:`HALF_LIFE_ATTEMPTS` drills, so an early bad habit fades once it is fixed. Tiers
  follow Exec's bands: excellent 90+, proficient 75-89, developing 50-74, needs work <50.
- **Certification** needs a pass on every core debtor type, and the trainee's latest drill
  of each type must be free of critical violations: a recent critical slip suspends the
  type until it is passed again.
- **A rule's pass rate** is the share of finished drills under the rule's pack that did
  not break it. Its title is shown in the reader's language when the shipped rule pack
  has one (the database keeps the title in the drill's language).
- **Needs coaching** flags a trainee with a critical violation in their last five drills,
  a pass rate under 50% over their last five (at least three drills), three or more
  drills without a pass, or a skill below 50 with enough evidence.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from trainer.i18n import Translator
from trainer.storage import Attempt, Decision, Storage, ViolationRecord
from trainer.vocabulary import debtor_types, vocabulary

CORE_DEBTOR_TYPES: tuple[str, ...] = debtor_types()
"""Every declared debtor type (``vocabulary.toml``); certification covers those in the library."""

SKILLS: tuple[str, ...] = (
    "empathy", "verification", "disclosure", "negotiation", "recap", "conduct",
)
HALF_LIFE_ATTEMPTS = 5
RECENT = 5
TIERS: tuple[tuple[float, str], ...] = (
    (90, "excellent"), (75, "proficient"), (50, "developing"), (0, "needs_work"),
)


@dataclass(frozen=True, slots=True)
class SkillLevel:
    skill: str
    score: float | None
    """0-100, or None when no drill has shown this skill yet."""
    evidence: int
    """How many scored behaviours the score rests on."""

    @property
    def tier(self) -> str | None:
        if self.score is None:
            return None
        return next(name for floor, name in TIERS if self.score >= floor)


def proficiency(
    evidence: Iterable[tuple[int, str, int, int]], skills: Sequence[str] = SKILLS
) -> dict[str, SkillLevel]:
    """Recency-weighted proficiency per skill from ``(session, skill, good, bad)`` rows."""
    rows = list(evidence)
    order = sorted({session for session, *_ in rows}, reverse=True)
    age = {session: rank for rank, session in enumerate(order)}  # 0 = most recent drill
    good: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    for session, skill, g, b in rows:
        weight = 0.5 ** (age[session] / HALF_LIFE_ATTEMPTS)
        good[skill] += weight * g
        total[skill] += weight * (g + b)
        count[skill] += g + b
    names = list(skills) + sorted(set(count) - set(skills))
    return {
        s: SkillLevel(s, round(100 * good[s] / total[s], 1) if total[s] else None, count[s])
        for s in names
    }


@dataclass(frozen=True, slots=True)
class Certification:
    per_type: dict[str, bool]
    """debtor type -> currently certified on it."""
    tried: frozenset[str] = frozenset()
    """Debtor types with at least one finished drill: an uncertified type is either
    failed so far (in here) or not attempted yet, and a trainee needs to tell them apart."""

    @property
    def certified(self) -> bool:
        return bool(self.per_type) and all(self.per_type.values())

    @property
    def done(self) -> int:
        return sum(self.per_type.values())


def outcome_mix(attempts: Iterable[Attempt]) -> dict[str, int]:
    """How a trainee's calls ended, by outcome family (promise, plan, dispute logged,
    escalation, hang-up, ...), in the vocabulary's order; families never reached are 0.
    A trainee who escapes calls shows it here: many escalations and hang-ups, few plans."""
    v = vocabulary()
    counts = Counter(v.family(a.outcome) for a in attempts)
    return {family: counts.get(family, 0) for family in v.families}


def render_mix(mix: dict[str, int], tr: Translator) -> str:
    """``promise 3 · plan 1 · escalation 2`` (families with calls only; ``—`` if none)."""
    parts = [f"{tr.label('family', family)} {n}" for family, n in mix.items() if n]
    return " · ".join(parts) or "—"


@dataclass(frozen=True, slots=True)
class FreeReplyRule:
    """Which passes count when a manager requires free reply on some drills.

    Choosing the right sentence among three is recognition; a live call needs the
    collector to say it. A manager can therefore require typed replies on a drill
    (every language of it): a pass there certifies only if the trainee typed the call
    (:meth:`Storage.typed_sessions`). The setting is per drill, not per debtor type or
    global, because drills of one type differ in difficulty and a manager moves a team to
    typed replies drill by drill, starting where the options are easiest to say freely.
    The same typed-call set gives the report's free-reply attempts and passes."""

    required: frozenset[str] = frozenset()
    """Drill ids on which only typed passes certify."""
    typed: frozenset[int] = frozenset()
    """Session ids of calls the trainee typed."""

    @classmethod
    def of(cls, storage: Storage) -> FreeReplyRule:
        return cls(storage.typed_required(), storage.typed_sessions())

    def certifies(self, attempt: Attempt) -> bool:
        """A pass that counts for certification."""
        return attempt.passed and (attempt.scenario.scenario_id not in self.required
                                   or attempt.session_id in self.typed)


def certification(attempts: Sequence[Attempt], core_types: Sequence[str],
                  rule: FreeReplyRule = FreeReplyRule()) -> Certification:
    """Which core debtor types a trainee's drills (oldest first) certify; on the drills
    ``rule`` names, only typed passes count."""
    per_type: dict[str, bool] = {}
    tried: set[str] = set()
    for debtor_type in core_types:
        mine = [a for a in attempts if a.scenario.debtor_type == debtor_type]
        per_type[debtor_type] = (
            any(rule.certifies(a) for a in mine) and bool(mine) and not mine[-1].critical
        )
        if mine:
            tried.add(debtor_type)
    return Certification(per_type, frozenset(tried))


@dataclass(frozen=True, slots=True)
class TraineeRow:
    trainee_id: str
    name: str
    attempts: int
    passes: int
    best: float
    mean: float
    criticals: int
    top_violations: tuple[tuple[str, int], ...]
    certified_types: int
    coaching: tuple[str, ...] = ()
    mix: tuple[tuple[str, int], ...] = ()
    """Outcome family -> calls (see :func:`outcome_mix`)."""
    flags: tuple[str, ...] = ()
    """Gaming patterns (see :mod:`trainer.gaming`)."""
    median_think_s: float | None = None
    """Median seconds per decision."""
    trend: tuple[tuple[str, float, bool], ...] = ()
    """(finished at, overall, passed) per call in the report's date range, oldest first."""
    drills: tuple[DrillRow, ...] = ()
    typed_attempts: int = 0
    """Calls said in the trainee's own words (see :class:`FreeReplyRule`), counted
    apart: saying it is harder than recognising it among options."""
    typed_passes: int = 0

    @property
    def pass_rate(self) -> float:
        return self.passes / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True)
class DrillRow:
    """One trainee on one drill."""

    scenario_id: str
    language: str
    title: str
    attempts: int
    passes: int
    best: float
    last: float
    last_outcome: str


@dataclass(frozen=True, slots=True)
class RuleRow:
    rule_id: str
    severity: str
    title: str
    """As stored with the attempts: in the language of the drill that broke the rule."""
    citation: str
    breaches: int
    drills: int
    """Finished drills that broke the rule at least once."""
    trainees: int
    under_pack: int
    """Finished drills run under the rule's pack."""
    titles: tuple[tuple[str, str], ...] = ()
    """The pack's titles per language key (``zh``, ``en``), when the pack could be read."""

    @property
    def pass_rate(self) -> float:
        return 1 - self.drills / self.under_pack if self.under_pack else 1.0

    def title_in(self, language: str) -> str:
        """The title in ``language`` if the pack has it, else as stored."""
        return dict(self.titles).get(language.split("-")[0].lower()) or self.title


@dataclass(frozen=True, slots=True)
class ManagerReport:
    generated_at: str
    source: str
    trainees: tuple[TraineeRow, ...]
    rules: tuple[RuleRow, ...]
    core_types: tuple[str, ...]
    attempts: int = 0
    pass_rate: float = 0.0
    coaching: tuple[TraineeRow, ...] = field(default=())
    period: Period | None = None
    """The date range the report covers (None: every finished drill)."""
    typed_required: tuple[str, ...] = ()
    """Drills a manager requires to be passed in the trainee's own words to certify."""


@dataclass(frozen=True, slots=True)
class Period:
    """A date range of finished drills, both ends inclusive; an open end is unbounded.

    Dates are calendar days where the report is read (the local time of this computer),
    as the app shows when a drill was finished, so "from the 1st" means the manager's
    1st, not UTC's.
    """

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"the period starts ({self.since}) after it ends ({self.until})")

    def holds(self, finished_at: str) -> bool:
        day = datetime.fromisoformat(finished_at).astimezone().date()
        return ((self.since is None or day >= self.since)
                and (self.until is None or day <= self.until))

    def render(self, tr: Translator) -> str:
        """``2026-03-01 – 2026-03-31``; an open end reads "first drill" / "today"."""
        return tr("report.period", since=self.since or tr("report.period.first"),
                  until=self.until or tr("report.period.last"))


def coaching_reasons(
    attempts: Sequence[Attempt], skills: dict[str, SkillLevel]
) -> tuple[str, ...]:
    """Why a trainee (their drills oldest first) should see a coach, as reason codes."""
    recent = attempts[-RECENT:]
    reasons: list[str] = []
    if any(a.critical for a in recent):
        reasons.append("critical_recent")
    if len(recent) >= 3 and sum(a.passed for a in recent) / len(recent) < 0.5:
        reasons.append("low_pass_rate")
    if len(attempts) >= 3 and not any(a.passed for a in attempts):
        reasons.append("no_pass_yet")
    reasons += [
        f"weak_skill:{s.skill}" for s in skills.values()
        if s.score is not None and s.score < 50 and s.evidence >= 3
    ]
    return tuple(reasons)


def build_report(
    storage: Storage,
    core_types: Sequence[str] = CORE_DEBTOR_TYPES,
    clock: datetime | None = None,
    *,
    period: Period | None = None,
) -> ManagerReport:
    """Aggregate the finished drills in the database, per trainee and per rule.

    ``period`` limits the report to calls finished in that date range: the trend a
    manager reads over a chosen month, or since the last coaching session.
    """
    attempts = [a for a in storage.attempts() if period is None or period.holds(a.finished_at)]
    kept = {a.session_id for a in attempts}
    violations = [(s, v) for s, v in storage.violations() if s in kept]
    evidence = [e for e in storage.skill_evidence() if e[0] in kept]
    decisions = [(s, d) for s, d in storage.decisions() if s in kept]
    # Typed replies are no multiple-choice decisions: the gaming flags (longest option,
    # no time to read) read only the picks, and the typed calls are counted apart.
    rule = FreeReplyRule.of(storage)
    decisions = [(s, d) for s, d in decisions if d.typed is None]
    by_trainee: dict[str, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_trainee[a.trainee_id].append(a)
    owner = {a.session_id: a.trainee_id for a in attempts}
    rows = [
        _trainee_row(
            mine,
            [v for s, v in violations if owner.get(s) == trainee],
            [e for e in evidence if owner.get(e[0]) == trainee],
            core_types,
            [d for s, d in decisions if owner.get(s) == trainee],
            rule,
        )
        for trainee, mine in by_trainee.items()
    ]
    rows.sort(key=lambda r: (-len(r.coaching), r.pass_rate, r.name.casefold()))
    when = (clock or datetime.now(UTC)).isoformat(timespec="seconds")
    passes = sum(a.passed for a in attempts)
    return ManagerReport(
        generated_at=when,
        source=str(storage.path),
        trainees=tuple(rows),
        rules=_rule_rows(attempts, violations),
        core_types=tuple(core_types),
        attempts=len(attempts),
        pass_rate=passes / len(attempts) if attempts else 0.0,
        coaching=tuple(r for r in rows if r.coaching),
        period=period,
        typed_required=tuple(sorted(rule.required)),
    )


def _drill_rows(mine: list[Attempt]) -> tuple[DrillRow, ...]:
    grouped: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for a in mine:
        grouped[(a.scenario.scenario_id, a.scenario.language)].append(a)
    return tuple(
        DrillRow(sid, lang, runs[-1].scenario.title, len(runs), sum(a.passed for a in runs),
                 max(a.overall for a in runs), runs[-1].overall, runs[-1].outcome)
        for (sid, lang), runs in sorted(grouped.items())
    )


def _trainee_row(
    mine: list[Attempt],
    violations: list[ViolationRecord],
    evidence: list[tuple[int, str, int, int]],
    core_types: Sequence[str],
    decisions: Sequence[Decision] = (),
    rule: FreeReplyRule = FreeReplyRule(),
) -> TraineeRow:
    from trainer.gaming import habits

    typed = [a for a in mine if a.session_id in rule.typed]
    skills = proficiency(evidence)
    how = habits(mine, decisions)
    return TraineeRow(
        trainee_id=mine[0].trainee_id,
        name=mine[0].trainee_name,
        attempts=len(mine),
        passes=sum(a.passed for a in mine),
        best=max(a.overall for a in mine),
        mean=round(sum(a.overall for a in mine) / len(mine), 1),
        criticals=sum(a.critical for a in mine),
        top_violations=tuple(Counter(v.rule_id for v in violations).most_common(3)),
        certified_types=certification(mine, core_types, rule).done,
        coaching=coaching_reasons(mine, skills),
        mix=tuple(outcome_mix(mine).items()),
        flags=how.flags,
        median_think_s=how.median_think_s,
        trend=tuple((a.finished_at, a.overall, a.passed) for a in mine),
        drills=_drill_rows(mine),
        typed_attempts=len(typed),
        typed_passes=sum(a.passed for a in typed),
    )


def _rule_rows(
    attempts: Sequence[Attempt], violations: Sequence[tuple[int, ViolationRecord]]
) -> tuple[RuleRow, ...]:
    by_id = {a.session_id: a for a in attempts}
    per_pack = Counter(a.scenario.rule_pack for a in attempts)
    grouped: dict[str, list[tuple[int, ViolationRecord]]] = defaultdict(list)
    for session, v in violations:
        if session in by_id:
            grouped[v.rule_id].append((session, v))
    rows = []
    for rule_id, hits in grouped.items():
        sessions = {s for s, _ in hits}
        packs = {by_id[s].scenario.rule_pack for s in sessions}
        first = hits[0][1]
        rows.append(
            RuleRow(
                rule_id=rule_id, severity=first.severity, title=first.title,
                citation=first.citation, breaches=len(hits), drills=len(sessions),
                trainees=len({by_id[s].trainee_id for s in sessions}),
                under_pack=sum(per_pack[p] for p in packs),
                titles=_pack_titles(rule_id, packs),
            )
        )
    severity_rank = {"critical": 0, "major": 1, "minor": 2}
    rows.sort(key=lambda r: (severity_rank.get(r.severity, 3), -r.drills, r.rule_id))
    return tuple(rows)


def _pack_titles(rule_id: str, packs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The rule's titles from the first of ``packs`` that can be read and holds it."""
    from sim.errors import ConfigError
    from sim.rules import load_rule_pack

    for pack in sorted(packs):
        try:
            return tuple(sorted(load_rule_pack(pack).rule(rule_id).title.items()))
        except (ConfigError, KeyError, OSError):
            continue  # a test pack moved away, or a rule since renamed: keep the stored title
    return ()


# -- export ---------------------------------------------------------------------------


def reason_text(reason: str, tr: Translator) -> str:
    code, _, skill = reason.partition(":")
    return tr(f"coach.{code}", skill=tr.label("skill", skill)) if skill else tr(f"coach.{code}")


def trainees_csv(report: ManagerReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([
        "trainee_id", "name", "attempts", "passes", "pass_rate", "best", "mean",
        "critical_violations", "top_violations", "certified_types", "core_types",
        "needs_coaching", "reasons", "outcome_mix", "median_seconds_per_decision",
        "gaming_flags", "free_reply_attempts", "free_reply_passes",
    ])
    for r in report.trainees:
        writer.writerow([
            r.trainee_id, r.name, r.attempts, r.passes, f"{r.pass_rate:.3f}", r.best, r.mean,
            r.criticals, ";".join(f"{rule}x{n}" for rule, n in r.top_violations),
            r.certified_types, len(report.core_types), int(bool(r.coaching)),
            ";".join(r.coaching), ";".join(f"{f}x{n}" for f, n in r.mix if n),
            "" if r.median_think_s is None else f"{r.median_think_s:.1f}", ";".join(r.flags),
            r.typed_attempts, r.typed_passes,
        ])
    return out.getvalue()


def rules_csv(report: ManagerReport, language: str = "en") -> str:
    """One row per rule broken; titles in ``language`` where the pack has them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([
        "rule_id", "severity", "title", "breaches", "drills_breaching", "drills_under_pack",
        "pass_rate", "trainees", "citation",
    ])
    for r in report.rules:
        writer.writerow([
            r.rule_id, r.severity, r.title_in(language), r.breaches, r.drills, r.under_pack,
            f"{r.pass_rate:.3f}", r.trainees, r.citation,
        ])
    return out.getvalue()


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def markdown(report: ManagerReport, tr: Translator) -> str:
    """The report as a Markdown page in the interface language."""
    pct = "{:.0%}".format
    lines = [
        f"# {tr('report.title')}",
        "",
        tr("report.meta", when=report.generated_at, source=report.source,
           attempts=report.attempts, rate=pct(report.pass_rate)),
        "",
        (report.period or Period()).render(tr),
        "",
        tr("report.typed_required", drills=", ".join(report.typed_required)
           or tr("report.typed_required.none")),
        "",
        f"## {tr('report.trainees')}",
        "",
    ]
    if not report.trainees:
        lines.append(tr("report.empty"))
    lines += _md_table(
        [tr("col.trainee"), tr("col.attempts"), tr("col.pass_rate"), tr("col.best"),
         tr("col.mean"), tr("col.criticals"), tr("col.top_violations"), tr("col.certified")],
        [
            [r.name, r.attempts, pct(r.pass_rate), f"{r.best:.0f}", f"{r.mean:.0f}",
             r.criticals, ", ".join(f"{rule} ×{n}" for rule, n in r.top_violations) or "-",
             f"{r.certified_types}/{len(report.core_types)}"]
            for r in report.trainees
        ],
    ) if report.trainees else []
    lines += ["", f"## {tr('report.habits')}", ""]
    lines += _md_table(
        [tr("col.trainee"), tr("col.mix"), tr("col.think"), tr("col.flags"), tr("col.typed")],
        [
            [r.name, render_mix(dict(r.mix), tr),
             "-" if r.median_think_s is None else f"{r.median_think_s:.1f}",
             ", ".join(tr(f"flag.{f}") for f in r.flags) or "-",
             tr("report.typed", attempts=r.typed_attempts, passes=r.typed_passes)]
            for r in report.trainees
        ],
    ) if report.trainees else []
    for r in report.trainees:
        lines += ["", f"### {_md_cell(r.name)}", ""]
        lines += _md_table(
            [tr("col.title"), tr("col.attempts"), tr("col.passes"), tr("col.best"),
             tr("col.last"), tr("col.outcome")],
            [[d.title, d.attempts, d.passes, f"{d.best:.0f}", f"{d.last:.0f}",
              tr.label("outcome", d.last_outcome)] for d in r.drills],
        )
        lines += ["", tr("report.trend") + " " + ", ".join(
            f"{when[:10]} {score:.0f}{'✔' if ok else '✖'}" for when, score, ok in r.trend)]
    lines += ["", f"## {tr('report.rules')}", ""]
    if report.rules:
        lines += _md_table(
            [tr("col.rule"), tr("col.severity"), tr("col.rule_title"), tr("col.breaches"),
             tr("col.pass_rate"), tr("col.trainees"), tr("col.citation")],
            [
                [r.rule_id, tr.label("severity", r.severity), r.title_in(tr.language), r.breaches,
                 pct(r.pass_rate), r.trainees, r.citation]
                for r in report.rules
            ],
        )
    else:
        lines.append(tr("report.no_violations"))
    lines += ["", f"## {tr('report.coaching')}", ""]
    if report.coaching:
        lines += [
            f"- **{_md_cell(r.name)}**: " + "; ".join(reason_text(c, tr) for c in r.coaching)
            for r in report.coaching
        ]
    else:
        lines.append(tr("report.no_coaching"))
    return "\n".join(lines) + "\n"


REPORT_FILES = ("trainees.csv", "rules.csv", "report.md")


def write_report(report: ManagerReport, out_dir: str | Path, tr: Translator) -> list[Path]:
    """Write the CSVs and the Markdown page; the folder appears whole or not at all."""
    from sim.experiments.output import staged_directory

    target = Path(out_dir)
    contents = dict(zip(REPORT_FILES, (trainees_csv(report), rules_csv(report, tr.language),
                                       markdown(report, tr)), strict=True))
    with staged_directory(target) as stage:
        for name, text in contents.items():
            # utf-8-sig so that spreadsheet programs read the Chinese names in the CSVs.
            (stage / name).write_text(text, encoding="utf-8-sig" if name.endswith(".csv")
                                      else "utf-8")
    return [target / name for name in contents]
