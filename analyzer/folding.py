"""Folding classifier probabilities onto a framework's labels: which share of each class goes where.

The classifiers are trained on the labels of both outlines; a report is mapped onto one. Each target
label gets its own probability plus that of its counterparts in the other era (``scale`` in the
2021 framework file); a 2015 section that maps onto two 2021 parts (S7 → P1, P10) is shared in
proportion.
"""

from __future__ import annotations

from functools import cache, lru_cache

from analyzer.frameworks import outlines


@cache
def equivalents() -> dict[str, dict[str, list[str]]]:
    """For each outline id, which labels of the other outlines count towards each of its sections:
    through the common scale (each section's ``scale`` in its file)."""
    scale_of = {s.id: s.scale for o in outlines() for s in o.sections}
    out: dict[str, dict[str, list[str]]] = {}
    for outline in outlines():
        table = {}
        for section in outline.sections:
            others = [label for label, scale in scale_of.items()
                      if label != section.id and label not in outline.section_ids and scale is not None
                      and scale in (section.scale, section.id)]
            table[section.id] = [section.id, *others]
        out[outline.id] = table
    return out


@lru_cache(maxsize=32)
def folding_weights(classes: tuple[str, ...], labels: tuple[str, ...]) -> tuple[tuple[float, ...], ...]:
    """classes × labels: how much of each class's probability goes to each target label."""
    tables = equivalents()
    table = max(tables.values(), key=lambda t: len(set(t) & set(labels)))  # the outline the labels are of
    index = {c: i for i, c in enumerate(classes)}
    sharers: dict[str, int] = {}
    for label in labels:
        for source in table.get(label, [label])[1:]:
            sharers[source] = sharers.get(source, 0) + 1
    weights = [[0.0] * len(labels) for _ in classes]
    for j, label in enumerate(labels):
        if label in index:
            weights[index[label]][j] = 1.0
        for source in table.get(label, [label])[1:]:
            if source in index:
                weights[index[source]][j] += 1.0 / sharers[source]
    return tuple(map(tuple, weights))
