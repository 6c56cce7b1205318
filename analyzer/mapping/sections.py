"""Map every paragraph onto the sections of a framework.

Order of evidence, strongest first: metadata lines (META); headings that clearly name a section or
part (aliases, fuzzy); the governing heading a body paragraph sits under; and, where no heading
decides, a paragraph scorer: the trained classifier (``classifier``) when a model is given, else
cue-term counts from the framework file. Paragraphs are always mapped onto an outline (the
report's layout and parts are read afterwards, in ``parts``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

import numpy as np

from analyzer.doc import Doc
from analyzer.frameworks import SHARED_PART_IDS, Framework, load_framework
from analyzer.ingest.normalize import normalize_width
from analyzer.text.headings import strip_marker

_PUNCT = re.compile(r"[\s,.:;!?、。:;,“”\"'()《》<>\[\]【】〔〕·—-]+")
_SUFFIXES = ("方面", "工作", "情况", "的")
CLEAR_HEADING = 0.8  # heading similarity above which the heading decides its section
GENERIC_PARTS = ("INTRO",)  # parts whose headings do not decide the sections of what they govern
DEFAULT_STAY = 0.6  # sequence prior when the scorer has not learned one
# Probability of its own top label above which a body paragraph's content overrides the section its
# heading gives it, when the model has not learned a threshold (``override_``, tuned on training folds).
DEFAULT_OVERRIDE = 0.8
# A heading whose words are only the report's own subject (一、2024年法治政府建设情况) names no section:
# it is a generic part heading (INTRO), although its words occur inside section names.
# A heading whose governed items favour two or more sections, each with at least this probability,
# is a container of several areas (README of the real labels: such headings are INTRO).
CONTAINER_ITEM = 0.5
CLEAR_OWN_HEADING = 0.7  # ... unless the heading's own words favour one section this clearly (一、落实第一责任人职责)
# A task no paragraph was mapped to takes the body paragraph whose own content gives it at least this
# probability. Chosen on the authored corpus's report-grouped folds: paragraphs of tasks that authors
# removed never scored above 0.39 for them, the 数字法治政府 paragraphs under a 执法 heading 0.89.
RESCUE_MISSING = 0.5
# ... or at least this probability when the task is that paragraph's own top label: the paragraph reads
# as this task more than as any other, and only smoothing gave it to its neighbours' task (a short
# 数字政府 paragraph between two supervision paragraphs). Chosen on the same folds (issue 15).
RESCUE_TOP = 0.4
_SUBJECT_ONLY = re.compile(r"^(?:推进|加强|全面推进)?法治(?:政府)?建设(?:工作)?$")


@dataclass
class Assignment:
    """The section a paragraph is mapped to, and why."""

    label: str
    source: str  # meta | heading | inherited | content | model | cues | container | default
    score: float = 1.0
    heading_label: str | None = None  # the label the heading chain gives a body paragraph, if any

    @property
    def confidence(self) -> float:
        """The scorer's (calibrated) probability of the label where a scorer chose it; 1.0 where
        metadata, a heading or inheritance decided."""
        return round(self.score, 4) if self.source in ("model", "content", "cues", "container", "default") else 1.0


class ParagraphScorer(Protocol):
    """Anything that scores paragraphs against labels: the cue scorer or a trained classifier."""

    def score(self, structure: Doc, labels: list[str]) -> list[dict[str, float]]: ...


def normalize_heading(text: str) -> str:
    core = _PUNCT.sub("", strip_marker(normalize_width(text)))
    core = re.sub(r"^(?:(?:19|20)\d{2}年度?)", "", core)
    for suffix in _SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 3:
            core = core[: -len(suffix)]
    return core


class HeadingMatcher:
    """Match heading text against the aliases of a framework's sections and parts."""

    CACHE = 4096  # matched headings kept (a batch meets new ones with every report: the cache is bounded)

    def __init__(self, framework: Framework):
        self._cache: dict[str, tuple[str, float] | None] = {}
        self.aliases: list[tuple[str, str]] = []
        for section in framework.sections:
            for alias in [section.name, *section.aliases]:
                self.aliases.append((normalize_heading(alias), section.id))
        for part in framework.parts:
            for alias in [part.name, *part.aliases]:
                self.aliases.append((normalize_heading(alias), part.id))
        # how often each alias holds each character (a row per character): bounds every alias's
        # similarity to a heading at once, from the rows of the heading's characters
        chars = sorted({ch for alias, _ in self.aliases for ch in alias})
        self._row = {ch: k for k, ch in enumerate(chars)}
        held = np.zeros((len(chars), len(self.aliases)), dtype=np.int32)
        for k, (alias, _) in enumerate(self.aliases):
            for ch, count in Counter(alias).items():
                held[self._row[ch], k] = count
        self._lengths = np.array([len(alias) for alias, _ in self.aliases], dtype=np.int64)
        # "alias holds the character at least k times", a block of rows per k = 1, 2 … (``_shared``)
        most = int(held.max()) if held.size else 0
        self._at_least = np.concatenate([held >= k for k in range(1, most + 1)] or [held[:0]]).astype(np.int8)
        self._length_list = self._lengths.tolist()
        self._looked_at: dict[tuple[int, float], np.ndarray] = {}  # (heading length, floor) → ``_first_looked_at``

    def match(self, heading: str) -> tuple[str, float] | None:
        """The section or part id that the heading clearly names and its similarity (1.0 exact, 0.9
        containment, else at least ``CLEAR_HEADING``); None where no alias is that similar. Only a
        clear match decides anything, so aliases that cannot reach it are never scored."""
        return self.match_core(normalize_heading(heading))

    def match_core(self, core: str) -> tuple[str, float] | None:
        """``match`` of a heading already normalised (``normalize_heading``, ``heading_cores``)."""
        if core not in self._cache:
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            self._cache[core] = self._match(core, at_least=CLEAR_HEADING)
        return self._cache[core]

    def _match(self, core: str, *, at_least: float = 0.0) -> tuple[str, float] | None:
        """The first alias (in file order) with the highest score, if it scores ``at_least``: 1.0
        equal, 0.9 containing or contained, else ``SequenceMatcher.ratio``, computed only for aliases
        whose upper bound (shared characters, what ``quick_ratio`` counts) could still win."""
        n = len(core)
        if n < 2:
            return None
        shared = self._shared(core)
        floor = max(at_least, 0.0)
        best: tuple[float, int] | None = None  # (score, -alias index): higher wins, earlier wins ties
        eligible = []  # (-bound, index) of the aliases to score: their bound could reach ``at_least``
        # an alias inside the heading shares all its characters with it, and the heading inside an
        # alias all its own: only those aliases, and those whose bound reaches the floor, are looked at
        for k in np.flatnonzero(shared >= self._first_looked_at(n, floor)).tolist():
            alias = self.aliases[k][0]
            if alias and (alias == core or (len(alias) >= 4 and alias in core) or (n >= 4 and core in alias)):
                candidate = (1.0 if alias == core else 0.9, -k)
                best = candidate if best is None or candidate > best else best
            elif alias:
                bound = 2.0 * int(shared[k]) / (self._length_list[k] + n)
                if bound >= floor:
                    eligible.append((-bound, k))
        similarity = None
        for negative_bound, k in sorted(eligible):  # best bound first, then earliest
            if best is not None and (-negative_bound, -k) <= best:
                break  # sorted by bound: no later alias can win
            if similarity is None:
                similarity = SequenceMatcher(None, "", core, autojunk=False)  # the heading's index, built once
            similarity.set_seq1(self.aliases[k][0])
            candidate = (similarity.ratio(), -k)
            best = candidate if best is None or candidate > best else best
        if best is None or best[0] < at_least:
            return None
        return self.aliases[-best[1]][1], best[0]

    def _first_looked_at(self, n: int, floor: float) -> np.ndarray:
        """Per alias, the fewest shared characters with which ``_match`` looks at it for a heading of
        ``n`` characters: all of the shorter one's (containment), or enough for the bound
        ``2 * shared / (alias length + n)``, computed as ``_match`` computes it, to reach ``floor``."""
        if (n, floor) not in self._looked_at:
            if len(self._looked_at) >= 256:  # one entry per heading length met: a few dozen in practice
                self._looked_at.clear()
            lengths = self._lengths
            counts = np.arange(int(lengths.max(initial=0)) + 2)[:, None]  # every possible count, and one too many
            reaches = (2.0 * counts / (lengths + n) >= floor) | (counts == len(counts) - 1)
            self._looked_at[(n, floor)] = np.minimum(reaches.argmax(axis=0), np.minimum(lengths, n))
        return self._looked_at[(n, floor)]

    def _shared(self, core: str) -> np.ndarray:
        """Characters each alias shares with ``core``, counted as ``quick_ratio`` counts them: a
        character the heading holds n times adds min(n, the alias's count), the sum of the alias's
        "holds it at least k times" rows for k = 1..n (``_at_least``)."""
        row = self._row
        if len(set(core)) == len(core):  # each character once (most headings): one row each
            rows = [row[ch] for ch in core if ch in row]
        else:
            size, levels = len(row), len(self._at_least) // max(len(row), 1)
            rows = [row[ch] + k * size for ch, n in Counter(core).items() if ch in row for k in range(min(n, levels))]
        return self._at_least[rows].sum(axis=0) if rows else np.zeros(len(self.aliases), dtype=np.int64)


