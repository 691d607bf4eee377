"""Rule titles at 80 columns: every title of every pack, on each screen that shows one.

A title may be longer than one line at 80 columns (the longest English one is 105
cells), so "fits" means: shown whole (no word cut off or lost past the edge), and a
title that wraps hangs under its own first word rather than running back under the rule
id. Checked with Pilot at 80x24: each widget is rendered at the width the layout gave
it and read back line by line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_support import make_shipped_app, open_brief, settle, sign_in, until
from rich.cells import cell_len
from textual.geometry import Region
from textual.widget import Widget

from sim.rules import load_rule_pack
from trainer.messages import rule_title
from trainer.storage import AttemptResult, ScenarioInfo, Storage

PACK_DRILL = {"cn": ("hardship-job-loss", "zh-CN"), "us": ("hardship-job-loss", "en-US"),
              "uk": ("hardship-job-loss", "en-GB")}
"""One shipped drill judged by each pack: its brief and debrief show the pack's rules."""
LANGUAGES = ("en", "zh-CN")


def rendered(widget: Widget) -> list[str]:
    """The widget's lines as drawn at its laid-out width (its whole height, scrolled or not)."""
    size = widget.outer_size
    assert size.width <= 80
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *size))]


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_whole_and_hanging(lines: list[str], rule_id: str, title: str, width: int) -> None:
    """``title`` follows ``rule_id`` whole (beside it or on the next line), every line of it
    starting in one column to the right of the id's: it hangs, never runs back under it."""
    assert all(cell_len(line) <= width for line in lines)
    first = next(i for i, line in enumerate(lines) if rule_id in line.split())
    id_column = cell_len(lines[first][:lines[first].find(rule_id)])
    opening = title.split()[0][:2]
    at = first if lines[first].find(opening, lines[first].find(rule_id) + len(rule_id)) > 0 \
        else first + 1
    line = lines[at]
    start = line.find(opening, line.find(rule_id) + len(rule_id) if at == first else 0)
    indent = cell_len(line[:start])
    assert indent > id_column, (rule_id, line)
    shown, i = line[start:], at + 1
    while squeeze(title) not in squeeze(shown) and i < len(lines):
        line = lines[i]
        assert cell_len(line) - cell_len(line.lstrip()) == indent, (rule_id, lines)
        shown += line
        i += 1
    assert squeeze(title) in squeeze(shown), (rule_id, title, lines[first:i])


def pack_rules(pack: str) -> list[Any]:
    return [rule for rule in load_rule_pack(pack).rules if rule.enabled]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pack", sorted(PACK_DRILL))
async def test_every_title_hangs_whole_on_the_brief(tmp_path: Path, pack: str,
                                                    language: str) -> None:
    """The brief lists the drill's rules in play; here a copy of a shipped drill lists all
    of its pack's rules."""
    from sim import shipped
    from trainer.engine import load_scenario

    drill = load_scenario(shipped.resolve("drill", ".".join(PACK_DRILL[pack])))
    rules = pack_rules(pack)
    every = drill.model_copy(update={"brief": drill.brief.model_copy(
        update={"rules_in_play": tuple(r.id for r in rules)})})
    every._pack, every._tags, every._path = drill._pack, drill._tags, drill._path
    app = make_shipped_app(tmp_path / "t.db", language=language)
    app._load_library = lambda: [every]  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_brief(pilot, PACK_DRILL[pack])
        assert app.tr.language == language
        widget = app.screen.query_one("#brief-rules")
        lines = rendered(widget)
        for rule in rules:
            assert_whole_and_hanging(lines, rule.id, rule_title(rule, language),
                                     widget.outer_size.width)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pack", sorted(PACK_DRILL))
async def test_every_title_hangs_whole_in_the_debrief(tmp_path: Path, pack: str,
                                                      language: str) -> None:
    """The debrief's violations (and advice) render each broken rule the same way."""
    from sim import shipped
    from trainer.engine import Session, load_scenario, score
    from trainer.screens.debrief import DebriefScreen
    from trainer.widgets.layout import Rows

    drill = load_scenario(shipped.resolve("drill", ".".join(PACK_DRILL[pack])))
    session = Session.start(drill, seed=0)
    session.hang_up()
    app = make_shipped_app(tmp_path / "t.db", language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.tr.language == language
        screen = DebriefScreen(drill, session, score(session), [drill])
        app.push_screen(screen)
        await until(pilot, lambda: app.screen is screen and screen.review is not None)
        await settle(pilot)
        widget = screen.query_one("#violations")
        rules = pack_rules(pack)
        widget.update(Rows([row for r in rules for row in screen._violation(r.id, r.severity, 3)]))
        await settle(pilot)
        lines = rendered(widget)
        for rule in rules:
            assert_whole_and_hanging(lines, rule.id, rule_title(rule, language),
                                     widget.outer_size.width)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_title_is_shown_whole_on_the_manager_report(tmp_path: Path,
                                                                language: str) -> None:
    """The rules table cuts long titles; the highlighted rule's detail shows it whole."""
    from textual.widgets import DataTable

    from trainer.storage import ViolationRecord

    db = tmp_path / "t.db"
    storage = Storage.open(db)
    storage.sign_in("Mia", language)
    storage.set_password("mia", "pw", role="manager")
    every = {}
    for pack in sorted(PACK_DRILL):
        info = ScenarioInfo("drill", "en-US", "", "Drill", "hardship", "easy", pack)
        sid = storage.begin_session("mia", info, 1, "{}")
        rules = pack_rules(pack)
        every.update({r.id: r for r in rules})
        storage.finish_session(sid, "{}", AttemptResult(
            "promise_to_pay", 0, 50, 50, 20, 75, False, True,
            [ViolationRecord(1, r.id, r.severity, r.title.get("en", ""), r.citation)
             for r in rules]))
    storage.close()
    app = make_shipped_app(db, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        from trainer.screens.manager import ManagerScreen

        await sign_in(pilot, "Mia")
        app.push_screen(ManagerScreen())
        await until(pilot, lambda: isinstance(app.screen, ManagerScreen)
                    and app.screen.report is not None)
        screen = app.screen
        assert app.tr.language == language
        screen.query_one("#manager-tabs").active = "tab-rules"
        await settle(pilot)
        table = screen.query_one("#rule-table", DataTable)
        assert table.row_count == len(every)
        for row in range(table.row_count):
            rule_id = screen.report.rules[row].rule_id
            screen._detail(rule_id)
            await pilot.pause()
            widget = screen.query_one("#rule-detail")
            assert_whole_and_hanging(rendered(widget), rule_id,
                                     rule_title(every[rule_id], language),
                                     widget.outer_size.width)
