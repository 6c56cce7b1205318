"""The pipeline's own steps (the stages have their own test modules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import corpus_texts

from analyzer.pipeline import attach_tokens
from analyzer.text.segment import BACKENDS, get_segmenter
from analyzer.text.structure import parse_structure


@pytest.mark.parametrize("backend", BACKENDS)
def test_paragraph_tokens_are_the_whole_documents_tokens(backend):
    """Cutting paragraph by paragraph gives exactly the tokens of the whole text joined by newlines,
    re-based to each paragraph: nothing is lost by not segmenting the document as one string."""
    segmenter = get_segmenter(backend)
    for texts in corpus_texts():
        structure = parse_structure(texts)
        attach_tokens(structure, backend=backend)
        whole = segmenter.tokenize("\n".join(texts))
        rebased, start = [], 0
        for p in structure.paragraphs:
            rebased += [(w, s + start, e + start) for w, s, e in p.tokens]
            assert "".join(w for w, _, _ in p.tokens) == p.text  # every character, in order
            start += len(p.text) + 1
        assert rebased == [t for t in whole if t[0] != "\n"]


def test_new_tokens_clear_what_was_derived_from_the_old():
    from analyzer.mapping.features import paragraph_items

    structure = parse_structure(["依法行政工作报告", "我们推进权责清单。"])
    attach_tokens(structure)
    assert paragraph_items(structure)[1]["words"]
    structure.paragraphs[1].text = "聘请法律顾问。"
    attach_tokens(structure)
    assert "法律顾问" in paragraph_items(structure)[1]["words"]


def _spied_analysis(monkeypatch, text: str, **options):
    """Analyse ``text`` recording every check's context and every rendering of a document."""
    import dataclasses

    from analyzer import pipeline
    from analyzer.checks import findings

    contexts, rendered = [], []

    def spy(rule):
        def run(context):
            contexts.append((context, len(rendered)))  # how many renderings had happened by then
            return rule.run(context)

        return dataclasses.replace(rule, run=run)

    rules = tuple(spy(rule) for rule in findings.registered_rules())
    monkeypatch.setattr(findings, "registered_rules", lambda: rules)
    real_render = pipeline.render_analysis

    def render(doc):
        rendered.append(doc)
        return real_render(doc)

    monkeypatch.setattr(pipeline, "render_analysis", render)
    return pipeline.analyze(text, **options), contexts, rendered


def test_every_check_reads_the_one_working_document_before_any_analysis_exists(monkeypatch, seed_paragraphs):
    from analyzer.doc import Doc

    earlier = "\n".join(seed_paragraphs[:-3])
    analysis, contexts, rendered = _spied_analysis(monkeypatch, "\n".join(seed_paragraphs), previous=earlier)
    from analyzer.checks.rules import REGISTRY

    assert len(contexts) == len(REGISTRY)  # every registered check ran, once
    docs = {id(context.doc) for context, _ in contexts}
    assert len(docs) == 1 and isinstance(contexts[0][0].doc, Doc)
    assert all(renderings == 0 for _, renderings in contexts)  # checks run on the doc, never on an Analysis
    assert not hasattr(contexts[0][0], "analysis") and not hasattr(contexts[0][0], "structure")
    (doc,) = rendered  # rendered once, from that same document, at the end
    assert id(doc) in docs
    assert analysis.copying is doc.copying is not None and analysis.findings == doc.findings


def test_the_analysis_is_rendered_from_the_doc_without_its_working_state(monkeypatch, seed_paragraphs):
    from analyzer.doc import render_analysis

    analysis, _, (doc,) = _spied_analysis(monkeypatch, "\n".join(seed_paragraphs))
    assert render_analysis(doc).to_json() == analysis.to_json()  # rendering is a pure function of the doc
    assert all(p.tokens for p in doc.body()) and doc.metadata.meta_paragraphs  # the doc's working state …
    for p in analysis.paragraphs:  # … stays with the doc: the result holds the declared fields only
        assert not hasattr(p, "tokens") and not hasattr(p, "lead") and not hasattr(p, "enumerations")
    assert not hasattr(analysis.metadata, "meta_paragraphs")
    doc.paragraphs[1].text = "改动"
    assert analysis.paragraphs[1].text == seed_paragraphs[1]  # the result's paragraphs are its own


def test_working_attributes_are_never_encoded():
    import msgspec

    doc = parse_structure(["江城区司法局2023年法治政府建设情况报告", "1.深化改革。一是全年取消事项5项。"])
    attach_tokens(doc)
    paragraph = doc.paragraphs[1]
    assert paragraph.lead == "深化改革" and paragraph.enumerations and paragraph.tokens
    encoded = msgspec.json.decode(msgspec.json.encode(paragraph))
    assert {"lead", "enumerations", "tokens"}.isdisjoint(encoded) and encoded["text"] == paragraph.text
    assert doc.metadata.meta_paragraphs == [0] and "meta_paragraphs" not in msgspec.to_builtins(doc.metadata)