def heading_cores(structure: Doc) -> dict[int, str]:
    """Each heading paragraph's ``normalize_heading`` text, computed once per document: the layout,
    the sections and the parts all match the same headings, each against its framework's aliases."""
    if "heading_cores" not in structure.derived:
        structure.derived["heading_cores"] = {p.index: normalize_heading(p.text) for p in structure.headings}
    return structure.derived["heading_cores"]


_heading_matchers: dict[str, HeadingMatcher] = {}


def heading_matcher(framework: Framework) -> HeadingMatcher:
    """One matcher (and its cache of matched headings) per framework id, built on first use."""
    if framework.id not in _heading_matchers:
        _heading_matchers[framework.id] = HeadingMatcher(framework)
    return _heading_matchers[framework.id]


class CueScorer:
    """Score paragraphs by cue terms from framework files: the keyword baseline, no training.

    Built from one framework, or from several (``CueScorer(*outlines())``) so that
    the same scorer serves any label space; ``score`` keeps only the labels asked for.
    """

    def __init__(self, *frameworks: Framework):
        self.cues: dict[str, list[str]] = {}
        for framework in frameworks:
            for section in framework.sections:
                self.cues.setdefault(section.id, list(section.cues))
            for part in framework.parts:
                if part.cues:
                    self.cues.setdefault(part.id, list(part.cues))

    @classmethod
    def of(cls, *framework_ids: str) -> CueScorer:
        return cls(*(load_framework(f) for f in framework_ids))

    def score_text(self, text: str, labels: list[str] | None = None) -> dict[str, float]:
        raw = {
            label: sum(len(c) * text.count(c) for c in cues)
            for label, cues in self.cues.items()
            if labels is None or label in labels
        }
        total = sum(raw.values())
        return {label: value / total for label, value in raw.items()} if total else {}

    def score(self, structure: Doc, labels: list[str]) -> list[dict[str, float]]:
        return [self.score_text(p.text, labels) for p in structure.paragraphs]


