"""Benchmark: the conduct analyser's latency per reply and what it costs the app at start.

Targets (issue 11): at most 20 ms per reply at the 95th percentile over the held-out
split, and app start within 1 s, so the analyser must load lazily.

    .venv/bin/python benchmarks/bench_analyse.py              # the shipped analyser
    .venv/bin/python benchmarks/bench_analyse.py --candidates # also a trained classifier

It prints: the import time of ``trainer.engine`` with the analyser in it and whether
the lexicons or OpenCC were loaded by that import (they must not be); the one-off cost
of the first analysis (compiling the lexicons, building OpenCC); then wall and CPU time
per reply over every held-out line, p50 / p95 / max. ``--candidates`` also fits the
alternative the issue names, scikit-learn character n-grams with a linear model per
tag, on the train split only, and prints its held-out precision and recall next to the
lexicon's, with its speed (needs scikit-learn installed; it is not a dependency).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

IMPORT_PROBE = (
    "import time, sys; t = time.perf_counter(); import trainer.engine; "
    "d = time.perf_counter() - t; "
    "print(d, any(m.startswith(('opencc', 'trainer.engine.analyser.lexicon')) for m in sys.modules))"
)


ANALYSER_PROBE = (
    "import time; t = time.perf_counter(); import trainer.engine.analyser; "
    "print(time.perf_counter() - t, False)"
)


def import_cost(runs: int, probe: str = IMPORT_PROBE) -> tuple[float, bool]:
    """Median seconds to import in a fresh interpreter; were lexicons loaded?"""
    times, loaded = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append(float(out[0]))
        loaded |= out[1] == "True"
    return statistics.median(times), loaded


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def lexicon_latency() -> None:
    from trainer.engine.analyser import analyse
    from trainer.engine.analyser.corpus import load_corpus

    lines = [u for u in load_corpus() if u.split == "heldout"]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    analyse("您好", "zh-CN")
    analyse("hello", "en")
    print(f"first analysis (loads lexicons + OpenCC): wall {1000 * (time.perf_counter() - wall0):.1f} ms, "
          f"cpu {1000 * (time.process_time() - cpu0):.1f} ms")
    walls, cpus = [], []
    for u in lines:
        w, c = time.perf_counter(), time.process_time()
        analyse(u.text, u.language)
        walls.append(1000 * (time.perf_counter() - w))
        cpus.append(1000 * (time.process_time() - c))
    print(f"per reply over {len(lines)} held-out lines: wall p50 {percentile(walls, .5):.2f} ms, "
          f"p95 {percentile(walls, .95):.2f} ms, max {max(walls):.2f} ms; "
          f"cpu p95 {percentile(cpus, .95):.2f} ms (target p95 <= 20 ms)")
    long_text = "我理解您的难处，我们可以给您办理分期。" * 105
    w = time.perf_counter()
    analyse(long_text[:2000], "zh-CN")
    print(f"a 2,000-character reply (the most analysed): {1000 * (time.perf_counter() - w):.1f} ms")


def candidates() -> None:
    """Fit char n-gram + logistic regression per tag on train; score it on held-out."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer
    except ImportError:
        print("scikit-learn is not installed: no candidate comparison")
        return
    from trainer.engine.analyser import analyse
    from trainer.engine.analyser.corpus import load_corpus
    from trainer.engine.analyser.evaluation import CRITICAL_TAGS, TARGETS, evaluate
    from trainer.engine.analyser.normalise import fold

    corpus = load_corpus()
    for language in ("zh-CN", "en"):
        train = [u for u in corpus if u.split == "train" and u.language == language]
        held = [u for u in corpus if u.split == "heldout" and u.language == language]
        binarizer = MultiLabelBinarizer(classes=sorted(TARGETS | dict.fromkeys(
            t for u in train for t in u.tags)))
        y = binarizer.fit_transform([sorted(u.tags) for u in train])
        t0 = time.process_time()
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
        x = vec.fit_transform([fold(u.text).text for u in train])
        model = OneVsRestClassifier(LogisticRegression(C=10, max_iter=2000, class_weight="balanced"))
        model.fit(x, y)
        fit = time.process_time() - t0
        walls = []
        predicted = {}
        for u in held:
            w = time.perf_counter()
            row = model.predict(vec.transform([fold(u.text).text]))[0]
            walls.append(1000 * (time.perf_counter() - w))
            predicted[u.id] = frozenset(t for t, v in zip(binarizer.classes_, row, strict=True) if v)
        ml = {s.tag: s for s in evaluate(held, lambda u: predicted[u.id], TARGETS)}
        lex = {s.tag: s for s in evaluate(held, lambda u: analyse(u.text, u.language).tags, TARGETS)}
        met_ml = sum(s.meets_target for s in ml.values())
        met_lex = sum(s.meets_target for s in lex.values())
        print(f"\n{language}: char 1-4-gram tf-idf + logistic regression, fit {fit:.1f} s cpu on "
              f"{len(train)} lines; predict p95 {percentile(walls, .95):.2f} ms")
        print(f"  targets met: lexicon {met_lex}/{len(lex)}, classifier {met_ml}/{len(ml)}")
        for tag in CRITICAL_TAGS:
            print(f"  {tag:16} lexicon P {lex[tag].precision:.3f} R {lex[tag].recall:.3f} | "
                  f"classifier P {ml[tag].precision:.3f} R {ml[tag].recall:.3f}")
        good_ml = statistics.mean((s.precision + s.recall) / 2 for t, s in ml.items() if t not in CRITICAL_TAGS)
        good_lex = statistics.mean((s.precision + s.recall) / 2 for t, s in lex.items() if t not in CRITICAL_TAGS)
        print(f"  good-conduct tags, mean of (P+R)/2: lexicon {good_lex:.3f}, classifier {good_ml:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters for the import cost")
    parser.add_argument("--candidates", action="store_true", help="also measure a trained classifier")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    seconds, loaded = import_cost(args.runs)
    print(f"import trainer.engine: {1000 * seconds:.0f} ms median of {args.runs}; "
          f"lexicons or OpenCC loaded at import: {'YES' if loaded else 'no'}")
    alone, _ = import_cost(args.runs, ANALYSER_PROBE)
    print(f"import trainer.engine.analyser alone: {1000 * alone:.1f} ms median of {args.runs}")
    lexicon_latency()
    if args.candidates:
        candidates()


if __name__ == "__main__":
    main()
