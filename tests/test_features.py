"""Paragraph features that carry across writers: the lead clause, the heading's words, the position,
the outline tasks whose element terms a paragraph names."""

from __future__ import annotations

from analyzer.frameworks import load_framework
from analyzer.mapping.features import (
    OutlineTerms,
    heading_of,
    lead_chars_of,
    lead_of,
    outline_term_finder,
    paragraph_items,
    position_of,
    tasks_of,
)
from analyzer.pipeline import attach_tokens
from analyzer.text.structure import parse_structure

# Team-written: a title, a preface, a numbered part heading and two body paragraphs.
_REPORT = [
    "某县司法局2024年法治政府建设情况报告",
    "2024年，我局坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：",
    "一、严格规范公正文明执法",
    "(一)规范行政裁量权基准。全年修订裁量基准3项，覆盖全部执法事项。",  # as ingestion normalises it
    "一是开展案卷评查，全年评查案卷40卷。",
]


def _items():
    structure = parse_structure(_REPORT)
    attach_tokens(structure)
    return structure, paragraph_items(structure)


def test_lead_clause_skips_the_marker_and_stops_at_the_first_mark():
    _, items = _items()
    lead = "".join(items[3]["lead"])
    assert lead == "规范行政裁量权基准"
    assert "".join(items[4]["lead"]) == "开展案卷评查"  # 一是 is a marker, not content
    assert all(term.startswith("L:") for term in lead_of(items[3]))


def test_heading_words_leave_out_the_ordinal():
    _, items = _items()
    words = items[3]["heading_words"]
    assert "".join(words) == "严格规范公正文明执法"
    assert "H:严格" in heading_of(items[3]) and not any("一" in t for t in heading_of(items[3]))


def test_position_tells_prefaces_from_later_body_paragraphs():
    structure, items = _items()
    assert position_of(items[2]) == ["P:heading"]
    body = [position_of(item)[0] for p, item in zip(structure.paragraphs, items)
            if not p.is_heading and p.index not in structure.metadata.meta_paragraphs]
    assert body[0].endswith("_before_headings") and not body[-1].endswith("_before_headings")
    assert len(set(body)) == len(body)


def test_lead_clause_character_ngrams_survive_a_different_word_cut():
    _, items = _items()
    grams = lead_chars_of(items[3])  # (一)规范行政裁量权基准。…
    assert "C:裁量" in grams and "C:量权基" in grams  # bigrams and trigrams inside one segmenter word
    assert not any("一" in g or "(" in g or "全年" in g for g in grams)  # not the marker, not past the clause
    assert "C:评查" in lead_chars_of(items[4]) and not any("是" in g for g in lead_chars_of(items[4]))


def test_lead_clause_character_ngrams_ignore_quotation_marks_and_spaces():
    structure = parse_structure(["二是深化“放管服” 改革，全年取消事项5项。"])
    attach_tokens(structure)
    grams = lead_chars_of(paragraph_items(structure)[0])
    assert "C:放管服" in grams and "C:服改" in grams


def _heading_chain_plain(paragraphs, p) -> tuple[str, list[str]]:
    """The reference: the chain walked up from the paragraph, heading by heading, for each paragraph."""
    from analyzer.mapping.features import _content_words
    from analyzer.text.headings import strip_marker

    chain, words, index = [], [], p.heading
    while index is not None:
        chain.append(strip_marker(paragraphs[index].text))
        words += _content_words(paragraphs[index])
        index = paragraphs[index].heading
    return " ".join(chain), words


def test_heading_chains_computed_once_per_heading_are_the_walked_ones():
    """Over the corpus: each paragraph's heading text and words, built from its heading's cached
    chain, are those of walking the chain up for every paragraph."""
    from builders import corpus_texts

    for paragraphs in corpus_texts()[:25]:
        structure = parse_structure(paragraphs)
        attach_tokens(structure)
        items = paragraph_items(structure)
        for p, item in zip(structure.paragraphs, items):
            assert (item["heading"], item["heading_words"]) == _heading_chain_plain(structure.paragraphs, p)


def test_lead_words_read_up_to_the_clause_are_those_of_every_token():
    """Over the corpus: the lead clause's words, read until the first token past it, are those of
    testing every token of the paragraph."""
    from builders import corpus_texts

    from analyzer.mapping.features import _lead_span, _lead_words

    for paragraphs in corpus_texts()[:25]:
        structure = parse_structure(paragraphs)
        attach_tokens(structure)
        for p in structure.paragraphs:
            start, end = _lead_span(p.text)
            assert _lead_words(p, (start, end)) == [w for w, s, e in p.tokens if s >= start and e <= end and w.strip()]


def test_tasks_block_names_the_tasks_of_both_outlines_whose_element_terms_occur():
    _, items = _items()
    # 案卷评查 is an enforcement-responsibility term of the 2015 outline (S4) and an oversight one of 2021 (P8)
    assert set(tasks_of(items[4])) == {"E:S4", "E:P8"}
    assert tasks_of(items[0]) == []  # the title names no measure
    assert tasks_of(items[1]) == ["E:P1"]  # 习近平法治思想: the 2021 outline's first part
    text = "一家企业不服处罚决定，向市政府申请行政复议，市政府维持了原决定。"
    assert {"E:S6", "E:P7"} <= set(outline_term_finder().tasks_named(text))


def test_tasks_block_counts_each_distinct_term_once_and_keeps_a_fixed_order():
    finder = outline_term_finder()
    once = finder.tasks_named("全年办理行政复议案件12件。")
    assert finder.tasks_named("全年办理行政复议案件12件。上年办理行政复议案件10件。") == once  # the same terms again
    assert finder.tasks_named("行政调解10件，行政复议12件。") == finder.tasks_named("行政复议12件，行政调解10件。")
    assert len(finder.tasks_named("行政复议12件，行政调解10件。")) > len(finder.tasks_named("行政复议12件。"))


def test_outline_terms_come_from_the_framework_files_given():
    only_2015 = OutlineTerms([load_framework("fzzf-2015")])
    assert only_2015.tasks_named("申请行政复议") == ["E:S6"]
    assert only_2015.tasks_named("今天天气很好") == []
