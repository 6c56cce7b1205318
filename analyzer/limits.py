"""Resource limits for untrusted input, in one place.

Every limit has a default and can be overridden by an environment variable
(``GOVREPORT_MAX_BYTES`` …) or by passing a ``Limits`` to ``analyze``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * _MB  # size of the file as uploaded
    max_unpacked_bytes: int = 100 * _MB  # total inflated size of a .docx's parts
    max_pages: int = 500  # PDF pages read
    max_chars: int = 2_000_000  # characters of extracted text
    max_paragraphs: int = 20_000
    max_paragraph_chars: int = 50_000  # a longer paragraph is split at sentence ends

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ``GOVREPORT_<FIELD>`` environment variables."""
        overrides = {}
        for f in fields(cls):
            value = os.environ.get(f"GOVREPORT_{f.name.upper()}")
            if value:
                overrides[f.name] = int(value)
        return cls(**overrides)


DEFAULT_LIMITS = Limits()
