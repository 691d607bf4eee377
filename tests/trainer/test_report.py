"""Progress and the manager report: the figures, the coaching flags and the exports."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.i18n import Translator
from trainer.report import (
    REPORT_FILES,
    build_report,
    certification,
    markdown,
    proficiency,
    write_report,
)
from trainer.storage import AttemptResult, ScenarioInfo, Storage, ViolationRecord


def info(debtor_type: str, pack: str = "us") -> ScenarioInfo:
    return ScenarioInfo(f"{debtor_type}-drill", "en-US", "", f"{debtor_type} drill",
                        debtor_type, "easy", pack)


def attempt(overall: float, *, critical: str | None = None, major: str | None = None,
            skills: dict[str, tuple[int, int]] | None = None) -> AttemptResult:
    violations = []
    if critical:
        violations.append(ViolationRecord(3, critical, "critical", "Threats", "15 USC 1692d"))
    if major:
        violations.append(ViolationRecord(2, major, "major", "Verify first", "ACA checkpoint 1"))
    return AttemptResult(
        outcome="promise_to_pay", compliance=0 if critical else 100, deescalation=70,
        outcome_score=80, overall=overall, pass_mark=75,
        passed=overall >= 75 and not critical, critical=bool(critical),
        violations=violations, skills=skills or {},
    )


class Clock:
    """A clock that moves one minute per reading, so drills have a fixed order."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def play(store: Storage, who: str, drill: ScenarioInfo, result: AttemptResult) -> None:
    trainee = store.sign_in(who, "en")
    sid = store.begin_session(trainee.id, drill, 1, "{}")
    store.finish_session(sid, "{}", result)


@pytest.fixture
def team(tmp_path: Path) -> Storage:
    """Ana passes cleanly; Ben keeps threatening; Cy breaks a major rule once."""
    store = Storage.open(tmp_path / "team.db", clock=Clock())
    for kind in ("abusive", "stalling", "hardship"):
        play(store, "Ana", info(kind), attempt(88, skills={"empathy": (2, 0)}))
    for _ in range(3):
        play(store, "Ben", info("abusive"), attempt(40, critical="US-13",
                                                   skills={"empathy": (0, 2)}))
    play(store, "Cy", info("hardship"), attempt(70, major="US-VERIFY"))
    play(store, "Cy", info("hardship", "cn"), attempt(80))
    yield store
    store.close()


def test_per_trainee_rows(team: Storage) -> None:
    report = build_report(team)
    rows = {r.name: r for r in report.trainees}
    assert (rows["Ana"].attempts, rows["Ana"].passes, rows["Ana"].pass_rate) == (3, 3, 1.0)
    assert rows["Ben"].criticals == 3 and rows["Ben"].top_violations == (("US-13", 3),)
    assert rows["Cy"].pass_rate == 0.5 and rows["Cy"].best == 80
    assert rows["Ana"].certified_types == 3
    assert report.attempts == 8 and report.pass_rate == pytest.approx(4 / 8)


def test_per_rule_pass_rate_counts_drills_under_the_rules_pack(team: Storage) -> None:
    rules = {r.rule_id: r for r in build_report(team).rules}
    # Seven drills ran under the US pack: three broke US-13, one broke US-VERIFY.
    assert (rules["US-13"].drills, rules["US-13"].under_pack) == (3, 7)
    assert rules["US-13"].pass_rate == pytest.approx(4 / 7)
    assert rules["US-VERIFY"].pass_rate == pytest.approx(6 / 7)
    assert [r.rule_id for r in build_report(team).rules] == ["US-13", "US-VERIFY"]  # critical first


def test_coaching_flags_name_their_reasons(team: Storage) -> None:
    report = build_report(team)
    flagged = {r.name: r.coaching for r in report.coaching}
    assert set(flagged) == {"Ben"}
    assert {"critical_recent", "low_pass_rate", "no_pass_yet", "weak_skill:empathy"} <= set(
        flagged["Ben"])
    assert report.trainees[0].name == "Ben"  # the people to coach come first


