"""Benchmark: the conduct analyser's latency per reply and what it costs the app at start.

Targets (issue 11): at most 20 ms per reply at the 95th percentile over the held-out
split, and app start within 1 s, so the analyser must load lazily.

    .venv/bin/python benchmarks/bench_analyse.py              # the shipped analyser
    .venv/bin/python benchmarks/bench_analyse.py --candidates # also a trained classifier

It prints: the import time of ``trainer.engine`` with the analyser in it and whether
the lexicons or OpenCC were loaded by that import (they must not be); the one-off cost
of the first analysis (compiling the lexicons, building OpenCC); then CPU time per reply
over every held-out line, p50 / p95 / max, of the analyser and of the reply matcher
(which analyses the reply and compares it with a drill decision's options).
``--candidates`` also fits the alternative the issue names, scikit-learn character
n-grams with a linear model per tag, on the train split only, and prints its held-out
precision and recall next to the lexicon's, alone and united with it (any tag, or
violations only), with its speed (needs scikit-learn installed; it is not a dependency).
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
    "print(d, any(m.startswith(('opencc', 'trainer.engine.analyser.lexicon'))"
    " for m in sys.modules))"
)


def analyser_import_ms() -> tuple[float, float]:
    """(self, cumulative) milliseconds ``import trainer.engine`` spends in the analyser.

    From ``-X importtime``. The cumulative figure includes the first import of standard
    modules (``dataclasses``) that the rest of the engine imports anyway; the self time
    of the analyser's own modules is its real cost at start."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import trainer.engine"],
                         capture_output=True, text=True, check=True).stderr
    own, cumulative = 0.0, None
    for line in out.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2].strip().startswith("trainer.engine.analyser"):
            own += int(parts[0].split(":")[-1]) / 1000
            if parts[2].strip() == "trainer.engine.analyser":
                cumulative = int(parts[1]) / 1000
    if cumulative is None:
        raise SystemExit("trainer.engine.analyser was not imported by trainer.engine")
    return own, cumulative


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


def spread(values: list[float]) -> str:
    return (f"p50 {percentile(values, .5):.2f} ms, p95 {percentile(values, .95):.2f} ms, "
            f"max {max(values):.2f} ms")


def lexicon_latency() -> None:
    """CPU time (``time.process_time``: fair on a shared, loaded machine) and wall time
    of :func:`analyse` per held-out line, after the one-off first analysis."""
    from trainer.engine.analyser import analyse
    from trainer.engine.analyser.corpus import load_corpus

    lines = [u for u in load_corpus() if u.split == "heldout"]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    analyse("您好", "zh-CN")
    analyse("hello", "en")
    wall_ms = 1000 * (time.perf_counter() - wall0)
    print(f"first analysis (loads lexicons + OpenCC): wall {wall_ms:.1f} ms, "
          f"cpu {1000 * (time.process_time() - cpu0):.1f} ms")
    walls, cpus = [], []
    for u in lines:
        w, c = time.perf_counter(), time.process_time()
        analyse(u.text, u.language)
        walls.append(1000 * (time.perf_counter() - w))
        cpus.append(1000 * (time.process_time() - c))
    print(f"analyser, per reply over {len(lines)} held-out lines: cpu {spread(cpus)} "
          f"(target p95 <= 20 ms); wall p95 {percentile(walls, .95):.2f} ms")
    long_text = "我理解您的难处，我们可以给您办理分期。" * 105
    c = time.process_time()
    analyse(long_text[:2000], "zh-CN")
    cpu = 1000 * (time.process_time() - c)
    print(f"a 2,000-character reply (the most analysed): cpu {cpu:.1f} ms")


