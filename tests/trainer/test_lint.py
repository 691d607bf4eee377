"""``recoverylab-train lint``: each finding code on a minimal variant of the fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import FIXTURE_FILE, FIXTURES, write_variant
from teaching_support import write_teaching_drill

from trainer.cli import main
from trainer.engine.lint import CATEGORY_CODES, CUE_CODES, lint_file

ORPHAN = '''
[nodes.orphan]
lines = [{ text = "Nobody gets here." }]

[[nodes.orphan.options]]
text = "Bye."
tags = ["brief_firm"]
next = "ptp"
'''
TRAP = '''
[nodes.trap]
lines = [{ text = "Round and round." }]

[[nodes.trap.options]]
text = "Again."
tags = ["brief_firm"]
next = "trap"
'''
CLOSE_2 = 'text = "No, that\'s all. Bye."\ntags = ["brief_firm"]\nnext = "ptp"'
RECAP_1 = '[[nodes.recap.options]]\ntext = "Let me read'
RECAP_2 = '[[nodes.recap.options]]\ntext = "Great,'

# fmt: off
VARIANTS = [
    # name, old, new, code, key
    ("unreachable node", "[endings.ptp]", ORPHAN + "\n[endings.ptp]", "unreachable-node",
     "nodes.orphan"),
    ("unreachable ending", "[endings.ptp]",
     '[endings.never]\noutcome = "complaint"\nlines = [{ text = "x" }]\n\n[endings.ptp]',
     "unreachable-ending", "endings.never"),
    ("node without options", CLOSE_2,
     CLOSE_2.replace('next = "ptp"', 'next = "limbo"')
     + '\n\n[nodes.limbo]\nlines = [{ text = "…" }]',
     "dead-end", "nodes.limbo"),
    ("trap loop", CLOSE_2, CLOSE_2.replace('next = "ptp"', 'next = "trap"') + "\n" + TRAP,
     "dead-end", "nodes.trap"),
    ("untagged option", CLOSE_2, CLOSE_2.replace('["brief_firm"]', "[]"), "no-tags",
     "nodes.close.options[1].tags"),
    ("options can all vanish", RECAP_1, RECAP_1.replace("text", 'when = "trust <= 40"\ntext'),
     None, None),
    ("lines can all vanish", '{ text = "Hello?" },\n  { text = "Hello, Sam speaking." },',
     '{ text = "Hello?", when = "anger < 40" },', "no-line", "nodes.greeting.lines"),
    ("language under the wrong pack", 'language = "en-US"', 'language = "zh-CN"',
     "language-pack", "meta.rule_pack"),
    ("currency of another pack", 'currency = "USD"', 'currency = "GBP"', "currency",
     "brief.currency"),
    ("disabled house rule", 'violations = ["US-12"]', 'violations = ["US-12", "US-19"]',
     "disabled-rule", "nodes.disclosure.options[1].violations"),
    ("unknown tag", 'tags = ["identify_self"]', 'tags = ["identify_slef"]', "invalid",
     "nodes.greeting.options[0].tags[0]"),
]
# fmt: on


def test_fixture_is_clean() -> None:
    """The fixture is a scoring test bed (its best path is every first option, its
    disclosures are major breaches the scoring tests rely on), so only the checks of
    whether a drill *runs* apply to it; the teaching checks are tested in test_cues."""
    scenario, findings = lint_file(FIXTURE_FILE)
    assert scenario is not None
    assert [f for f in findings if f.code not in CATEGORY_CODES | CUE_CODES] == []


@pytest.mark.parametrize(("old", "new", "code", "key"), [v[1:] for v in VARIANTS],
                         ids=[v[0] for v in VARIANTS])
def test_each_finding(tmp_path: Path, old: str, new: str, code: str | None, key: str | None
                      ) -> None:
    if code is None:  # both recap options guarded: the probe finds trust in (40, 50]
        path = write_variant(tmp_path, old, new)
        guarded = RECAP_2.replace("text", 'when = "trust > 50"\ntext')
        text = path.read_text().replace(RECAP_2, guarded)
        path.write_text(text)
        code, key = "options-can-vanish", "nodes.recap.options"
    else:
        path = write_variant(tmp_path, old, new)
    _, findings = lint_file(path)
    assert (code, key) in {(f.code, f.key) for f in findings}, [f.render() for f in findings]
    finding = next(f for f in findings if f.code == code)
    assert finding.path == str(path) and code in finding.render()
    if code == "options-can-vanish":
        assert "trust=41" in finding.message or "trust=50" in finding.message
    if code == "invalid":
        assert finding.suggestion == "identify_self"


def test_once_options_at_a_revisited_node_can_run_out(tmp_path: Path) -> None:
    old = 'text = "I\'m sorry, that sounds really hard.'
    path = write_variant(tmp_path, old, 'once = true\n' + old)
    text = path.read_text().replace(
        'text = "If this isn\'t paid', 'once = true\ntext = "If this isn\'t paid')
    path.write_text(text)
    _, findings = lint_file(path)
    assert "options-can-vanish" in {f.code for f in findings}


def test_file_name_must_match_id_and_language(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "Right. Go on then.", "Right. Go on then.",
                         name="other.en-US.toml")
    _, findings = lint_file(path)
    assert [f.code for f in findings if f.code not in CATEGORY_CODES | CUE_CODES] == [
        "file-name"]


TINY = '''
[meta]
id = "tiny"
title = "Too small"
debtor_type = "stalling"
difficulty = "easy"
language = "en-US"
rule_pack = "us"
start = "only"

[brief]
debtor_name = "A"
creditor = "B"
product = "loan"
currency = "USD"
balance = 10
dpd = 5
local_time = "2026-03-12T10:00"
timezone = "America/Chicago"

[persona]
description = "Brief."
mood = { anger = 10 }

[nodes.only]
lines = [{ text = "Hi." }]

[[nodes.only.options]]
text = "Bye."
tags = ["brief_firm"]
next = "done"

[endings.done]
outcome = "no_agreement"
lines = [{ text = "Bye." }]
'''


def test_small_drills_are_flagged(tmp_path: Path) -> None:
    path = tmp_path / "tiny.en-US.toml"
    path.write_text(TINY, encoding="utf-8")
    _, findings = lint_file(path)
    assert {f.code for f in findings} - CUE_CODES == {"few-endings", "few-decisions"}


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write_teaching_drill(tmp_path)
    assert main(["lint", str(clean)]) == 0
    assert "1 file checked: 0 findings" in capsys.readouterr().out
    bad = write_teaching_drill(tmp_path, **{'currency = "USD"': 'currency = "CNY"'})
    assert main(["lint", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "brief.currency: currency" in out and "1 finding in 1 file" in out
    assert main(["lint", str(tmp_path / "missing.en-US.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.en-US.toml"
    broken.write_text("[meta\n", encoding="utf-8")
    assert main(["lint", str(broken)]) == 2
    assert "invalid TOML" in capsys.readouterr().err


def test_cli_a_drill_that_fails_validation_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 with file, key, value and expectation, like any bad input; the other files
    named are still linted and their findings printed."""
    invalid = write_variant(tmp_path, 'tags = ["identify_self"]', 'tags = ["identify_slef"]')
    findings_only = write_teaching_drill(tmp_path, **{'currency = "USD"': 'currency = "CNY"'})
    assert main(["lint", str(invalid)]) == 2
    err = capsys.readouterr().err
    assert f"error: {invalid}:" in err
    assert "nodes.greeting.options[0].tags[0]" in err and "'identify_slef'" in err
    assert "expected: " in err and "Traceback" not in err
    assert main(["lint", str(invalid), str(findings_only)]) == 2
    captured = capsys.readouterr()
    assert "brief.currency: currency" in captured.out
    assert "1 file not loaded (bad input)" in captured.out
    assert str(invalid) in captured.err


