"""Compose the labelled utterance corpus from the authored clauses in ``source/``.

Run from the repository root: ``.venv/bin/python scenarios/utterances/compose.py``.
It rewrites ``zh-CN.tsv`` and ``en.tsv`` beside it; the output depends only on the
clause files and the fixed seed, so running it twice gives the same bytes.

What it adds to the hand-written clauses, the way real typed replies differ from them:

* **variants** of each clause: spoken fillers ("嗯，那个", "um, so"), keyboard typos
  (pinyin homophones such as 在/再, dropped or swapped letters), traditional characters
  (OpenCC s2t), Chinese lines with English words mixed in, casual English (lower case,
  "u", "ur", "gonna", no punctuation);
* **combinations** of two or three clauses from different sections, so one line carries
  several labels, as a real reply often does (introduce yourself, then verify; show
  empathy, then threaten).

The held-out split is fixed at the clause: every third clause of a section is held out,
and a held-out line is built from held-out clauses only. No variant or combination of a
held-out clause can therefore appear in training, which would leak the answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261204
LANGUAGES = {"zh-CN": "zh-CN.txt", "en": "en.txt"}
COMBINATION_SHARE = 0.45
"""Combinations written per split, as a share of that split's clauses."""


@dataclass(frozen=True)
class Clause:
    section: str
    index: int
    text: str
    tags: frozenset[str]

    @property
    def split(self) -> str:
        return "heldout" if self.index % 3 == 2 else "train"


def read_clauses(path: Path) -> list[Clause]:
    clauses: list[Clause] = []
    section = ""
    index = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section, index = line[1:-1], 0
            continue
        text, _, extra = line.partition("|")
        tags = set() if section == "none" else {section}
        tags |= {t.strip() for t in extra.split(",") if t.strip()}
        clauses.append(Clause(section, index, text.strip(), frozenset(tags)))
        index += 1
    return clauses


ZH_FILLERS = ["嗯，", "那个，", "呃……", "就是说，", "哎，", "这个嘛，", "嗯嗯，那个", "啊，"]
ZH_TYPOS = [
    ("在", "再"), ("再", "在"), ("的", "得"), ("已", "己"), ("账", "帐"), ("您", "你"),
    ("联系", "连系"), ("还款", "换款"), ("做", "作"), ("吗", "嘛"), ("情况", "清况"),
    ("确认", "确定"), ("这", "者"), ("我们", "我门"), ("知道", "只道"), ("处理", "出理"),
]
ZH_MIXED = [
    ("账户", "account"), ("信用卡", "credit card"), ("还款", "repayment"), ("分期", "installment"),
    ("确认", "confirm"), ("方案", "plan"), ("逾期", "overdue"), ("律师", "lawyer"),
    ("单位", "公司"), ("欠款", "debt"), ("日期", "date"), ("电话", "call"), ("短信", "SMS"),
    ("压力", "pressure"), ("同事", "colleague"), ("工作", "job"), ("贷款", "loan"),
]
EN_FILLERS = ["Um, ", "So, ", "Look, ", "Yeah, so ", "Uh, ", "Right, ", "Okay so, ", "Well, "]
EN_CHAT = [(r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bgoing to\b", "gonna"),
           (r"\bbecause\b", "cuz"), (r"\bokay\b", "ok"), (r"\bplease\b", "pls")]


def zh_variant(kind: int, text: str, rng: random.Random, to_traditional) -> str:
    if kind == 0:
        return rng.choice(ZH_FILLERS) + text
    if kind == 1:
        pairs = [p for p in ZH_TYPOS if p[0] in text]
        if not pairs:
            return text.rstrip("。") + "哈。"
        src, dst = rng.choice(pairs)
        return text.replace(src, dst, 1)
    if kind == 2:
        return to_traditional(text)
    pairs = [p for p in ZH_MIXED if p[0] in text]
    if not pairs:
        return "OK，" + text
    src, dst = rng.choice(pairs)
    return text.replace(src, dst, 1)


def en_variant(kind: int, text: str, rng: random.Random) -> str:
    if kind in (0, 3):
        first = text if text.startswith(("I ", "I'")) else text[:1].lower() + text[1:]
        return rng.choice(EN_FILLERS) + first
    if kind == 1:
        words = text.split(" ")
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long:
            return text.rstrip(".") + "..."
        i = rng.choice(long)
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:] if rng.random() < 0.5 else w[:j] + w[j + 1:]
        return " ".join(words)
    casual = text.lower()
    for pattern, repl in EN_CHAT:
        casual = re.sub(pattern, repl, casual)
    return re.sub(r"[.!?;]+$", "", casual)


def compose(language: str) -> list[tuple[str, str, frozenset[str], str]]:
    """(split, text, tags, origin) rows for one language, in a fixed order."""
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    clauses = read_clauses(HERE / "source" / LANGUAGES[language])
    rng = random.Random(f"{SEED}-{language}")
    rows: list[tuple[str, str, frozenset[str], str]] = []
    seen: set[str] = set()

    def add(split: str, text: str, tags: frozenset[str], origin: str) -> None:
        if text not in seen:
            seen.add(text)
            rows.append((split, text, tags, origin))

    for n, clause in enumerate(clauses):
        add(clause.split, clause.text, clause.tags, "clause")
        for kind in (n % 4, (n + 2) % 4):
            text = (zh_variant(kind, clause.text, rng, to_traditional) if language == "zh-CN"
                    else en_variant(kind, clause.text, rng))
            add(clause.split, text, clause.tags, "variant")
    joiner = "" if language == "zh-CN" else " "
    for split in ("train", "heldout"):
        pool = [c for c in clauses if c.split == split]
        for _ in range(int(len(pool) * COMBINATION_SHARE)):
            parts: list[Clause] = []
            while len(parts) < rng.choice((2, 2, 3)):
                pick = rng.choice(pool)
                if pick.section not in {p.section for p in parts}:
                    parts.append(pick)
            text = joiner.join(p.text for p in parts)
            if rng.random() < 0.3:
                text = (zh_variant(rng.randrange(4), text, rng, to_traditional)
                        if language == "zh-CN" else en_variant(rng.randrange(4), text, rng))
            add(split, text, frozenset().union(*(p.tags for p in parts)), "combination")
    return rows


def main() -> None:
    for language in LANGUAGES:
        rows = compose(language)
        prefix = "zh" if language == "zh-CN" else "en"
        lines = ["id\tlanguage\tsplit\ttags\ttext"]
        for n, (split, text, tags, _origin) in enumerate(rows, start=1):
            lines.append(f"{prefix}-{n:04d}\t{language}\t{split}\t{','.join(sorted(tags)) or '-'}\t{text}")
        (HERE / f"{language}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{language}: {len(rows)} lines")


if __name__ == "__main__":
    main()