def test_an_analysis_leaves_no_reference_cycle_for_the_paused_collector():
    """The collector is paused while an analysis runs (``collector_paused``): that costs no memory
    only because an analysis frees everything it made by reference counting alone."""
    import gc

    from analyzer import analyze

    reports = ["\n".join(texts) for texts in corpus_texts()[:8]]
    analyze(reports[0]).to_json()  # first-call loading (models, frameworks, caches) is not an analysis's garbage
    gc.collect()
    for earlier, text in zip(reports, reports[1:]):
        analyze(text, previous=earlier).to_json()
        assert gc.collect() == 0


def test_the_collector_is_paused_during_an_analysis_and_restored_after_it(monkeypatch, seed_paragraphs):
    import gc

    from analyzer import pipeline

    seen = []
    real_plan = pipeline.plan_checks

    def plan(doc, requested="auto"):
        seen.append(gc.isenabled())
        return real_plan(doc, requested)

    monkeypatch.setattr(pipeline, "plan_checks", plan)
    text = "\n".join(seed_paragraphs)
    assert gc.isenabled()
    pipeline.analyze(text)
    assert seen == [False] and gc.isenabled()
    from analyzer.frameworks import FrameworkError

    with pytest.raises(FrameworkError):
        pipeline.analyze(text, framework="no-such-framework")
    assert gc.isenabled()  # back on after a failed analysis too
    gc.disable()
    try:
        pipeline.analyze(text)
        assert not gc.isenabled()  # a caller that switched it off keeps it off
    finally:
        gc.enable()


def _find_loop_scan(self, text: str) -> list[tuple[int, int, int]]:
    """``Strings.scan`` as the checks searched before the automaton: one ``str.find`` loop per
    string (``automaton._find_all``), every occurrence, ordered as the automaton reports them."""
    from analyzer.text.automaton import _find_all

    hits = [(number, at, at + len(string)) for number, string in enumerate(self.strings)
            for at in _find_all(string, text)]
    hits.sort(key=lambda hit: (hit[2], hit[1]))  # by end; at one end the longer string first
    return hits


class _SortedKeys:
    """``serving.KeyTable`` as word pairs were looked up before it: ``numpy.searchsorted`` in the
    sorted keys (the leftmost of equal keys)."""

    def __init__(self, keys, values):
        import numpy as np

        order = np.argsort(keys, kind="stable")
        self._keys, self._values = keys[order], values[order]

    def get(self, keys):
        import numpy as np

        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where(self._keys[at] == keys, self._values[at], -1)


def _corpus_jsons(texts: list[str]) -> list[dict]:
    """The JSON of each text's analysis, alone and with the text before it as previous year."""
    import json

    from analyzer import analyze

    return [json.loads(analyze(text, previous=texts[k - 1] if k % 2 else None).to_json())
            for k, text in enumerate(texts)]


def test_every_corpus_reports_json_is_what_the_plain_searches_give(monkeypatch, seed_path):
    """Issue 18's speed-ups (one automaton scan instead of a find loop per string, the slogans found
    by automaton instead of their regex, word pairs in a hash table instead of a sorted array, the
    garbage collector paused) change nothing in any corpus report's result: every authored report
    and the seed, half of them with the report before as previous year (copying)."""
    import contextlib

    from analyzer import pipeline
    from analyzer.mapping import serving
    from analyzer.mapping.model import default_element_model, default_scorer
    from analyzer.text import specificity
    from analyzer.text.automaton import Strings
    from analyzer.training.corpus import load_corpus

    root = Path(__file__).resolve().parents[1] / "corpora"
    reports = load_corpus(root / "src")
    names = [r.id for r in reports] + ["seed"]
    texts = [r.text for r in reports] + [seed_path.read_text(encoding="utf-8")]
    fast = _corpus_jsons(texts)

    monkeypatch.setattr(Strings, "scan", _find_loop_scan)
    monkeypatch.setattr(specificity, "_slogans", lambda: None)  # SLOGAN.sub, the regex itself
    monkeypatch.setattr(serving, "KeyTable", _SortedKeys)
    for model in (default_scorer(), default_element_model()):
        for block in model.blocks:
            monkeypatch.setattr(block, "_pairs", None)  # rebuilt on the sorted keys at the next look-up
    monkeypatch.setattr(pipeline, "collector_paused", contextlib.nullcontext)
    plain = _corpus_jsons(texts)

    assert len(fast) == len(texts) > 100
    changed = [name for name, a, b in zip(names, fast, plain) if a != b]
    assert not changed, f"results differ from the plain searches': {changed}"