def matcher_latency() -> None:
    """CPU time of :func:`match_reply` per held-out line, typed at a decision of a shipped
    drill of its language (the decisions taken in turn, so every node's options are
    met). Reported twice: the first reply at a node (its options analysed then) and
    every later one (the options' analyses are cached, as in a session)."""
    from sim import shipped
    from trainer.engine import load_scenario
    from trainer.engine.analyser.corpus import load_corpus
    from trainer.engine.reply import _option_tags, match_reply

    nodes: dict[str, list[tuple[str, str, list]]] = {"zh": [], "en": []}
    for path in sorted(shipped.folder("drill").glob(shipped.SHELVES["drill"].pattern)):
        scenario = load_scenario(path)
        key = "zh" if scenario.language.startswith("zh") else "en"
        for choices in scenario.choices.values():
            nodes[key].append((scenario.language, scenario.pack.pack.id, list(choices)))
    lines = [u for u in load_corpus() if u.split == "heldout"]
    for label, clear in (("first reply at a node", True), ("later replies", False)):
        cpus, turn = [], {"zh": 0, "en": 0}
        for u in lines:
            key = "zh" if u.language.startswith("zh") else "en"
            language, pack, choices = nodes[key][turn[key] % len(nodes[key])]
            turn[key] += 1
            if clear:
                _option_tags.cache_clear()
            else:
                match_reply(u.text, language, choices, pack)  # warm this node's options
            c = time.process_time()
            match_reply(u.text, language, choices, pack)
            cpus.append(1000 * (time.process_time() - c))
        print(f"matcher ({label}), per reply over {len(lines)} held-out lines at "
              f"{sum(len(v) for v in nodes.values())} drill decisions: cpu {spread(cpus)}")


def candidates() -> None:
    """Fit a char n-gram linear classifier per tag on train; score it on held-out alone
    and united with the lexicon (a tag is found when either finds it)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer
        from sklearn.svm import LinearSVC
    except ImportError:
        print("scikit-learn is not installed: no candidate comparison")
        return
    from trainer.engine.analyser import BAD_TAGS, analyse
    from trainer.engine.analyser.corpus import load_corpus
    from trainer.engine.analyser.evaluation import CRITICAL_TAGS, TARGETS, evaluate
    from trainer.engine.analyser.normalise import fold

    corpus = load_corpus()
    tags = sorted(TARGETS)
    for language in ("zh-CN", "en"):
        train = [u for u in corpus if u.split == "train" and u.language == language]
        held = [u for u in corpus if u.split == "heldout" and u.language == language]
        y = MultiLabelBinarizer(classes=tags).fit_transform(
            [sorted(u.tags & set(tags)) for u in train])
        vec = (TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True)
               if language == "zh-CN" else
               TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True))
        t0 = time.process_time()
        model = OneVsRestClassifier(LinearSVC(C=1.0, class_weight="balanced"))
        model.fit(vec.fit_transform([fold(u.text).text for u in train]), y)
        fit = time.process_time() - t0
        walls = []
        learned = {}
        for u in held:
            w = time.perf_counter()
            row = model.predict(vec.transform([fold(u.text).text]))[0]
            walls.append(1000 * (time.perf_counter() - w))
            learned[u.id] = frozenset(t for t, v in zip(tags, row, strict=True) if v)
        lexicon = {u.id: analyse(u.text, u.language).tags for u in held}
        runs = {
            "lexicon": lexicon,
            "classifier": learned,
            "union": {k: lexicon[k] | learned[k] for k in lexicon},
            # The safety-first variant: the classifier may only add violations.
            "union-bad": {k: lexicon[k] | (learned[k] & BAD_TAGS) for k in lexicon},
        }
        print(f"\n{language}: char n-gram tf-idf + linear SVM per tag, fit {fit:.1f} s cpu on "
              f"{len(train)} train lines; predict p95 {percentile(walls, .95):.2f} ms")
        for name, found in runs.items():
            scores = {s.tag: s for s in evaluate(held, lambda u, f=found: f[u.id], TARGETS)}
            met = sum(s.meets_target for s in scores.values())
            crit = "  ".join(f"{t[:8]} P{scores[t].precision:.2f} R{scores[t].recall:.2f}"
                             for t in CRITICAL_TAGS)
            print(f"  {name:10} targets met {met:2d}/{len(scores)}  {crit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5,
                        help="fresh interpreters for the import cost")
    parser.add_argument("--candidates", action="store_true",
                        help="also measure a trained classifier")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    seconds, loaded = import_cost(args.runs)
    print(f"import trainer.engine: {1000 * seconds:.0f} ms median of {args.runs}; "
          f"lexicons or OpenCC loaded at import: {'YES' if loaded else 'no'}")
    own, cumulative = analyser_import_ms()
    print(f"of which the analyser's own modules: {own:.1f} ms self "
          f"({cumulative:.1f} ms cumulative, incl. stdlib the engine needs anyway; -X importtime)")
    lexicon_latency()
    matcher_latency()
    if args.candidates:
        candidates()


if __name__ == "__main__":
    main()
