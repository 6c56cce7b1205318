"""Resource limits for untrusted input, in one place.

Every input is treated as hostile: these bounds keep one upload from taking the machine's memory or
time. Each has a default (documented in docs/LIMITS.md) and can be overridden by an environment
variable ``GOVREPORT_<FIELD>`` (``GOVREPORT_MAX_BYTES=52428800``) or by passing a ``Limits`` to
``analyze``. An input over a limit is refused with ``TooLarge`` before the expensive step it guards; a parse
over its time budget ends in ``Timeout``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, fields

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Size of the file as uploaded. Checked first (on disk: before reading it).
    max_bytes: int = 20 * _MB
    # Total inflated size of a .docx's parts (as its zip directory declares them, checked before
    # inflating anything) and of a PDF's decompressed streams (counted while inflating, stopped at the limit).
    max_unpacked_bytes: int = 100 * _MB
    # PDF pages read.
    max_pages: int = 500
    # Bytes of PDF page content (drawing instructions) and predictor-coded data, which pdfminer reads
    # in pure Python at about 100 KB a second: this bounds the time one PDF can take. A 500-page
    # text report holds about 3 MB.
    max_pdf_content_bytes: int = 8 * _MB
    # Characters of extracted text: 500,000 is 250 dense pages, twenty times the longest real report.
    max_chars: int = 500_000
    # Paragraphs after extraction.
    max_paragraphs: int = 20_000
    # A longer paragraph is split at sentence ends (hard, if it has none): not an error.
    max_paragraph_chars: int = 10_000
    # How deep an HTML page may nest its tags; parsers slow down with the square of the depth.
    max_nesting: int = 4_000
    # Elements in a .docx's main part (document.xml), counted while it streams in, before python-docx
    # builds its tree: a long report has tens of thousands (python-docx reads about 100,000 a
    # second, so this bounds its time to about 5 s); empty runs by the million are a bomb.
    max_xml_elements: int = 500_000
    # The budget of one document's parse (.docx, .pdf, .html), enforced on a worker process: wall
    # seconds, and bytes of memory the worker may add to what it started with (``ingest_guarded``).
    # 0 turns that bound off.
    max_seconds: int = 10
    max_memory_bytes: int = 1024 * _MB

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ``GOVREPORT_<FIELD>`` environment variables (whole numbers)."""
        overrides = {}
        for f in fields(cls):
            name = f"GOVREPORT_{f.name.upper()}"
            value = os.environ.get(name)
            if value:
                try:
                    overrides[f.name] = int(value)
                except ValueError:  # a typo in the environment must not stop every analysis
                    logging.getLogger(__name__).warning("ignoring %s=%r: not a whole number", name, value)
        return cls(**overrides)


DEFAULT_LIMITS = Limits()
