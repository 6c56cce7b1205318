"""Exemplar passages for suggestions: the most specific corpus paragraphs for a section,
element or report part, cited by corpus id. Never a figure for the user's own report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from analyzer import assets
from analyzer.cache import cached
from analyzer.text.specificity import figures, sentence_specificity
from analyzer.text.structure import split_sentences

MAX_CHARS = 320
SHORTLIST_REPORTS, SHORTLIST_PARAGRAPHS = 10, 3  # kept per key: enough for best(n=3) with exclusions


@dataclass(frozen=True)
class Exemplar:
    corpus_id: str
    paragraph: int
    text: str
    specificity: float
    figures: int

    def as_dict(self) -> dict:
        return {"corpus_id": self.corpus_id, "paragraph": self.paragraph, "text": self.text,
                "specificity": round(self.specificity, 2)}


class ExemplarIndex:
    """Corpus paragraphs by section label and by element id, best first. A key's candidates are
    scored the first time it is asked for: one report's suggestions need a few keys, not all."""

    def __init__(self, rows: list[dict]):
        self._rows: dict[str, list[dict]] = {}
        self._ranked: dict[str, list[Exemplar]] = {}
        for row in filter(is_candidate, rows):
            for key in [row["label"], *row.get("elements", [])]:
                self._rows.setdefault(key, []).append(row)

    @classmethod
    def from_ranked(cls, ranked: dict[str, list[dict]]) -> ExemplarIndex:
        """An index from ``shortlists()`` output (as stored in the disk cache)."""
        index = cls([])
        index._ranked = {key: [Exemplar(**item) for item in items] for key, items in ranked.items()}
        return index

    def ranked(self, key: str) -> list[Exemplar]:
        """Every exemplar for ``key``: most specific first, then most figures, then corpus order."""
        if key not in self._ranked:
            items = [_exemplar(row) for row in self._rows.get(key, [])]
            items.sort(key=lambda e: (-e.specificity, -e.figures, e.corpus_id, e.paragraph))
            self._ranked[key] = items
        return self._ranked.get(key, [])

    def shortlists(self) -> dict[str, list[dict]]:
        """Per key, what ``best`` can ever need: the best ``SHORTLIST_PARAGRAPHS`` paragraphs of
        each of the best ``SHORTLIST_REPORTS`` reports (``best`` takes one per report, skipping the
        user's own paragraphs), in rank order."""
        out = {}
        for key in self._rows:
            kept, per_report = [], {}
            for item in self.ranked(key):
                count = per_report.get(item.corpus_id, 0)
                if count < SHORTLIST_PARAGRAPHS and (count or len(per_report) < SHORTLIST_REPORTS):
                    per_report[item.corpus_id] = count + 1
                    kept.append(asdict(item))
            out[key] = kept
        return out

    def _excluded(self, exclude_texts: frozenset[str]) -> set[str]:
        """``exclude_texts`` cut as exemplars are kept; the last set is kept, since a report asks
        with the same set (all its paragraphs) for every suggestion it makes."""
        last = getattr(self, "_last_excluded", None)
        if last is None or last[0] is not exclude_texts:
            last = self._last_excluded = (exclude_texts, {text[:MAX_CHARS] for text in exclude_texts})
        return last[1]

    def best(self, key: str, *, n: int = 3, exclude_texts: frozenset[str] = frozenset()) -> list[Exemplar]:
        """Up to ``n`` exemplars for ``key``, from different reports, none of them one of ``exclude_texts``
        (compared as exemplars are kept: their first ``MAX_CHARS`` characters)."""
        excluded = self._excluded(exclude_texts)
        out, seen = [], set()
        for item in self.ranked(key):
            if item.corpus_id in seen or item.text in excluded:
                continue
            out.append(item)
            seen.add(item.corpus_id)
            if len(out) == n:
                break
        return out


def is_candidate(row: dict) -> bool:
    """Whether a labelled paragraph may be offered as an exemplar: body text of a section or part,
    not a heading, not a formula (套话)."""
    return not (row.get("is_heading") or row.get("boilerplate") or row["label"] in ("META", "OTHER", "INTRO"))


def write_exemplar_file(labels: Path, reports: Path, out: Path) -> int:
    """Write the shipped exemplar passages (``out``, JSON lines) from the corpus label files: the
    candidate paragraphs of the *authored* reports only, with the fields the index reads. Returns
    the number of passages. Run by ``govreport corpus build``."""
    authored = {row["id"] for row in _read_jsonl(reports) if row.get("provenance") == "authored"}
    kept = [{key: row[key] for key in ("id", "para", "text", "label", "elements")}
            for row in _read_jsonl(labels) if row["id"] in authored and is_candidate(row)]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in kept), encoding="utf-8")
    return len(kept)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _exemplar(row: dict) -> Exemplar:
    text = row["text"]
    sentences = [text[s:e] for s, e in split_sentences(text)]
    return Exemplar(row["id"], row["para"], text[:MAX_CHARS], sentence_specificity(sentences), len(figures(text)))


@lru_cache(maxsize=1)
def default_index() -> ExemplarIndex:
    """The index of the shipped exemplar passages (``AssetError`` if missing or damaged); its
    shortlists come from the disk cache when that file was indexed before."""
    return assets.load(assets.EXEMPLARS, _index_file)


def _index_file(path: Path) -> ExemplarIndex:
    raw = path.read_bytes()

    def build() -> dict[str, list[dict]]:
        rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
        return ExemplarIndex(rows).shortlists()

    from analyzer.text import specificity, structure

    code = (__file__, specificity.__file__, structure.__file__)  # ranking and sentence rules
    return ExemplarIndex.from_ranked(cached("exemplars", [raw], build, code=code))
