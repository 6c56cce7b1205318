"""The bundled texts: the real sample report, and the labelled corpus reassembled per report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SAMPLE_REPORT = CORPORA / "real" / "000_1c9e8bbbf8b24faa.txt"


@dataclass(frozen=True)
class CorpusReport:
    id: str
    issuer: str
    year: int | None
    text: str  # one paragraph per line

    @property
    def label(self) -> str:
        return f"{self.issuer} {self.year or '—'} ({self.id})"


def corpus_reports(corpora: Path = CORPORA) -> list[CorpusReport]:
    """Each report of ``labels.jsonl`` as text, with issuer and year from ``reports.jsonl``, by issuer and year."""
    paragraphs: dict[str, list[tuple[int, str]]] = {}
    for row in _read_jsonl(corpora / "labels.jsonl"):
        paragraphs.setdefault(row["id"], []).append((row["para"], row["text"]))
    meta = {row["id"]: row for row in _read_jsonl(corpora / "reports.jsonl")}
    reports = [
        CorpusReport(
            id=report_id,
            issuer=meta.get(report_id, {}).get("issuer") or report_id,
            year=meta.get(report_id, {}).get("year"),
            text="\n".join(text for _, text in sorted(rows)),
        )
        for report_id, rows in paragraphs.items()
    ]
    return sorted(reports, key=lambda r: (r.issuer, r.year or 0, r.id))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
