"""``recoverylab-train lint [PATH...]``: find authoring problems in role-play scenarios.

Checks every ``<id>.<language>.toml`` under the folders given (default
``scenarios/roleplay/``) and any files named: the loader's errors, unreachable nodes
and endings, dead ends, untagged options, options that can all vanish, language/pack
mismatches, options whose cited rules are too mild for their behaviour category, answers
given away by length or file order, naive strategies that pass (see
:mod:`trainer.engine.lint`); then the pooled cue figures. ``--cross-check`` adds where
the conduct analyser disagrees with the options' own tags
(:mod:`trainer.engine.crosscheck`). Exit 0 when clean, 1 when
there are findings, 2 when a path is missing or a file is not readable TOML.
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
    from trainer.engine.lint import UnreadableError, expand, lint_file, lint_library

    try:
        paths = chosen_paths(args)
        files = expand(paths)
        results = [lint_file(file) for file in files]
    except UnreadableError as exc:
        print(exc.error.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    findings = [f for _, found in results for f in found]
    loaded = [s for s, _ in results if s is not None]
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
    print(
        f"{len(files)} file{'s' if len(files) != 1 else ''} checked: "
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {dirty} file"
        f"{'s' if dirty != 1 else ''}"
    )
    return 1 if findings else 0
