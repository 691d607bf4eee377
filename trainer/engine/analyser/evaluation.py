"""Per-tag precision and recall of the analyser on a split of the corpus, per language.

Precision: of the lines where the analyser found a tag, the share that carry it.
Recall: of the lines that carry a tag, the share where the analyser found it.
The targets are the issue's: at least 0.9 for both on the four critical behaviours in
each language, at least 0.8 on every good-conduct tag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trainer.engine.analyser import GOOD_TAGS
from trainer.engine.analyser.corpus import Utterance

CRITICAL_TAGS = ("threat", "insult", "false_statement", "disclose_debt")
TARGETS: dict[str, float] = {**dict.fromkeys(CRITICAL_TAGS, 0.9), **dict.fromkeys(GOOD_TAGS, 0.8)}
"""tag -> the precision and recall it must reach on the held-out split, per language."""


@dataclass(frozen=True, slots=True)
class TagScore:
    language: str
    tag: str
    support: int
    """Lines that carry the tag."""
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else (1.0 if self.support == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 1.0

    @property
    def target(self) -> float | None:
        return TARGETS.get(self.tag)

    @property
    def meets_target(self) -> bool:
        t = self.target
        return t is None or (self.precision >= t and self.recall >= t)


def evaluate(lines: Iterable[Utterance], predicted: Callable[[Utterance], frozenset[str]],
             tags: Iterable[str]) -> list[TagScore]:
    """Score ``predicted(line) -> tags found`` on ``lines``, per language and tag."""
    counts: dict[tuple[str, str], list[int]] = {}
    tag_list = sorted(tags)
    for line in lines:
        found = predicted(line)
        for tag in tag_list:
            c = counts.setdefault((line.language, tag), [0, 0, 0, 0])
            gold, got = tag in line.tags, tag in found
            c[0] += gold
            c[1] += gold and got
            c[2] += got and not gold
            c[3] += gold and not got
    return [TagScore(lang, tag, *c) for (lang, tag), c in sorted(counts.items())]
