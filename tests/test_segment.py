"""Segmentation: one dictionary, loaded once; both backends agree; offsets cover the text."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from analyzer.text.segment import BACKENDS, cut_words, get_segmenter, read_userdict

DOMAIN_TERMS = ["放管服", "权责清单", "双随机一公开", "一门式一网式", "规范性文件"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_terms_stay_one_token(backend, term):
    words = get_segmenter(backend).cut(f"我局大力推进{term}工作,取得进展。")
    assert term in words


@pytest.mark.parametrize("backend", BACKENDS)
def test_offsets_cover_the_text_exactly(backend, seed_paragraphs):
    text = "\n".join(seed_paragraphs)
    tokens = get_segmenter(backend).tokenize(text)
    assert "".join(w for w, _, _ in tokens) == text
    assert all(text[s:e] == w for w, s, e in tokens)


def test_segmenter_is_built_once_per_backend():
    assert get_segmenter("jieba") is get_segmenter("jieba")


def test_userdict_is_a_plain_file_with_the_domain_terms():
    words = {w.word for w in read_userdict()}
    assert set(DOMAIN_TERMS) <= words


def test_tokenizer_function_pickles_by_reference():
    restored = pickle.loads(pickle.dumps(cut_words))
    assert restored("权责清单") == ["权责清单"]


def test_userdict_loaded_in_a_fresh_process():
    code = "from analyzer.text.segment import get_segmenter; print('|'.join(get_segmenter('rjieba').cut('双随机一公开')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "双随机一公开"


@pytest.mark.parametrize("backend", BACKENDS)
def test_dictionary_words_are_told_from_guessed_tokens(backend):
    segmenter = get_segmenter(backend)
    assert segmenter.is_word("依法") and segmenter.is_word("政府")
    assert segmenter.is_word("合法性审查")  # from the domain dictionary
    assert not segmenter.is_word("顾向")  # the HMM may make it a token; it is no word
    assert "顾向" in segmenter.cut("聘请法律顾向")


def test_small_lookups_use_a_segmenter_already_built(monkeypatch):
    """A jieba-backend run checking a typo must not load rjieba's dictionary as well."""
    from analyzer.text import segment

    jieba_only = {"jieba": get_segmenter("jieba")}
    monkeypatch.setattr(segment, "_segmenters", jieba_only)
    assert segment.any_segmenter() is jieba_only["jieba"]
    assert list(segment._segmenters) == ["jieba"]