def test_cli_folder_checks_language_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(FIXTURES)]) == 1
    assert "missing-language: drill 'fixture-hardship' has no zh-CN version" in (
        capsys.readouterr().out)


LATE = '[nodes.late]\n'


@pytest.mark.parametrize(("fields", "code", "key"), [
    ('local_time = "2026-03-12T21:30"\n', None, None),  # forward in time: clean
    ('local_time = "2026-13-45T21:30"\n', "invalid", "nodes.late.local_time"),
    ('local_time = "2026-03-12T25:30"\n', "invalid", "nodes.late.local_time"),
    ('local_time = "2026-03-12T17:30"\n', "time-backwards", "nodes.late.local_time"),
    ('local_time = "2026-03-12T21:30"\ntimezone = "America/Chicgo"\n', "invalid",
     "nodes.late.timezone"),
    ('timezone = "America/Chicago"\n', "invalid", "nodes.late"),
    # 19:30 in Los Angeles is 22:30 in New York: later, though the clock reads earlier.
    ('local_time = "2026-03-12T17:30"\ntimezone = "America/Los_Angeles"\n', None, None),
], ids=["forward", "no such date", "no such hour", "back before the start", "unknown zone",
        "zone without a time", "earlier clock, later instant"])
def test_a_node_that_moves_the_call_gives_a_real_time_going_forward(
        tmp_path: Path, fields: str, code: str | None, key: str | None) -> None:
    path = write_variant(tmp_path, LATE, LATE + fields)
    _, findings = lint_file(path)
    timing = {(f.code, f.key) for f in findings if f.key.startswith("nodes.late")}
    assert timing == ({(code, key)} if code else set()), [f.render() for f in findings]


