"""Specificity: figures with units, named documents, dates and 文号 count; slogans do not."""

from __future__ import annotations

import pytest

from analyzer.text.specificity import facts, figures, figures_per_1000, is_specific, measurements


@pytest.mark.parametrize(
    "sentence",
    [
        "全年办理行政复议案件12件。",
        "纠错率达15.5%。",
        "审查规范性文件十二项。",
        "投入经费30万元。",
        "印发《江城市重大行政决策程序规定》。",
        "3月底前完成清理。",
        "依据江府办〔2019〕7号文件执行。",
    ],
)
def test_specific_sentences(sentence):
    assert is_specific(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "取得了较好效果。",
        "增强四个意识,坚决做到两个维护。",
        "依据《纲要》要求,进一步加强法治政府建设。",
        "一是完善制度,二是强化监督。",
        "坚持一张蓝图绘到底,对依法行政工作十分重视。",
        "全面推行行政执法三项制度。",
    ],
)
def test_formula_sentences_carry_no_fact(sentence):
    assert not facts(sentence)


def test_figures_are_counted_per_thousand_characters():
    text = "办理案件12件,培训300人次。" + "文" * 85
    assert figures(text) == ["12件", "300人次"]
    assert figures_per_1000(text) == pytest.approx(2000 / len(text))


def test_a_named_document_is_a_fact_but_not_a_measurement():
    sentence = "制定《行政执法公示办法》,取得了较好效果。"
    assert facts(sentence) and not measurements(sentence)


def test_is_specific_agrees_with_facts_over_the_corpus():
    """The short-circuiting test is a shortcut, not a different rule."""
    from builders import corpus_texts

    from analyzer.text.specificity import facts, is_specific
    from analyzer.text.structure import split_sentences

    specific = checked = 0
    for text in (text for texts in corpus_texts() for text in texts):
        for start, end in split_sentences(text):
            sentence = text[start:end]
            assert is_specific(sentence) == bool(facts(sentence)), sentence
            specific += is_specific(sentence)
            checked += 1
    assert 0.2 < specific / checked < 0.9  # both kinds are exercised


def test_slogans_are_masked_as_the_regex_masks_them_over_the_corpus():
    """``mask_slogans`` (one automaton scan) is ``SLOGAN.sub`` over every corpus paragraph, and
    over slogans run together, where the first branch of the alternation must win."""
    from builders import corpus_texts

    from analyzer.text.specificity import SLOGAN, mask_slogans

    def by_regex(text):
        return SLOGAN.sub(lambda m: "□" * len(m.group(0)), text)

    texts = [text for texts in corpus_texts() for text in texts]
    texts += ["六个“统一”", "一是进一步统一", "十五普法一次办", "两个维护三项制度一流"]
    changed = 0
    for text in texts:
        assert mask_slogans(text) == by_regex(text), text
        changed += mask_slogans(text) != text
    assert changed > 100


def test_the_figure_pattern_finds_what_the_plain_alternation_finds_over_the_corpus():
    """The look-ahead in front of ``FIGURE`` is a shortcut: the plain alternation finds the same."""
    import re

    from builders import corpus_texts

    from analyzer.text.specificity import CN_NUM, FIGURE, UNITS, mask_slogans

    plain = re.compile(rf"(?:\d+(?:\.\d+)?|[{CN_NUM}]{{1,6}})\s*(?:余|多)?(?:{UNITS})|\d+(?:\.\d+)?\s*%|百分之[{CN_NUM}]+")
    found = 0
    for text in (mask_slogans(t) for texts in corpus_texts() for t in texts):
        assert [m.span() for m in FIGURE.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        found += len(plain.findall(text))
    assert found > 500