def map_sections(
    structure: Doc,
    framework: Framework,
    *,
    scorer: ParagraphScorer | None = None,
) -> list[Assignment]:
    """One assignment per paragraph: a section of the outline ``framework`` or a shared part label."""
    if not framework.sections:
        raise ValueError(f"{framework.id} has no sections: paragraphs are mapped onto an outline")
    labels = framework.section_ids + [p for p in SHARED_PART_IDS]
    matcher = heading_matcher(framework)
    scores = _no_meta_for_prose((scorer or CueScorer(framework)).score(structure, labels), structure)
    out: list[Assignment | None] = [None] * len(structure.paragraphs)
    meta = set(structure.metadata.meta_paragraphs)
    cores = heading_cores(structure)
    for p in structure.paragraphs:
        if p.index in meta:
            out[p.index] = Assignment("META", "meta")
        elif p.is_heading:
            out[p.index] = _heading_assignment(cores[p.index], matcher, scores, structure, p.index)
    undecided = []
    override = (getattr(scorer, "override_", None) or DEFAULT_OVERRIDE) if scorer is not None else None
    for p in structure.paragraphs:
        if out[p.index] is None:
            governing = _governing_label(p, out, structure)
            if governing is None:
                undecided.append(p.index)
            else:
                out[p.index] = content_over_heading(governing, scores[p.index], threshold=override)
    stay = getattr(scorer, "stay_", DEFAULT_STAY)
    source = "model" if scorer is not None else "cues"
    # the body's first paragraph: the run that starts there is decoded with how reports open
    opening = next((p.index for p in structure.paragraphs
                    if not p.is_heading and (out[p.index] is None or out[p.index].label != "META")), None)
    for run in _runs(undecided):
        decoded = viterbi([scores[i] for i in run], labels, stay=stay, closing=getattr(scorer, "closing_", ()),
                          start=getattr(scorer, "start_", None) if run[0] == opening else None)
        for index, (label, score) in zip(run, decoded):
            out[index] = Assignment(label, source if score > 0 else "default", score)
    if override is not None:
        rescue_missing_sections(out, scores, structure, framework.section_ids, threshold=RESCUE_MISSING,
                                top_threshold=RESCUE_TOP)
    return [a for a in out if a is not None]