def test_proficiency_weights_recent_drills_more() -> None:
    improving = [(1, "empathy", 0, 4), (2, "empathy", 4, 0)]
    worsening = [(1, "empathy", 4, 0), (2, "empathy", 0, 4)]
    up, down = proficiency(improving)["empathy"], proficiency(worsening)["empathy"]
    assert up.score is not None and down.score is not None
    assert up.score > 50 > down.score
    assert up.evidence == 8
    assert proficiency([])["recap"].score is None and proficiency([])["recap"].tier is None
    assert proficiency([(1, "recap", 9, 1)])["recap"].tier == "excellent"


def test_certification_needs_every_type_and_a_clean_latest_drill(team: Storage) -> None:
    ana = team.attempts("ana")
    assert certification(ana, ("abusive", "stalling", "hardship")).certified
    assert not certification(ana, ("abusive", "vulnerable")).certified
    # A pass followed by a critical slip suspends the type until it is passed again.
    play(team, "Ana", info("abusive"), attempt(30, critical="US-13"))
    assert not certification(team.attempts("ana"), ("abusive",)).per_type["abusive"]
    play(team, "Ana", info("abusive"), attempt(90))
    assert certification(team.attempts("ana"), ("abusive",)).per_type["abusive"]


def test_exports_are_complete_and_translated(team: Storage, tmp_path: Path) -> None:
    report = build_report(team)
    out = tmp_path / "out"
    written = write_report(report, out, Translator("zh-CN"))
    assert [p.name for p in written] == list(REPORT_FILES)
    assert not list(out.glob(".*.tmp"))
    with (out / "trainees.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["name"]: r["needs_coaching"] for r in rows} == {"Ben": "1", "Ana": "0", "Cy": "0"}
    with (out / "rules.csv").open(encoding="utf-8-sig") as f:
        assert [r["rule_id"] for r in csv.DictReader(f)] == ["US-13", "US-VERIFY"]
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "培训报表" in text and "最近五次练习中有严重违规" in text
    assert "| Ben |" in text
    assert "Needs coaching" in markdown(report, Translator("en"))


def test_rule_titles_follow_the_readers_language(tmp_path: Path) -> None:
    """The database keeps a title in the drill's language; the report shows the pack's
    title in the reader's language, and the stored one where the pack has none."""
    store = Storage.open(tmp_path / "t.db", clock=Clock())
    stored = ViolationRecord(2, "CN-VERIFY", "major", "核实对方为债务人本人后，才能谈及欠款",
                             "个人信息保护法")
    cn = AttemptResult("promise_to_pay", 75, 70, 80, 80, 75, True, False, [stored], {})
    play(store, "Li", info("hardship", "cn"), cn)
    play(store, "Ben", info("abusive"), attempt(40, critical="US-13"))
    play(store, "Cy", info("stalling", "tests/nowhere.toml"),
         attempt(60, major="XX-GONE"))  # a pack that cannot be read
    rules = {r.rule_id: r for r in build_report(store).rules}
    store.close()
    assert rules["CN-VERIFY"].title_in("en") == (
        "Confirm you are speaking to the debtor before discussing the debt")
    assert rules["CN-VERIFY"].title_in("zh-CN") == "核实对方为债务人本人后，才能谈及欠款"
    assert rules["US-13"].title_in("en").startswith("No false or misleading statements")
    assert rules["US-13"].title_in("zh-CN").startswith("不得作虚假或误导性陈述")
    assert rules["XX-GONE"].title_in("zh-CN") == "Verify first"
    assert "Confirm you are speaking to the debtor" in markdown(build_report(
        Storage.open(tmp_path / "t.db")), Translator("en"))


def test_report_command_writes_the_files(team: Storage, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli-out"
    assert main(["report", "--db", str(team.path), "--out", str(out)]) == 0
    assert "1 need coaching" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)


def test_report_command_rejects_bad_databases(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["report", "--db", str(tmp_path / "missing.db"), "--out", str(out)]) == 2
    assert "no training database" in capsys.readouterr().err
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 500)
    assert main(["report", "--db", str(bad), "--out", str(out)]) == 2
    assert "damaged" in capsys.readouterr().err
    assert not out.exists()


