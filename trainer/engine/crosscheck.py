"""The conduct analyser against the authors' tags: where they disagree, somebody erred.

Every option of a drill carries behaviour tags written by its author; the analyser
(:func:`trainer.engine.analyse`) reads the same words independently. Run over every
option, the two disagree in two ways: the analyser finds a behaviour the author did not
tag (a threat the author missed, or an analyser false alarm), or the author tagged one
the analyser does not see (an analyser gap, or a tag the words do not bear out). Both
are worth a look: the first kind decides what a free-reply trainee is scored for, the
second whether typed words can reach the option. Only the tags the analyser knows are
compared (``place_call`` or ``summarise`` are the author's alone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.engine.analyser import ANALYSED_TAGS, analyse
from trainer.engine.model import Scenario


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One option where the analyser and the author differ."""

    path: str
    option: str
    """The option id (``<node>.<n>`` unless the author named it)."""
    text: str
    extra: tuple[str, ...]
    """Tags the analyser finds that the author did not write."""
    missed: tuple[str, ...]
    """Analysable tags the author wrote that the analyser does not find."""

    def render(self) -> str:
        parts = []
        if self.extra:
            parts.append("analyser also finds " + ", ".join(self.extra))
        if self.missed:
            parts.append("analyser does not find " + ", ".join(self.missed))
        return f"{self.path}:{self.option}: {'; '.join(parts)}: {self.text!r}"


def cross_check(scenarios: Iterable[Scenario]) -> list[Disagreement]:
    """Every option of ``scenarios`` whose analysable authored tags differ from what the
    analyser reads in its words, in file order."""
    out = []
    for scenario in scenarios:
        for choices in scenario.choices.values():
            for choice in choices:
                text = choice.option.text
                found = analyse(text, scenario.meta.language).tags
                authored = {t for t in choice.option.tags if t in ANALYSED_TAGS}
                extra, missed = sorted(found - authored), sorted(authored - found)
                if extra or missed:
                    out.append(Disagreement(str(scenario.path or scenario.meta.id), choice.id,
                                            text, tuple(extra), tuple(missed)))
    return out


def summary(disagreements: Sequence[Disagreement], options: int) -> list[str]:
    """Counts per tag, most first: where the analyser or the authoring is weakest."""
    extra = Counter(t for d in disagreements for t in d.extra)
    missed = Counter(t for d in disagreements for t in d.missed)
    lines = [f"analyser vs authored tags: {len(disagreements)} of {options} options disagree"]
    if extra:
        lines.append("  analyser also finds: " + ", ".join(f"{t} {n}" for t, n in
                                                           extra.most_common()))
    if missed:
        lines.append("  analyser does not find: " + ", ".join(f"{t} {n}" for t, n in
                                                              missed.most_common()))
    return lines
