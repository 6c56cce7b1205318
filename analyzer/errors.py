"""The error taxonomy: every way an input can be refused, each with one clear sentence.

Callers (CLI, batch, app) catch ``InputError`` and show ``str(exc)``; anything else is a bug.
"""

from __future__ import annotations


class InputError(ValueError):
    """Base class: the input cannot be analysed. ``code`` is stable and stored by the batch."""

    code = "input_error"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class TooLarge(InputError):
    code = "too_large"


class EmptyDocument(InputError):
    code = "empty"


class NotChinese(InputError):
    code = "not_chinese"


class CorruptFile(InputError):
    code = "corrupt_file"


class EncryptedDocument(InputError):
    code = "encrypted"


class NoTextLayer(InputError):
    code = "no_text_layer"


class UndecodableText(InputError):
    code = "undecodable_text"


ERROR_KINDS: tuple[type[InputError], ...] = (
    UnsupportedFormat,
    TooLarge,
    EmptyDocument,
    NotChinese,
    CorruptFile,
    EncryptedDocument,
    NoTextLayer,
    UndecodableText,
)