def test_report_vocabulary_matches_the_engine() -> None:
    """The report keeps its own copy of the skills (so it runs without loading the
    engine) and reads debtor types from the one vocabulary; they agree."""
    from typing import get_args

    from trainer.engine.tags import Skill
    from trainer.report import CORE_DEBTOR_TYPES, SKILLS
    from trainer.vocabulary import debtor_types

    assert set(SKILLS) == set(get_args(Skill))
    assert debtor_types() == CORE_DEBTOR_TYPES


@pytest.fixture
def three_days(tmp_path: Path) -> Storage:
    """Ana on 1, 2 and 3 March (noon UTC: the same day in any zone within 11 h of it);
    a critical slip on the 2nd."""
    now = [datetime(2026, 3, 1, 12, 0, tzinfo=UTC)]
    store = Storage.open(tmp_path / "days.db", clock=lambda: now[0])
    trainee = store.sign_in("Ana", "en")
    for day, (score, critical) in enumerate(((88, None), (40, "US-13"), (91, None)), start=1):
        now[0] = now[0].replace(day=day)
        sid = store.begin_session(trainee.id, info("hardship"), 1, "{}")
        store.finish_session(sid, "{}", attempt(score, critical=critical))
    yield store
    store.close()


def test_a_period_keeps_only_the_drills_finished_in_it(three_days: Storage) -> None:
    from datetime import date

    from trainer.report import Period

    everything = build_report(three_days)
    assert everything.attempts == 3 and everything.trainees[0].criticals == 1
    second = build_report(three_days, period=Period(date(2026, 3, 2), date(2026, 3, 2)))
    assert second.attempts == 1 and second.trainees[0].criticals == 1
    assert [when[:10] for when, _, _ in second.trainees[0].trend] == ["2026-03-02"]
    after = build_report(three_days, period=Period(since=date(2026, 3, 3)))
    assert after.attempts == 1 and after.trainees[0].criticals == 0 and not after.rules
    page = markdown(second, Translator("en"))
    assert "Period: 2026-03-02 to 2026-03-02" in page
    assert "Period: the first drill to the latest drill" in markdown(everything, Translator("en"))
    assert "时段：2026-03-03 至 最近一次练习" in markdown(after, Translator("zh-CN"))
    with pytest.raises(ValueError, match="after it ends"):
        Period(date(2026, 3, 3), date(2026, 3, 1))


def test_report_command_takes_a_date_range(three_days: Storage, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "march-2"
    db = str(three_days.path)
    assert main(["report", "--db", db, "--out", str(out), "--from", "2026-03-02",
                 "--to", "2026-03-02"]) == 0
    assert "Period: 2026-03-02 to 2026-03-02: 1 drills by 1 trainees" in capsys.readouterr().out
    assert "Period: 2026-03-02 to 2026-03-02" in (out / "report.md").read_text()
    # Bad dates: exit 2, a message naming the flag and the value, nothing written.
    for flags, said in ((["--from", "2026-13-45"], "argument --from: '2026-13-45' is not a date"),
                        (["--to", "yesterday"], "argument --to: 'yesterday' is not a date"),
                        (["--from", "2026-03-03", "--to", "2026-03-01"],
                         "--from 2026-03-03 is after --to 2026-03-01")):
        bad_out = tmp_path / "bad"
        try:
            code = main(["report", "--db", db, "--out", str(bad_out), *flags])
        except SystemExit as exc:  # argparse refuses a malformed value itself
            code = exc.code
        err = capsys.readouterr().err
        assert code == 2 and said in err and "Traceback" not in err, err
        assert not bad_out.exists()