def rescue_missing_sections(out: list[Assignment], scores: list[dict[str, float]], structure: Doc,
                            section_ids: list[str], *, threshold: float, top_threshold: float | None = None) -> None:
    """Give a task that no paragraph was mapped to the body paragraph whose content says it with at
    least ``threshold`` probability, when that paragraph's own task keeps other paragraphs. A heading's
    run (一个专题标题下的各段) or a smoothing step can swallow the one paragraph a task has; reporting
    that task as missing would be a false alarm the reviewer can see is wrong. ``top_threshold``: the
    lower probability that suffices when the task is the paragraph's own top label (default: none lower)."""
    top_threshold = threshold if top_threshold is None else top_threshold
    body = [p.index for p in structure.paragraphs if not p.is_heading and out[p.index].label != "META"]
    for section in section_ids:
        counts = Counter(out[i].label for i in body)
        if counts[section]:
            continue
        movable = [i for i in body if out[i].label in section_ids and counts[out[i].label] > 1
                   and _says(scores[i], section, threshold=threshold, top_threshold=top_threshold)]
        best = max(movable, key=lambda i: scores[i][section], default=None)
        if best is not None:
            out[best] = Assignment(section, "content", scores[best][section], heading_label=out[best].heading_label)


def _says(scores: dict[str, float], section: str, *, threshold: float, top_threshold: float) -> bool:
    """Whether a paragraph's own content says ``section`` clearly enough to be given it back."""
    score = scores.get(section, 0.0)
    return score >= threshold or (score >= top_threshold and max(scores, key=scores.get) == section)


META_MAX_CHARS = 40  # labelled titles, recipients, dates and closing lines: at most 39 characters (one cover letter of 65)


def _no_meta_for_prose(scores: list[dict[str, float]], structure: Doc) -> list[dict[str, float]]:
    """A long paragraph is never a title, recipient or closing line: the scorer may not call it META
    (the structure's own metadata lines are decided before any scoring)."""
    return [{k: v for k, v in row.items() if k != "META"} if len(p.text) > META_MAX_CHARS and "META" in row else row
            for row, p in zip(scores, structure.paragraphs)]


def content_over_heading(governing: str, scores: dict[str, float], *, threshold: float | None) -> Assignment:
    """A body paragraph keeps its heading's section unless the model gives another task at least
    ``threshold`` probability (None: no trained model, the heading always decides)."""
    top = max(scores, key=scores.get) if scores else None
    if threshold is not None and top is not None and top != governing and top != "META" and scores[top] >= threshold:
        return Assignment(top, "content", scores[top], heading_label=governing)
    return Assignment(governing, "inherited", heading_label=governing)


def _heading_assignment(core, matcher, scores, structure, index) -> Assignment:
    """The assignment of the heading paragraph ``index`` (``core``: its normalised text)."""
    if _SUBJECT_ONLY.match(core):
        return Assignment("INTRO", "heading")
    found = matcher.match_core(core)
    if found:  # a clear match (``HeadingMatcher.match``)
        return Assignment(found[0], "heading", found[1])
    # A topical heading that names no section: decide by the heading and the text it governs. A
    # container whose items clearly belong to different sections is a generic part heading (INTRO).
    governed = [q.index for q in structure.paragraphs if q.heading == index and not q.is_heading]
    own = max(scores[index].values(), default=0.0)
    vote = _vote([index, *governed], scores)
    if own < CLEAR_OWN_HEADING and len(_confident_tops(governed, scores)) >= 2:
        return Assignment(vote.label, "container", vote.score)  # says its subject, decides nothing below it
    return vote