LATE_LINE = '[{ text = "It\'s half nine at night! Who calls at this hour?" }]'


@pytest.mark.parametrize(("fields", "code", "key"), [
    (', local_time = "2026-03-12T21:30"', None, None),
    (', local_time = "2026-03-12T17:30"', "time-backwards", "nodes.late.lines[0].local_time"),
    (', local_time = "2026-03-12T21:30", timezone = "Europe/Lndon"', "invalid",
     "nodes.late.lines[0].timezone"),
    (', timezone = "Europe/London"', "invalid", "nodes.late.lines[0]"),
], ids=["forward", "back before the start", "unknown zone", "zone without a time"])
def test_a_line_that_moves_the_call_gives_a_real_time_going_forward(
        tmp_path: Path, fields: str, code: str | None, key: str | None) -> None:
    """A debtor's line may move the call ("(21:30) ..."), checked like a node's time."""
    line = LATE_LINE.replace('?" }', '?"' + fields + " }")
    path = write_variant(tmp_path, "lines = " + LATE_LINE, "lines = " + line)
    _, findings = lint_file(path)
    timing = {(f.code, f.key) for f in findings if f.key.startswith("nodes.late")}
    if code is None:
        assert timing == set(), [f.render() for f in findings]
    else:  # pydantic may also report the emptied tuple of lines; nothing else
        assert (code, key) in timing and {c for c, _ in timing} == {code}, timing


def test_a_line_variant_does_not_drag_other_routes_forward(tmp_path: Path) -> None:
    """Only one variant of a node is said. A late variant (tomorrow) must not make a later
    node's time (tonight, on the other variant's route) look backwards; a time before
    every variant still does. An ending's line is checked too."""
    two = ('[{ text = "It\'s half nine at night! Who calls at this hour?", '
           'local_time = "2026-03-12T21:30" },\n'
           '  { text = "(Next day) Hello?", local_time = "2026-03-13T10:00" }]')
    path = write_variant(tmp_path, "lines = " + LATE_LINE, "lines = " + two)
    text = path.read_text()

    def verify_at(when: str) -> str:
        return text.replace("[nodes.verify]\n", f'[nodes.verify]\nlocal_time = "{when}"\n', 1)

    path.write_text(verify_at("2026-03-12T21:40"))
    _, findings = lint_file(path)
    assert not [f for f in findings if f.code == "time-backwards"], [f.render() for f in findings]
    path.write_text(verify_at("2026-03-12T21:00").replace(
        'lines = [{ text = "Monday\'s fine. Talk then." }]',
        'lines = [{ text = "Monday\'s fine.", local_time = "2026-03-12T17:00" }]'))
    _, findings = lint_file(path)
    backwards = {f.key for f in findings if f.code == "time-backwards"}
    assert backwards == {"nodes.verify.local_time", "endings.callback.lines[0].local_time"}, (
        [f.render() for f in findings])


def test_a_route_cannot_take_the_clock_back(tmp_path: Path) -> None:
    """Verify is reached from the late node (21:30) and from the greeting (18:10): a time
    of 20:00 there would take the first route back."""
    path = write_variant(tmp_path, LATE, LATE + 'local_time = "2026-03-12T21:30"\n')
    text = path.read_text().replace("[nodes.verify]\n",
                                    '[nodes.verify]\nlocal_time = "2026-03-12T20:00"\n', 1)
    path.write_text(text)
    _, findings = lint_file(path)
    assert ("time-backwards", "nodes.verify.local_time") in {(f.code, f.key) for f in findings}
