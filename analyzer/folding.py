"""Folding classifier probabilities onto a framework's labels: which share of each class goes where.

The classifiers are trained on the labels of both outlines; a report is mapped onto one. Each target
label gets its own probability plus that of its counterparts in the other era (``scale`` in the
2021 framework file); a 2015 section that maps onto two 2021 parts (S7 → P1, P10) is shared in
proportion.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .frameworks import load_framework


@cache
def equivalents() -> dict[str, dict[str, list[str]]]:
    """For each target label space, which labels of other frameworks count towards each label."""
    f15, f21 = load_framework("fzzf-2015"), load_framework("fzzf-2021")
    to15: dict[str, list[str]] = {s: [s] for s in f15.section_ids}
    to21: dict[str, list[str]] = {p: [p] for p in f21.section_ids}
    for part in f21.sections:
        if part.scale:
            to15[part.scale].append(part.id)
            to21[part.id].append(part.scale)
    return {"S": to15, "P": to21}


@lru_cache(maxsize=32)
def folding_weights(classes: tuple[str, ...], labels: tuple[str, ...]) -> tuple[tuple[float, ...], ...]:
    """classes × labels: how much of each class's probability goes to each target label."""
    table = equivalents()["P" if any(label.startswith("P") and label[1:].isdigit() for label in labels) else "S"]
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
