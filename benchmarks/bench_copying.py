"""Copy detection across many reports, against jieba merely segmenting the same texts.

    python benchmarks/bench_copying.py [--sizes 100,1000] [--baseline 1000] [--profile]
    python benchmarks/bench_copying.py --sizes 100,1000,5000     # the full growth (about 5 minutes)

Builds ``max(sizes)`` synthetic 5,000-character reports from the corpus (``common.build_reports``,
fixed seed), one issuer each, then turns a third of them into the same issuer's next-year report
(the earlier one with its figures changed, a sentence in ten reworded, a sentence in ten replaced:
near-duplicates) and pastes one of 20 template sentences into one report in ten. For each size it
measures, in this process:

- copy detection as a batch does it: every issuer's consecutive-year pair compared
  (``compare.yoy_pairs``) and templates found across all reports (``templates.find_templates``);
- at ``--baseline`` reports, raw ``jieba.lcut`` over the same texts: the ratio detection / jieba;
- the growth from size to size (time per report should stay flat: near-linear).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time

from common import REPORT_CHARS, build_reports, print_header

SEED = 17
TEMPLATES = 20


def synthetic_reports(count: int, *, seed: int = SEED) -> list[dict]:
    """``count`` reports: a third are next-year near-duplicates of another, one in ten carries a template."""
    rng = random.Random(seed)
    texts = build_reports(count, chars=REPORT_CHARS, seed=seed)
    templates = [f"按照全市统一部署，本单位第{i}项法治建设任务已按期完成并报送市委依法治市办备案。" for i in range(TEMPLATES)]
    reports = []
    for n, text in enumerate(texts):
        paragraphs = [p for p in text.split("\n") if p.strip()]
        issuer, year = f"测试市第{n}局", 2023
        if n % 3 == 2:  # next year's report of the previous issuer
            earlier = reports[n - 1]
            issuer, year = earlier["issuer"], earlier["year"] + 1
            paragraphs = [_next_year(p, rng) for p in earlier["paragraphs"]]
        if n % 10 == 0:
            paragraphs.insert(1, templates[rng.randrange(TEMPLATES)])
        reports.append({"sha256": f"r{n:05}", "issuer": issuer, "year": year, "paragraphs": paragraphs})
    return reports


def _next_year(paragraph: str, rng: random.Random) -> str:
    out = []
    for sentence in re.findall(r"[^。;!?]*[。;!?]?", paragraph):
        if not sentence:
            continue
        roll = rng.random()
        if roll < 0.1:
            sentence = "本年度新增的一项工作内容是" + sentence[::-1]  # replaced
        elif roll < 0.2:
            sentence = sentence[: len(sentence) // 2] + "并进一步完善" + sentence[len(sentence) // 2 :]  # reworded
        out.append(re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), sentence))
    return "".join(out)


def detect(reports: list[dict]) -> tuple[float, int, int]:
    """Seconds for year-over-year pairs plus templates, the pairs and the templates found."""
    from analyzer.compare.tables import yoy_pairs
    from analyzer.compare.templates import find_templates

    start = time.perf_counter()
    pairs = sum(1 for _ in yoy_pairs(reports))
    found = len(find_templates(reports))
    return time.perf_counter() - start, pairs, found


def jieba_seconds(reports: list[dict]) -> float:
    import jieba

    jieba.initialize()
    start = time.perf_counter()
    for report in reports:
        jieba.lcut("\n".join(report["paragraphs"]))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="report counts, comma-separated")
    parser.add_argument("--baseline", type=int, default=1000, help="reports segmented by jieba for the ratio")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print_header("copy detection: year-over-year pairs + templates across issuers")
    reports = synthetic_reports(max(sizes + [args.baseline]))
    detect(reports[:50])  # imports and the segmenter-free warm-up
    rows = []
    for size in sizes:
        seconds, pairs, found = detect(reports[:size])
        rows.append((size, seconds, pairs, found))
        print(f"{size:>6} reports  {seconds:7.2f} s  {1000 * seconds / size:6.2f} ms/report  "
              f"{pairs} yearly pairs  {found} templates", flush=True)
    for (a, ta, *_), (b, tb, *_) in zip(rows, rows[1:]):
        print(f"growth {a} → {b} reports (x{b / a:.0f}): time x{tb / ta:.1f}, per report x{(tb / b) / (ta / a):.2f}")
    base = reports[: args.baseline]
    jieba_s = jieba_seconds(base)
    detect_s = next((t for n, t, *_ in rows if n == args.baseline), None) or detect(base)[0]
    print(f"jieba.lcut of the same {args.baseline} reports: {jieba_s:.2f} s ({1000 * jieba_s / len(base):.2f} ms/report)")
    print(f"ratio copy detection / jieba at {args.baseline} reports: {detect_s / jieba_s:.2f}")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(detect, reports[: max(sizes)])
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
