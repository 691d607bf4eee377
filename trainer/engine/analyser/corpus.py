"""The labelled utterance corpus: what collectors say, and the behaviours each line shows.

``scenarios/utterances/<language>.tsv`` holds one labelled line per row (format in that
folder's README). The corpus is what the analyser is measured on: the ``train`` split is
what its lexicons were written against, the ``heldout`` split is never used for that
and gives the figures ``recoverylab-train analyse-eval`` prints. Loading validates every
row, because a typo in a tag would silently turn a threat into an unlabelled line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim import shipped
from sim.errors import ConfigError, Problem, suggest
from sim.files import read_text

DEFAULT_DIR = shipped.data_root() / "utterances"
"""The shipped corpus (found through :mod:`sim.shipped`, in a checkout or a wheel)."""

LANGUAGES = ("zh-CN", "en")
SPLITS = ("train", "heldout")
HEADER = ("id", "language", "split", "tags", "text")
MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class Utterance:
    """One labelled line."""

    id: str
    language: str
    split: str
    tags: frozenset[str]
    text: str


def load_corpus(folder: str | Path = DEFAULT_DIR, known_tags: frozenset[str] | None = None
                ) -> tuple[Utterance, ...]:
    """Every line of every ``*.tsv`` in ``folder``, validated.

    Raises :class:`ConfigError` naming the file, the row and the column for: a wrong
    header, a wrong number of columns, an unknown language or split, a tag that is not
    in ``known_tags`` (default: :data:`~trainer.engine.analyser.ANALYSED_TAGS`), an
    empty or over-long text, a row whose language differs from the file's, and a
    duplicate id or text (a duplicate across splits would leak the held-out answer).
    """
    from trainer.engine.analyser import ANALYSED_TAGS

    tags_allowed = ANALYSED_TAGS if known_tags is None else known_tags
    files = sorted(Path(folder).glob("*.tsv"))
    if not files:
        raise ConfigError(folder, [Problem("", "no corpus files (*.tsv) found",
                                           expected="zh-CN.tsv, en.tsv")])
    rows: list[Utterance] = []
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for file in files:
        problems: list[Problem] = []
        expected_language = file.stem
        if expected_language not in LANGUAGES:
            names = ", ".join(f"{x}.tsv" for x in LANGUAGES)
            problems.append(Problem("file name", "corpus file is not named after a language",
                                    file.name, f"one of {names}"))
        # The one reader: a FIFO, a device, a huge or non-UTF-8 file is bad input (exit 2).
        lines = read_text(file, "corpus file", "a UTF-8 tab-separated file").splitlines()
        if not lines or tuple(lines[0].split("\t")) != HEADER:
            problems.append(Problem("line 1", "wrong header", lines[0] if lines else "",
                                    "\\t".join(HEADER)))
            raise ConfigError(file, problems)
        for number, line in enumerate(lines[1:], start=2):
            where = f"line {number}"
            cells = line.split("\t")
            if len(cells) != len(HEADER):
                problems.append(Problem(where, f"{len(cells)} columns", line,
                                        f"{len(HEADER)} tab-separated columns"))
                continue
            uid, language, split, tag_cell, text = cells
            if language not in LANGUAGES:
                problems.append(Problem(f"{where}.language", "unknown language", language,
                                        " or ".join(LANGUAGES), suggest(language, LANGUAGES)))
            elif language != expected_language:
                problems.append(Problem(f"{where}.language", "language differs from the file's",
                                        language, expected_language))
            if split not in SPLITS:
                problems.append(Problem(f"{where}.split", "unknown split", split,
                                        " or ".join(SPLITS), suggest(split, SPLITS)))
            tags = (frozenset() if tag_cell == "-"
                    else frozenset(t.strip() for t in tag_cell.split(",")))
            for tag in sorted(tags - tags_allowed):
                problems.append(Problem(f"{where}.tags", "unknown tag", tag,
                                        "a tag the analyser reads (see the README), or - for none",
                                        suggest(tag, tags_allowed)))
            if not text.strip():
                problems.append(Problem(f"{where}.text", "empty text", text,
                                        "the words of the line"))
            elif len(text) > MAX_TEXT:
                problems.append(Problem(f"{where}.text", "text too long", len(text),
                                        f"at most {MAX_TEXT} characters"))
            if uid in ids:
                problems.append(Problem(f"{where}.id", f"duplicate id (also {ids[uid]})", uid,
                                        "a unique id"))
            if text in texts:
                problems.append(Problem(f"{where}.text", f"duplicate text (also {texts[text]})",
                                        text, "each line once"))
            ids.setdefault(uid, f"{file.name} {where}")
            texts.setdefault(text, f"{file.name} {where}")
            rows.append(Utterance(uid, language, split, tags, text))
        if problems:
            raise ConfigError(file, problems)
    return tuple(rows)
