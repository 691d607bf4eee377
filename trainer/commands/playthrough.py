"""``recoverylab-train playthrough [PATH...]``: play role-play scenarios automatically.

For each scenario: the canonical best and worst paths (computed by search), then
either ``--walks N`` seeded random walks (default 50) or an ``--exhaustive`` fold over
every option sequence up to ``--max-depth`` turns. Prints the endings reached, those
never reached, the score range and the surface-cue figures (how often the best option
is the longest or the first written, and what the naive strategies always-longest,
always-shortest, always-first-in-file and keyword score; pooled over the library too);
with ``--out DIR`` writes readable transcripts (``<id>.<language>/best.txt``,
``worst.txt``, ``walk-0001.txt``, ... and a ``summary.json``), staged and moved into
place only when complete.

Exit 1 if any path with a critical violation passes (the invariant the scoring
guarantees) or the call reaches a node with no available option; 2 on bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.commands.lint import add_paths, chosen_paths

HELP = "play scenarios by seeded random walks or exhaustively; check no critical path passes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--walks",
        type=int,
        default=None,
        metavar="N",
        help="number of seeded random walks per scenario (default 50)",
    )
    mode.add_argument(
        "--exhaustive",
        action="store_true",
        help="explore every option sequence up to --max-depth turns",
    )
    parser.add_argument("--seed", type=int, default=0, help="first walk seed (default 0)")
    parser.add_argument(
        "--max-depth",
        type=int,
        default=40,
        metavar="D",
        help="turn bound of --exhaustive (default 40)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write transcripts and summary.json here",
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from sim.cli_support import UsageError
    from sim.errors import EXIT_BAD_INPUT
    from sim.experiments.output import staged_directory
    from trainer.engine.cues import cue_report, library_cues, render_drill, render_library
    from trainer.engine.lint import UnreadableError, expand
    from trainer.engine.loader import load_scenario
    from trainer.engine.playthrough import playthrough, summary
    from trainer.engine.transcript import render

    if args.walks is not None and args.walks < 1:
        raise UsageError("--walks must be at least 1")
    if args.max_depth < 1:
        raise UsageError("--max-depth must be at least 1")
    if args.seed < 0:
        raise UsageError("--seed must be non-negative")
    try:
        files = expand(chosen_paths(args))
    except UnreadableError as exc:
        print(exc.error.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    scenarios = [load_scenario(file) for file in files]  # a bad file exits 2 via the dispatcher
    walk_count = 0 if args.exhaustive else (args.walks or 50)
    reports = [
        playthrough(
            s,
            walk_count=walk_count,
            seed=args.seed,
            max_depth=args.max_depth if args.exhaustive else None,
        )
        for s in scenarios
    ]
    failed = False
    for report in reports:
        s = report.scenario
        size = (
            f"{report.paths} paths" if report.mode == "exhaustive" else f"{len(report.walks)} walks"
        )
        print(f"{s.meta.id}.{s.meta.language} ({size}{', truncated' if report.truncated else ''})")
        print(
            f"  score range {report.low:.1f}-{report.high:.1f}; best path {report.best.value:.1f}, "
            f"worst path {report.worst.value:.1f}"
        )
        reached = ", ".join(f"{name}×{n}" for name, n in sorted(report.endings.items()))
        print(f"  endings reached: {reached}")
        if report.unreached:
            print(f"  endings not reached: {', '.join(report.unreached)}")
        for line in render_drill(cue_report(s)):
            print(line)
        for breach in report.critical_passes:
            print(f"  FAIL {breach}")
        for node, n in sorted(report.stuck.items()):
            print(f"  FAIL node {node!r}: no option available at run time ({n}×)")
        failed = failed or not report.ok
    if args.out is not None:
        with staged_directory(args.out) as stage:
            for report in reports:
                s = report.scenario
                folder = stage / f"{s.meta.id}.{s.meta.language}"
                folder.mkdir(parents=True)
                (folder / "best.txt").write_text(render(report.best_session), encoding="utf-8")
                (folder / "worst.txt").write_text(render(report.worst_session), encoding="utf-8")
                for i, walk in enumerate(report.walks):
                    (folder / f"walk-{i + 1:04d}.txt").write_text(
                        render(walk.session, walk.score), encoding="utf-8"
                    )
            (stage / "summary.json").write_text(
                json.dumps([summary(r) for r in reports], indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        print(f"transcripts written to {args.out}/")
    for line in render_library(library_cues(scenarios)):
        print(line)
    verdict = "FAILED" if failed else "ok"
    print(f"{len(reports)} scenario{'s' if len(reports) != 1 else ''} played: {verdict}")
    return 1 if failed else 0
