"""The trained section classifier: paragraph features → label probabilities.

Features come from the structure and the tokens the segmenter attached once per document (no
re-segmentation): the paragraph's words and characters, its governing headings, its neighbours,
and its position. One model is trained on every label of every framework; at prediction time the
probabilities are folded into the label space asked for (e.g. P2 counts for S1 when a report is
read with fzzf-2015), so a model trained on one era's reports helps with the other's.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from analyzer.doc import Doc
from analyzer.mapping.features import BLOCKS, paragraph_items
from analyzer.mapping.serving import fold_probabilities

# Feature blocks and their weights in the union. On grouped CV over the real training reports the
# lead clause's words helped; the heading's words, the position and the lead clause's character
# n-grams did not; the tasks whose element terms a paragraph names helped there but not on the real
# held-out part nor the authored headingless reports (figures in the model card); ``features.BLOCKS``
# keeps those blocks so that they can be re-measured.
DEFAULT_BLOCKS: tuple[tuple[str, float], ...] = (("words", 1.0), ("lead", 1.0))
CALIBRATION_FOLDS = 3  # grouped folds whose out-of-fold scores fit the temperature and override threshold
CLOSING_MIN = 10  # paragraphs of a label needed before training may call it a report's closing label
STAY_GRID = tuple(round(0.05 * k, 2) for k in range(2, 19))  # candidate sequence priors 0.10 … 0.90
OVERRIDE_GRID = tuple(round(0.5 + 0.02 * k, 2) for k in range(25))  # candidate thresholds 0.50 … 0.98


def build_features(blocks=DEFAULT_BLOCKS) -> FeatureUnion:
    """One TF-IDF vectorizer per feature block (``features.BLOCKS``), weighted and joined."""
    return FeatureUnion(
        [(name, TfidfVectorizer(analyzer=BLOCKS[name], sublinear_tf=True, min_df=2 if name != "position" else 1))
         for name, _ in blocks],
        transformer_weights={name: weight for name, weight in blocks},
    )


class SectionClassifier(BaseEstimator):
    """TF-IDF feature blocks + logistic regression, with a learned sequence prior and calibration.

    ``fit`` takes structures (tokens attached) and their paragraph labels, and optionally a group id
    per structure (variants of one report share a group). Learned state: ``classes_``, ``pipeline_``,
    ``stay_`` (the sequence prior that decodes headingless training reports best; ``stay_share_``, the
    share of neighbours keeping their label, where there is nothing to fit it on), ``closing_`` (the
    labels after which no task is reported), ``start_`` (how likely each label opens the body),
    ``temperature_`` (softmax temperature fitted on grouped out-of-fold scores) and ``override_`` (the
    calibrated probability above which a paragraph's content overrides its heading's section, tuned on
    the same scores).
    """

    def __init__(self, *, C: float = 8.0, max_iter: int = 2000, blocks=DEFAULT_BLOCKS,
                 calibrate: bool = True):
        self.C = C
        self.max_iter = max_iter
        self.blocks = blocks
        self.calibrate = calibrate

    def fit(self, structures: list[Doc], labels: list[list[str]], groups: list[str] | None = None,
            weights: list[float] | None = None) -> SectionClassifier:
        """``weights``: one per structure (e.g. real reports count more than authored ones)."""
        items = [item for s in structures for item in paragraph_items(s)]
        y = [label for row in labels for label in row]
        self.pipeline_ = make_pipeline(
            build_features(self.blocks),
            LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight="balanced"),
        )
        sample_weight = None if weights is None else np.repeat(weights, [len(row) for row in labels])
        self.pipeline_.fit(items, y, logisticregression__sample_weight=sample_weight)
        _compact(self.pipeline_)
        self.classes_ = list(self.pipeline_.classes_)
        self.stay_share_ = self.stay_ = stay_probability(structures, labels)
        self.closing_ = closing_labels(structures, labels)
        self.start_ = start_probabilities(structures, labels, self.classes_)
        self.temperature_, self.override_ = 1.0, None
        if self.calibrate and len(structures) >= CALIBRATION_FOLDS:
            self.temperature_, self.override_ = self._calibration(structures, labels, groups, weights)
        return self

    def _calibration(self, structures, labels, groups, weights) -> tuple[float, float]:
        """Temperature and override threshold from grouped out-of-fold scores of the training data."""
        from sklearn.model_selection import GroupKFold

        groups = groups or [str(k) for k in range(len(structures))]
        logits = [None] * len(structures)
        for train_idx, test_idx in GroupKFold(n_splits=CALIBRATION_FOLDS).split(structures, groups=groups):
            inner = SectionClassifier(C=self.C, max_iter=self.max_iter, blocks=self.blocks, calibrate=False)
            inner.fit([structures[i] for i in train_idx], [labels[i] for i in train_idx],
                      weights=None if weights is None else [weights[i] for i in train_idx])
            for i in test_idx:
                raw = inner.pipeline_.decision_function(paragraph_items(structures[i]))
                logits[i] = _align(raw, inner.classes_, self.classes_)
        temperature = fit_temperature(np.vstack(logits), [c for row in labels for c in row], self.classes_)
        self.stay_ = fit_stay(structures, labels, logits, self.classes_, temperature, weights=weights,
                              default=self.stay_, closing=self.closing_, start=self.start_)
        return temperature, fit_override(structures, labels, logits, self.classes_, temperature, weights=weights)

    def predict_proba(self, structure: Doc) -> np.ndarray:
        scores = self.pipeline_.decision_function(paragraph_items(structure)) / self.temperature_
        return _softmax(scores)

    def score(self, structure: Doc, labels: list[str]) -> list[dict[str, float]]:
        """Probabilities folded into ``labels`` (the ParagraphScorer protocol of ``sections``)."""
        return fold_probabilities(self.predict_proba(structure), self.classes_, labels)


def to_compact(model: SectionClassifier):
    """The numpy-only serving form of a fitted classifier (same probabilities, no scikit-learn)."""
    from analyzer.mapping.serving import Block, CompactModel

    union, regression = model.pipeline_.steps[0][1], model.pipeline_.steps[-1][1]
    weights = union.transformer_weights or {}
    blocks, offset = [], 0
    for name, vectorizer in union.transformer_list:
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        blocks.append(Block(name, vocabulary, vectorizer.idf_.astype(np.float64), offset, weights.get(name, 1.0)))
        offset += len(vocabulary)
    return CompactModel(blocks, regression.coef_.astype(np.float32), regression.intercept_.astype(np.float32),
                        list(model.classes_), model.stay_, temperature=model.temperature_, override=model.override_,
                        closing=model.closing_, start=model.start_)


def fit_temperature(logits: np.ndarray, gold: list[str], classes: list[str]) -> float:
    """The softmax temperature that minimises the negative log-likelihood of the gold labels
    (a one-parameter calibration: the ranking of labels is unchanged)."""
    index = {c: k for k, c in enumerate(classes)}
    rows = [k for k, label in enumerate(gold) if label in index]
    columns = [index[gold[k]] for k in rows]
    best = (np.inf, 1.0)
    for temperature in np.exp(np.linspace(np.log(0.25), np.log(4.0), 41)):
        proba = _softmax(logits[rows] / temperature)
        nll = -np.mean(np.log(proba[np.arange(len(rows)), columns] + 1e-12))
        best = min(best, (nll, float(temperature)))
    return round(best[1], 4)


def fit_override(structures, labels, logits, classes, temperature, *, weights=None) -> float:
    """The probability threshold above which a body paragraph takes its own top label instead of its
    heading's: the one that labels most training paragraphs under section headings correctly
    (out-of-fold scores, each paragraph counted with its report's weight; labels compared on the
    S1..S7 scale so both outlines count)."""
    from analyzer.training.evaluate import to_scale

    cases = []  # (heading label, gold, top label, its probability, weight) on the S scale
    for structure, row, raw, weight in zip(structures, labels, logits, weights or [1.0] * len(structures)):
        proba = _softmax(raw / temperature)
        scaled_classes = to_scale(classes)
        for p in structure.paragraphs:
            if p.is_heading or p.heading is None or row[p.index] == "META":
                continue
            heading_label = to_scale([row[p.heading]])[0]
            if heading_label in ("INTRO", "OTHER"):
                continue  # generic headings do not decide their paragraphs' sections anyway
            folded: dict[str, float] = {}
            for label, value in zip(scaled_classes, proba[p.index]):
                folded[label] = folded.get(label, 0.0) + float(value)
            top = max(folded, key=folded.get)
            cases.append((heading_label, to_scale([row[p.index]])[0], top, folded[top], weight))
    if not cases:
        return OVERRIDE_GRID[-1]

    def correct(threshold: float) -> float:
        return sum(weight for heading, gold, top, value, weight in cases
                   if (top if value >= threshold and top != heading else heading) == gold)
    return max(OVERRIDE_GRID, key=lambda t: (correct(t), t))


def fit_stay(structures, labels, logits, classes, temperature, *, weights=None, default: float,
             closing: tuple[str, ...] = (), start: dict[str, float] | None = None) -> float:
    """The sequence prior (``stay``) that decodes the most headingless training reports' paragraphs
    correctly from their out-of-fold probabilities (each counted with its report's weight, on the
    S1..S7 scale). The share of paragraphs that keep their neighbour's label (``default``) counts
    that context twice: the probabilities already read the paragraph's words, and a real report
    often changes task at every paragraph."""
    from analyzer.frameworks import outlines
    from analyzer.mapping.sections import SHARED_PART_IDS, viterbi
    from analyzer.training.evaluate import to_scale

    runs = []  # (labels to decode with, probability rows, gold labels on the S scale, weight)
    for structure, row, raw, weight in zip(structures, labels, logits, weights or [1.0] * len(structures)):
        if any(p.is_heading for p in structure.paragraphs):
            continue  # under headings the heading decides; the prior only decodes headingless runs
        body = [p.index for p in structure.paragraphs if row[p.index] != "META"]
        if len(body) < 2:
            continue
        outline = max(outlines(), key=lambda o: sum(row[i] in o.section_ids for i in body))
        names = outline.section_ids + list(SHARED_PART_IDS)
        rows = fold_probabilities(_softmax(raw[body] / temperature), classes, names)
        runs.append((names, rows, to_scale([row[i] for i in body]), weight))
    if not runs:
        return default

    def correct(stay: float) -> float:
        total = 0.0
        for names, rows, gold, weight in runs:
            decoded = to_scale([label for label, _ in viterbi(rows, names, stay=stay, closing=closing, start=start)])
            total += weight * sum(g == d for g, d in zip(gold, decoded))
        return total
    return max(STAY_GRID, key=lambda stay: (correct(stay), -abs(stay - default)))


def _align(scores: np.ndarray, have: list[str], want: list[str]) -> np.ndarray:
    """Scores re-ordered into ``want``'s columns (a class the inner model never saw scores -inf)."""
    scores = scores.reshape(len(scores), -1) if scores.ndim == 2 else scores[:, None]
    out = np.full((len(scores), len(want)), -1e9)
    for k, c in enumerate(have):
        out[:, want.index(c)] = scores[:, k]
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def _compact(pipeline) -> None:
    """Shrink the fitted pipeline for shipping: drop the vectorizers' record of pruned terms
    (``stop_words_``, only kept for introspection) and store coefficients as float32."""
    for vectorizer in _vectorizers(pipeline):
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    model = pipeline.steps[-1][1]
    model.coef_ = model.coef_.astype(np.float32)
    model.intercept_ = model.intercept_.astype(np.float32)


