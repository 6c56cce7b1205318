"""Folding weights: each class's probability goes to its own label and to its other-era counterparts."""

from __future__ import annotations

from analyzer.folding import equivalents, folding_weights


def test_a_2015_section_is_shared_by_the_2021_parts_it_maps_onto():
    weights = folding_weights(("S7", "P1", "P10", "S1"), ("P1", "P10", "P2"))
    assert weights[0] == (0.5, 0.5, 0.0)  # S7 → P1 and P10, half each
    assert weights[1] == (1.0, 0.0, 0.0) and weights[2] == (0.0, 1.0, 0.0)
    assert weights[3] == (0.0, 0.0, 1.0)  # S1 counts towards P2 (its counterpart)


def test_counterparts_come_from_the_framework_files():
    to15, to21 = equivalents()["fzzf-2015"], equivalents()["fzzf-2021"]
    assert set(to15["S7"]) == {"S7", "P1", "P10"} and to15["S1"] == ["S1", "P2"]
    assert to21["P2"] == ["P2", "S1"] and to21["P6"] == ["P6"]  # a 2021 addition has no counterpart
