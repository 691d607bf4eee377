"""``recoverylab-train analyse-eval``: how well the conduct analyser reads the held-out lines.

Runs :func:`trainer.engine.analyse` over one split of the labelled utterance corpus
(``scenarios/utterances/``; by default the held-out split, never used to write the
lexicons) and prints, per language and tag, the lines carrying the tag, precision,
recall and the target. Exit 0 when every tag meets its target, 1 when one does not,
2 when the corpus is missing or malformed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.engine.analyser.corpus import Utterance

HELP = "measure the conduct analyser's precision and recall on the held-out utterances"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", choices=["heldout", "train"], default="heldout",
                        help="corpus split to measure on (default: heldout)")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="folder of <language>.tsv files (default: scenarios/utterances/)")
    parser.add_argument("--misses", action="store_true",
                        help="also list every line the analyser got wrong on a tag with a target")


def run(args: argparse.Namespace) -> int:
    from trainer.engine.analyser import ANALYSED_TAGS, analyse
    from trainer.engine.analyser.corpus import DEFAULT_DIR, load_corpus
    from trainer.engine.analyser.evaluation import TARGETS, evaluate

    corpus = load_corpus(args.corpus or DEFAULT_DIR)
    lines = [u for u in corpus if u.split == args.split]
    found = {u.id: analyse(u.text, u.language).tags for u in lines}
    scores = evaluate(lines, lambda u: found[u.id], ANALYSED_TAGS)
    print(f"{len(lines)} {args.split} lines "
          f"({', '.join(f'{n} {lang}' for lang, n in _count(lines).items())})")
    print(f"{'language':8} {'tag':20} {'lines':>5} {'precision':>9} {'recall':>7} {'target':>6}")
    failing = 0
    for s in scores:
        target = f"{s.target:.2f}" if s.target is not None else "-"
        verdict = "" if s.meets_target else "  BELOW TARGET"
        failing += not s.meets_target
        print(f"{s.language:8} {s.tag:20} {s.support:5d} {s.precision:9.3f} {s.recall:7.3f} "
              f"{target:>6}{verdict}")
    if args.misses:
        for u in lines:
            for tag in sorted(TARGETS):
                if (tag in found[u.id]) != (tag in u.tags):
                    kind = "missed" if tag in u.tags else "false alarm"
                    print(f"{u.id} {tag} {kind}: {u.text}")
    print(f"{sum(s.target is not None for s in scores) - failing} of "
          f"{sum(s.target is not None for s in scores)} targeted tag scores meet their target")
    return 1 if failing else 0


def _count(lines: list[Utterance]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in lines:
        counts[u.language] = counts.get(u.language, 0) + 1
    return counts
