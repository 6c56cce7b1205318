"""Ingestion: any supported file (or pasted text) → clean paragraphs of simplified Chinese.

``ingest_guarded`` is the one entry point for untrusted files: it reads them within the per-document
time and memory budget (``budget``); ``read`` holds the readers it runs, ``ingest_text`` wraps text
already in memory.
"""

from __future__ import annotations

from analyzer.ingest.budget import ingest_guarded
from analyzer.ingest.read import SUPPORTED_SUFFIXES, Document, ingest_bytes, ingest_file, ingest_text

__all__ = ["SUPPORTED_SUFFIXES", "Document", "ingest_bytes", "ingest_file", "ingest_guarded", "ingest_text"]