def _vectorizers(estimator):
    union = estimator.steps[0][1]
    return [step for _, step in union.transformer_list if isinstance(step, TfidfVectorizer)]


def closing_labels(structures: list[Doc], labels: list[list[str]], *, min_count: int = CLOSING_MIN) -> tuple[str, ...]:
    """The labels that close a report: in no training report does a paragraph of an outline task come
    anywhere after one of them (the 2019 rules' 下一年度安排, in the corpus). Learned from the
    sequences, so no framework file needs a flag for it; a label seen fewer than ``min_count`` times is
    never called closing. Judged report by report: a catch-all label (OTHER: 社区矫正 between two tasks
    in one report, 其他需要报告的情况 after the plan in others) does not link two reports' orders."""
    from analyzer.frameworks import outlines

    tasks = {section for outline in outlines() for section in outline.section_ids}
    seen: Counter = Counter()
    before_a_task: set[str] = set()
    for structure, row in zip(structures, labels):
        body = [label for p, label in zip(structure.paragraphs, row) if not p.is_heading and label != "META"]
        seen.update(body)
        last_task = max((k for k, label in enumerate(body) if label in tasks), default=-1)
        before_a_task.update(body[:last_task])
    return tuple(sorted(label for label, n in seen.items()
                        if n >= min_count and label not in tasks and label not in before_a_task))


def start_probabilities(structures: list[Doc], labels: list[list[str]], classes: list[str]) -> dict[str, float]:
    """How likely each label is to open a report's body (add-one smoothed over ``classes``): almost every
    report opens with its preface (INTRO), and a first paragraph worded like a task (学习贯彻习近平法治思想)
    is still the preface."""
    first = Counter(next((label for p, label in zip(s.paragraphs, row) if not p.is_heading and label != "META"), None)
                    for s, row in zip(structures, labels))
    total = sum(first[c] for c in classes) + len(classes)
    return {c: round((first[c] + 1) / total, 6) for c in classes}


def stay_probability(structures: list[Doc], labels: list[list[str]]) -> float:
    """Share of consecutive body paragraphs that keep the previous paragraph's label (smoothed)."""
    same = total = 0
    for structure, row in zip(structures, labels):
        body = [label for p, label in zip(structure.paragraphs, row) if not p.is_heading and label != "META"]
        same += sum(a == b for a, b in zip(body, body[1:]))
        total += max(0, len(body) - 1)
    return (same + 1) / (total + 2)
