"""Per-paragraph and per-section quality: specificity and boilerplate (套话)."""

from __future__ import annotations

from analyzer.checks.boilerplate import BoilerplateDetector, Flag, default_detector
from analyzer.doc import Doc
from analyzer.text.specificity import figures_per_1000, is_specific


def mark_paragraphs(doc: Doc, *, detector: BoilerplateDetector | None = None) -> dict[int, list[tuple]]:
    """Set each body paragraph's boilerplate spans and specificity; return the flags per paragraph
    as (start, end, sentence, Flag)."""
    detector = detector or default_detector()
    flags: dict[int, list[tuple[int, int, str, Flag]]] = {}
    body = doc.body()
    spans_of = {p.index: [(s, e) for s, e in p.sentences] or [(0, len(p.text))] for p in body}
    candidates = iter(_sentence_candidates(detector, body, spans_of))
    for p in body:
        specific = 0
        for start, end in spans_of[p.index]:
            sentence = p.text[start:end]
            among = next(candidates)
            flag = detector.flag(sentence, among=among) if among else None
            if flag is not None:
                flags.setdefault(p.index, []).append((start, end, sentence, flag))
                p.boilerplate.append([start, end])
            specific += is_specific(sentence)
        p.specificity = round(specific / len(spans_of[p.index]), 3)
    return flags


def _sentence_candidates(detector: BoilerplateDetector, body, spans_of) -> list[list[int]]:
    """The lexicon entries that could match each body sentence, found in one pass over the body."""
    text, spans, offset = [], [], 0
    for p in body:
        spans += [(offset + s, offset + e) for s, e in spans_of[p.index]]
        text.append(p.text)
        offset += len(p.text) + 1
    return detector.candidates("\n".join(text), spans)


def section_quality(doc: Doc) -> None:
    """Boilerplate ratio (share of body characters in formulaic sentences) and specificity per section."""
    by_index = {p.index: p for p in doc.paragraphs}
    for section in doc.sections:
        body = [by_index[i] for i in section.paragraphs if not by_index[i].is_heading]
        chars = sum(len(p.text) for p in body)
        if not chars:
            continue
        section.boilerplate_ratio = round(sum(e - s for p in body for s, e in p.boilerplate) / chars, 3)
        sentences = sum(len(p.sentences) or 1 for p in body)
        section.specificity = round(sum(p.specificity * (len(p.sentences) or 1) for p in body) / sentences, 3)


def report_stats(doc: Doc) -> dict:
    body = doc.body()
    text = "".join(p.text for p in body)
    sentences = sum(len(p.sentences) or 1 for p in body) or 1
    return {
        "chars": len(text),
        "boilerplate_ratio": round(sum(e - s for p in body for s, e in p.boilerplate) / (len(text) or 1), 3),
        "figures_per_1000": round(figures_per_1000(text), 2),
        "specific_sentence_share": round(sum(p.specificity * (len(p.sentences) or 1) for p in body) / sentences, 3),
    }
