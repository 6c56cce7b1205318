"""The error taxonomy: every error a user can see derives from ``GovreportError``, with a stable
``code`` and Chinese ``advice`` (what it means, what to do).

Input errors (every way an input can be refused, each with one clear sentence) derive from
``InputError``: callers (CLI, batch, app) catch it and show ``advice`` first, the specific sentence as
the detail. The others say what else can go wrong: a framework file, a corpus source file, the
batch store, an output file, an incomplete installation.
"""

from __future__ import annotations


class GovreportError(Exception):
    """Base of every error govreport reports to a user. ``code`` is stable (stored by the batch)."""

    code = "govreport"
    advice = "govreport 无法完成这项操作。"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _CLASS_ADVICE.setdefault(cls.code, cls.advice)  # advice_for(code) knows every error class's code


_CLASS_ADVICE: dict[str, str] = {}


class InputError(GovreportError, ValueError):
    """Base class: the input cannot be analysed. ``code`` is stable and stored by the batch."""

    code = "input_error"
    advice = "文件无法分析。"


class UnsupportedFormat(InputError):
    code = "unsupported_format"
    advice = "不支持这种文件格式。请上传 .docx、.pdf、.txt 或 .html 文件(旧版 .doc 请先另存为 .docx)。"


class TooLarge(InputError):
    code = "too_large"
    advice = "文件超出大小或篇幅上限。请拆分后再上传，或请管理员调整 GOVREPORT_ 开头的上限设置。"


class Timeout(InputError):
    code = "timeout"
    advice = "文件读取超出了时间上限，已停止处理(文件可能经过特殊构造，或结构异常复杂)。请从原文件重新导出后上传，或请管理员调整 GOVREPORT_MAX_SECONDS。"


class EmptyDocument(InputError):
    code = "empty"
    advice = "文件里没有可分析的文字。请确认上传的是报告正文。"


class NotChinese(InputError):
    code = "not_chinese"
    advice = "文件中的中文文字太少，无法作为中文报告分析。请确认文件内容和编码。"


class CorruptFile(InputError):
    code = "corrupt_file"
    advice = "文件已损坏，或与其扩展名不符，无法打开。请从原文件重新导出后上传。"


class EncryptedDocument(InputError):
    code = "encrypted"
    advice = "文件设置了密码或加密。请取消密码保护后再上传。"


class NoTextLayer(InputError):
    code = "no_text_layer"
    advice = "PDF 中没有文字层(可能是扫描件或图片)。请上传可复制文字的 PDF 或原始 Word 文件，或先做文字识别(OCR)。"


class UndecodableText(InputError):
    code = "undecodable_text"
    advice = "无法识别文本文件的字符编码。请另存为 UTF-8 编码后上传。"


ERROR_KINDS: tuple[type[InputError], ...] = (
    UnsupportedFormat,
    TooLarge,
    Timeout,
    EmptyDocument,
    NotChinese,
    CorruptFile,
    EncryptedDocument,
    NoTextLayer,
    UndecodableText,
)


INTERNAL = "internal_error"  # the code of a bug met on one file: not the file's fault

# ``frameworks.FrameworkError``'s advice, here so that a stored code reads the same wherever it is shown.
FRAMEWORK_ADVICE = "对照框架文件缺失或格式有误。请换用其他框架，或请管理员按提示修正框架文件。"

# Codes the batch stores besides the input errors'.
OTHER_ADVICE = {
    "framework": FRAMEWORK_ADVICE,
    INTERNAL: "分析程序内部出错(不是文件的问题)。请把文件交给维护人员复查。",
    "worker_crashed": "分析这份文件的进程意外退出(可能内存不足或被终止)，文件已跳过。请单独重新分析这份文件，或交给维护人员复查。",
    # Entries a batch skips while listing its inputs: only regular files are read.
    "not_regular_file": "这不是普通文件(而是管道、设备等)，没有读取。请只提交报告文件。",
    "broken_link": "这是一个指向不存在位置的快捷链接(符号链接)，没有读取。请提交报告文件本身。",
    "link_loop": "这个快捷链接(符号链接)循环指向自身，没有读取。请提交报告文件本身。",
    "link_outside": "这个快捷链接(符号链接)指向输入文件夹之外，为安全起见没有读取。确需读取时请加 --follow-links。",
    "unreadable_folder": "这个文件夹无法打开(可能没有读取权限)，其中的文件没有读取。请检查文件夹权限。",
    "unreadable": "文件无法读取(可能没有读取权限)。请检查文件权限。",
}


def failure(exc: BaseException, *, internals: bool = True) -> tuple[str, str]:
    """How a file that could not be analysed is recorded, by the batch and the app alike: (stable
    code, detail). An error of ours keeps its code and sentence; anything else is a bug (``INTERNAL``),
    detailed with its type and, with ``internals``, its message (for the batch's administrator; a web
    page shows only the type). ``advice_for(code)`` is what it means, in Chinese."""
    if isinstance(exc, GovreportError):
        return exc.code, str(exc)
    if not internals:
        return INTERNAL, f"内部错误:{type(exc).__name__}"
    return INTERNAL, f"the analysis failed on this file ({type(exc).__name__}: {exc})"


def advice_for(code: str | None) -> str:
    """The Chinese explanation for an error code stored by the batch or raised by any error class
    (``failure``)."""
    for kind in ERROR_KINDS:
        if kind.code == code:
            return kind.advice
    return OTHER_ADVICE.get(code or "") or _CLASS_ADVICE.get(code or "", InputError.advice)
