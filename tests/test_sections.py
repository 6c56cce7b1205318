"""Section mapping: headings decide, body paragraphs inherit, cues fill the gaps, folds relabel."""

from __future__ import annotations

import pytest

from analyzer.frameworks import load_framework
from analyzer.sections import CLEAR_HEADING, CueScorer, HeadingMatcher, map_sections, normalize_heading
from analyzer.structure import parse_structure

SEED_SECTIONS = {4: "S1", 6: "S2", 9: "S3", 11: "S4", 13: "S5", 16: "S6", 18: "S7"}


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("(一)依法全面履行政府职能", "S1"),
        ("(三)推进行政决策科学化民主化法治化", "S3"),
        ("(四)坚持严格规范公正文明执法方面", "S4"),
        ("(七)加强组织保障和落实机制建设", "S7"),
        ("(七)全面提高政府工作人员法治思维和依法行政能力", "S7"),
        ("二、 存在的薄弱环节和问题", "PROBLEMS"),
        ("三、下一步工作建议", "NEXT"),
    ],
)
def test_headings_that_name_a_section(heading, label):
    found = HeadingMatcher(load_framework("fzzf-2015")).match(heading)
    assert found[0] == label and found[1] >= CLEAR_HEADING


def test_topical_heading_names_no_section():
    found = HeadingMatcher(load_framework("fzzf-2015")).match("(二)让执法既有力度又有温度")
    assert found is None or found[1] < CLEAR_HEADING


def test_normalize_heading_strips_marker_and_punctuation():
    assert normalize_heading("（三）推进行政决策科学化、民主化、法治化") == "推进行政决策科学化民主化法治化"


def test_seed_paragraphs_follow_their_headings(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    labels = [a.label for a in map_sections(structure, load_framework("fzzf-2015"))]
    for index, label in SEED_SECTIONS.items():
        assert labels[index] == label
        assert labels[index + 1] == label  # the first body paragraph under it
    assert labels[0] == "META" and labels[24:] == ["META", "META"]
    assert labels[20:22] == ["PROBLEMS", "PROBLEMS"] and labels[22:24] == ["NEXT", "NEXT"]


def test_cue_scorer_prefers_the_section_whose_terms_appear():
    scorer = CueScorer(load_framework("fzzf-2015"))
    scores = scorer.score_text("全年办理行政复议案件12件,人民调解组织调处矛盾纠纷300余起。")
    assert max(scores, key=scores.get) == "S6"


def test_seed_without_headings_lands_in_its_sections(seed_paragraphs):
    """Every body paragraph of (一)…(七) lands in its section with the shipped model and no heading to lean on."""
    from analyzer import analyze
    from analyzer.headings import heading_marker

    body = [p for p in seed_paragraphs if not (heading_marker(p) and len(p) <= 40)]
    result = analyze("\n".join(body), framework="fzzf-2015")
    by_text = {p.text: p.section for p in result.paragraphs}
    for heading_index, label in SEED_SECTIONS.items():
        following = seed_paragraphs[heading_index + 1 :]
        for text in following:
            if heading_marker(text) and len(text) <= 40:
                break
            assert by_text[text] == label, f"{text[:20]} -> {by_text[text]}, expected {label}"


def _brute_heading_match(matcher: HeadingMatcher, core: str):
    """The rule written plainly: every alias scored, the first with the highest score wins."""
    from difflib import SequenceMatcher

    if len(core) < 2:
        return None
    best = None
    for alias, label in matcher.aliases:
        if not alias:
            continue
        if alias == core or (len(alias) >= 4 and alias in core) or (len(core) >= 4 and core in alias):
            score = 1.0 if alias == core else 0.9
        else:
            score = SequenceMatcher(None, alias, core, autojunk=False).ratio()
        if best is None or score > best[1]:
            best = (label, score)
    return best


def test_heading_matching_with_bounds_equals_scoring_every_alias():
    """The pruned search returns exactly what scoring every alias returns, on the corpus's headings
    and on damaged copies of them (characters dropped, swapped, replaced), in all frameworks."""
    import random

    from builders import corpus_reports

    headings = {row["text"] for rows in corpus_reports().values() for row in rows if row["is_heading"]}
    rng = random.Random(8)
    cores = {normalize_heading(h) for h in headings}
    for core in list(cores):
        if len(core) > 3:
            k = rng.randrange(len(core))
            cores |= {core[:k] + core[k + 1:], core[:k] + "法" + core[k + 1:], core[::-1], core[k:] + core[:k]}
    assert len(cores) > 400
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        matcher = HeadingMatcher(load_framework(framework_id))
        for core in sorted(cores):
            assert matcher._match(core) == _brute_heading_match(matcher, core), (framework_id, core)
