"""``recoverylab-train lint [PATH...]``: find authoring problems in role-play scenarios.

Checks every ``<id>.<language>.toml`` under the folders given (default
``scenarios/roleplay/``) and any files named: the loader's errors, unreachable nodes
and endings, dead ends, untagged options, options that can all vanish, language/pack
mismatches, options whose cited rules are too mild for their behaviour category, answers
given away by length or file order, naive strategies that pass (see
:mod:`trainer.engine.lint`); then the pooled cue figures. ``--cross-check`` adds where
the conduct analyser disagrees with the options' own tags
(:mod:`trainer.engine.crosscheck`). Exit 0 when clean, 1 when
there are findings about drills that load, 2 when a path is missing or a file is bad
input: not readable TOML, or a drill (or the pack or tag list it uses) that fails
validation -- reported like every other bad input, naming file, key and what was
expected. The other files are still linted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "check role-play scenarios for dead ends, unknown tags and rules, and pack mismatches"
def default_dir() -> Path:
    """The shipped drills (found through :mod:`sim.shipped`, in a checkout or a wheel)."""
    from sim import shipped

    return shipped.folder("drill")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument(
        "--cross-check", action="store_true",
        help="also run the conduct analyser over every option and list where it disagrees "
             "with the option's own tags (a report: it does not change the exit code)",
    )


def add_paths(parser: argparse.ArgumentParser) -> None:
    """The ``PATH...`` argument shared by ``lint`` and ``playthrough``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="drill files or folders, or shipped drill names such as abusive-caller or "
             "abusive-caller.en-US (default: every shipped drill)",
    )


def chosen_paths(args: argparse.Namespace) -> list[Path]:
    """The files and folders meant by ``PATH...``: shipped names resolved, default all."""
    from sim import shipped

    if not args.paths:
        return [default_dir()]
    return [path for text in args.paths for path in shipped.drill_files(text)]


def run(args: argparse.Namespace) -> int:
    import sys

    from sim.errors import EXIT_BAD_INPUT
    from trainer.engine.lint import (
        InvalidDrillError,
        UnreadableError,
        expand,
        lint_library,
        lint_scenario,
        load_for_lint,
    )

    try:
        paths = chosen_paths(args)
        files = expand(paths)
    except UnreadableError as exc:
        print(exc.error.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    loaded = []
    findings = []
    bad = 0
    for file in files:
        # A file that does not load is bad input (exit 2) with the loader's message; the
        # others are still linted, so one run reports everything there is to fix.
        try:
            scenario = load_for_lint(file)
        except (UnreadableError, InvalidDrillError) as exc:
            print(exc.error.render(), file=sys.stderr)
            bad += 1
            continue
        loaded.append(scenario)
        findings += lint_scenario(scenario)
    if any(p.is_dir() for p in paths):
        findings += lint_library(loaded)
    for finding in findings:
        print(finding.render())
    if loaded:
        from trainer.engine.cues import library_cues, render_library

        for line in render_library(library_cues(loaded)):
            print(line)
    if getattr(args, "cross_check", False) and loaded:
        from trainer.engine.crosscheck import cross_check, summary

        disagreements = cross_check(loaded)
        for disagreement in disagreements:
            print(disagreement.render())
        options = sum(len(cs) for s in loaded for cs in s.choices.values())
        for line in summary(disagreements, options):
            print(line)
    dirty = len({f.path for f in findings})
    refused = f"; {bad} file{'s' if bad != 1 else ''} not loaded (bad input)" if bad else ""
    print(
        f"{len(files)} file{'s' if len(files) != 1 else ''} checked: "
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {dirty} file"
        f"{'s' if dirty != 1 else ''}{refused}"
    )
    if bad:
        return EXIT_BAD_INPUT
    return 1 if findings else 0