def _confident_tops(indexes: list[int], scores: list[dict[str, float]]) -> set[str]:
    """The section labels that paragraphs' scores clearly favour (top label at least ``CONTAINER_ITEM``)."""
    tops = set()
    for i in indexes:
        if scores[i]:
            top = max(scores[i], key=scores[i].get)
            if scores[i][top] >= CONTAINER_ITEM and top not in SHARED_PART_IDS:
                tops.add(top)
    return tops


def _vote(indexes: list[int], scores: list[dict[str, float]]) -> Assignment:
    total: dict[str, float] = {}
    for i in indexes:
        for label, value in scores[i].items():
            total[label] = total.get(label, 0.0) + value
    if not total:
        return Assignment("INTRO", "default", 0.0)
    label = max(total, key=total.get)
    return Assignment(label, "cues", total[label] / max(1, len(indexes)))


def _runs(indexes: list[int]) -> list[list[int]]:
    """Split sorted paragraph indexes into runs of consecutive ones."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def viterbi(scores: list[dict[str, float]], labels: list[str], *, stay: float,
            closing: tuple[str, ...] | frozenset[str] = (), start: dict[str, float] | None = None,
            ) -> list[tuple[str, float]]:
    """Most likely label sequence for a run of paragraphs: each paragraph's scores as emissions,
    and a prior that the next paragraph keeps the label with probability ``stay``. ``closing``: labels
    that close a report (learned, ``SectionClassifier.closing_``): no outline task follows one of them
    (the report parts may: 其他 after 下一年度安排), so one plan-like paragraph mid-report cannot become
    下一年度安排 while its neighbours are measures.
    ``start``: how likely each label opens a report's body (learned, ``start_``), for a run that does.
    Paragraphs without any score fall back to the previous label (or INTRO at the start)."""
    if not any(scores):
        return [("INTRO", 0.0)] * len(scores)
    floor = 1e-4
    switch = math.log((1 - stay) / max(1, len(labels) - 1))
    keep = math.log(stay)
    closing = frozenset(closing) & set(labels)
    free = closing | (set(labels) & set(SHARED_PART_IDS))  # what a closing label may hand over to
    best = {lab: math.log(scores[0].get(lab, 0.0) + floor) for lab in labels}
    if start:
        opening = sum(start.get(lab, 0.0) for lab in labels) or 1.0
        best = {lab: value + math.log(start.get(lab, 0.0) / opening + floor) for lab, value in best.items()}
    back: list[dict[str, str]] = []
    for row in scores[1:]:
        leader = max(best, key=best.get)
        # the best predecessor a task may switch from (a closing label never hands over to a task)
        opener = leader if leader not in closing else max((lab for lab in labels if lab not in closing),
                                                          key=best.get, default=leader)
        step, pointers = {}, {}
        for lab in labels:
            source = leader if lab in free else opener
            via_keep = best[lab] + keep
            via_switch = -math.inf if source in closing and lab not in free else best[source] + switch
            step[lab], pointers[lab] = (via_keep, lab) if via_keep >= via_switch else (via_switch, source)
            step[lab] += math.log(row.get(lab, 0.0) + floor)
        back.append(pointers)
        best = step
    path = [max(best, key=best.get)]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    path.reverse()
    return [(lab, row.get(lab, 0.0)) for lab, row in zip(path, scores)]


def _governing_label(p, out, structure) -> str | None:
    """The label a body paragraph inherits from its heading chain, or None to let the scorer decide.

    Section and part headings decide. A generic heading (一、总体情况, 一、主要举措和成效) decides only
    for the summary paragraphs before its first subheading; elsewhere the paragraph's own text does.
    """
    index = p.heading
    while index is not None:
        assignment = out[index]
        if assignment.source == "container":  # its items belong to different sections: each says its own
            index = structure.paragraphs[index].heading
            continue
        if assignment.label not in GENERIC_PARTS:
            return assignment.label
        subheadings = [q.index for q in structure.paragraphs if q.is_heading and q.heading == index]
        if index == p.heading and subheadings and p.index < subheadings[0] and not p.lead:
            return assignment.label  # a summary before the first subheading (an item with a lead is not one)
        index = structure.paragraphs[index].heading
    return None
