"""The error taxonomy: each kind has its own stable code and a Chinese explanation for drafters."""

from __future__ import annotations

import re

import pytest

from analyzer.errors import ERROR_KINDS, INTERNAL, OTHER_ADVICE, InputError, advice_for, failure

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_kind_has_its_own_code_and_advice():
    codes = [kind.code for kind in ERROR_KINDS]
    advice = [kind.advice for kind in ERROR_KINDS]
    assert len(set(codes)) == len(codes) == 9
    assert len(set(advice)) == len(advice)
    assert InputError.advice not in advice  # no kind falls back to the generic sentence


@pytest.mark.parametrize("kind", ERROR_KINDS, ids=lambda kind: kind.code)
def test_advice_is_chinese_and_ends_a_sentence(kind):
    assert len(CHINESE.findall(kind.advice)) >= 8 and kind.advice.endswith("。")
    assert advice_for(kind.code) == kind.advice == kind("detail").advice


def test_codes_the_batch_stores_besides_input_errors():
    assert advice_for(INTERNAL) == OTHER_ADVICE[INTERNAL] and "不是文件的问题" in advice_for(INTERNAL)
    assert "内存" in advice_for("worker_crashed")
    assert advice_for("framework") == OTHER_ADVICE["framework"]
    assert advice_for(None) == advice_for("no such code") == InputError.advice


def test_what_to_do_is_named_for_the_common_failures():
    assert ".docx" in advice_for("unsupported_format")
    assert "OCR" in advice_for("no_text_layer")
    assert "UTF-8" in advice_for("undecodable_text")


def test_every_error_a_user_sees_shares_one_base_with_a_code_and_chinese_advice():
    import re

    import analyzer.assets
    import analyzer.batch.run
    import analyzer.batch.store
    import analyzer.frameworks
    import analyzer.outputs.atomic
    import analyzer.training.corpus
    import analyzer.training.evaluate_copying
    from analyzer.errors import ERROR_KINDS, GovreportError

    kinds = [analyzer.frameworks.FrameworkError, analyzer.batch.store.StoreError, analyzer.outputs.atomic.OutputError,
             analyzer.training.corpus.SourceError, analyzer.assets.AssetError, analyzer.batch.run.BatchError,
             analyzer.training.evaluate_copying.LabelError, *ERROR_KINDS]
    assert all(issubclass(kind, GovreportError) for kind in kinds)
    codes = [kind.code for kind in kinds]
    assert len(set(codes)) == len(codes)
    assert all(re.search(r"[\u4e00-\u9fff]", kind.advice) for kind in kinds)


def test_one_classification_of_a_failed_file_for_the_batch_and_the_app():
    """An error of ours keeps its code and sentence, and its code has its class's Chinese advice; anything
    else is a bug, with its message only where the administrator reads it."""
    from analyzer.checks.rules import RuleError
    from analyzer.errors import NotChinese
    from analyzer.frameworks import FrameworkError

    assert failure(NotChinese("no Chinese text")) == ("not_chinese", "no Chinese text")
    assert failure(FrameworkError("bad outline")) == ("framework", "bad outline")
    assert failure(RuleError("no such rule"))[0] == "rule" and advice_for("rule") == RuleError.advice
    assert failure(KeyError("secret path")) == (INTERNAL, "the analysis failed on this file (KeyError: 'secret path')")
    code, detail = failure(KeyError("secret path"), internals=False)
    assert code == INTERNAL and "secret" not in detail and "KeyError" in detail


def test_a_stored_framework_error_reads_as_the_error_itself():
    """The batch stores only the code: the page that shows it later must say what the error said."""
    from analyzer.errors import advice_for
    from analyzer.frameworks import FrameworkError

    assert advice_for(FrameworkError.code) == FrameworkError.advice
