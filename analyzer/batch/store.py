"""The batch store: one DuckDB file that researchers can query with plain SQL.

Schema (``SCHEMA_VERSION`` 2; every column also carries a ``COMMENT`` readable from
``duckdb_columns()``; ``python -m analyzer.batch.store`` prints this as Markdown):

- ``reports``: one row per distinct file content, keyed by ``sha256`` of the file's bytes; the
  metadata found in the report, the framework it was read with and its metrics.
- ``sections``, ``elements``, ``findings``, ``paragraphs``: one row per section, framework element,
  finding and paragraph of a stored report (``sha256`` joins them to ``reports``).
- ``errors``: one row per input path that could not be analysed, with the reason (the same code and
  sentence the single-file CLI prints). A later success for the same path removes it.
- ``runs`` / ``run_files``: what each ``govreport batch`` saw and did with each input path.
- ``copied_passages``: the sentences each report repeats from the same issuer's previous-year report.
- ``templates``: sentences shared by reports of at least three different issuers, one row per use.

Schema 1 stores are migrated on opening for writing (``MIGRATIONS``): the new columns and tables are
added, and year-over-year shares (then counted in characters) are cleared until the next batch or
``govreport templates --db … --rebuild`` recomputes them in sentences.

Writes are transactional: a file's rows (and its ``run_files`` row) are committed together, never in
part, so a batch killed at any moment leaves a readable store and a rerun stores each report once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from analyzer.errors import GovreportError
from analyzer.issuers import issuer_level

SCHEMA_VERSION = 3  # 2: copying in sentences, templates; outline, rule, layout and the S1..S7 scale; 3: sentences
# DuckDB caches table blocks up to its memory limit (80% of RAM by default): a store growing to
# gigabytes would take the client's memory with it. A fixed cap keeps a long batch flat: with 64 MB
# the client's peak grows 11% from 1,000 to 10,000 reports, with 256 MB 49% (benchmarks/README.md).
MEMORY_LIMIT = os.environ.get("GOVREPORT_STORE_MEMORY", "64MB")

# (column, type, meaning). The first column of every per-report table is the report's sha256.
TABLES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "reports": ("one row per distinct file content", [
        ("sha256", "VARCHAR PRIMARY KEY", "SHA-256 of the file's bytes: the report's identity"),
        ("path", "VARCHAR", "where it was read: absolute path, or archive.zip::member"),
        ("name", "VARCHAR", "file name"),
        ("format", "VARCHAR", "txt, docx, pdf or html"),
        ("title", "VARCHAR", "title found in the report"),
        ("issuer", "VARCHAR", "发文单位 found in the report"),
        ("recipient", "VARCHAR", "主送机关"),
        ("report_date", "VARCHAR", "成文日期, ISO"),
        ("year", "INTEGER", "the year the report covers"),
        ("level", "VARCHAR", "province/city/county/township/department/ministry, guessed from the issuer name"),
        ("doc_numbers", "VARCHAR", "文号, separated by '; '"),
        ("framework", "VARCHAR", "framework id the report was read with"),
        ("framework_reason", "VARCHAR", "why that framework"),
        ("chars", "INTEGER", "characters of text"),
        ("body_chars", "INTEGER", "characters of body text (no headings, no title or signature lines)"),
        ("paragraphs", "INTEGER", "paragraphs"),
        ("sections_total", "INTEGER", "sections in the framework"),
        ("sections_covered", "INTEGER", "sections with enough text"),
        ("sections_thin", "INTEGER", "sections present but thin"),
        ("sections_missing", "INTEGER", "sections with no text"),
        ("elements_total", "INTEGER", "framework elements checked"),
        ("elements_found", "INTEGER", "framework elements evidenced"),
        ("boilerplate_ratio", "DOUBLE", "share of body characters in formulaic sentences (套话)"),
        ("figures_per_1000", "DOUBLE", "figures per 1,000 body characters"),
        ("specific_sentence_share", "DOUBLE", "share of body sentences that state a concrete fact"),
        ("copied_share", "DOUBLE", "share of body sentences copied from an earlier report given to the analysis "
                                   "(NULL if none)"),
        ("yoy_previous", "VARCHAR", "sha256 of the same issuer's nearest earlier-year report in this store"),
        ("yoy_copied_share", "DOUBLE", "share of this report's body sentences repeated from that report "
                                       "(verbatim, figures changed or near)"),
        ("findings_high", "INTEGER", "findings of high severity"),
        ("findings_medium", "INTEGER", "findings of medium severity"),
        ("findings_low", "INTEGER", "findings of low severity"),
        ("text_sha256", "VARCHAR", "SHA-256 of the extracted text (same text in another format shares it)"),
        ("version", "VARCHAR", "govreport version that analysed it"),
        ("analysed_at", "TIMESTAMP", "when"),
        ("seconds", "DOUBLE", "analysis time"),
        # added in schema 2 (kept last: a migrated table has them at the end)
        ("copied_chars_share", "DOUBLE", "share of body characters copied from the earlier report given to the analysis"),
        ("yoy_copied_chars_share", "DOUBLE", "share of body characters in sentences repeated from yoy_previous"),
        ("yoy_copied_sentences", "INTEGER", "body sentences repeated from yoy_previous"),
        ("outline", "VARCHAR", "the outline the substance was checked against (by the report year): fzzf-2015, fzzf-2021…"),
        ("rule", "VARCHAR", "the report-content rule whose required parts applied (duc-2019 from 2019 on), or NULL"),
        ("layout", "VARCHAR", "how the report is organised: seven-sections, outline-2021, duc-2019, topical, headingless"),
        ("parts_missing", "INTEGER", "required report parts missing"),
        ("total_scale_sections", "INTEGER", "sections of the common S1..S7 scale (7)"),
        ("covered_scale_sections", "INTEGER", "S1..S7 sections covered (a 2021 report's parts counted on the scale): "
         "coverage comparable across outlines"),
    ]),
    "sections": ("one row per outline section of a report", [
        ("sha256", "VARCHAR", "report"),
        ("section_id", "VARCHAR", "section id in the framework (S1…, P1…)"),
        ("name", "VARCHAR", "section name"),
        ("status", "VARCHAR", "covered, thin or missing"),
        ("share", "DOUBLE", "share of the report's body characters"),
        ("chars", "INTEGER", "body characters"),
        ("paragraphs", "INTEGER", "paragraphs assigned to it"),
        ("specificity", "DOUBLE", "share of its sentences stating a concrete fact"),
        ("boilerplate_ratio", "DOUBLE", "share of its characters in formulaic sentences"),
        ("outline", "VARCHAR", "the outline the section belongs to"),
        ("scale", "VARCHAR", "its place on the common S1..S7 scale (NULL for 2021 additions: P6, P9)"),
    ]),
    "elements": ("one row per framework element checked in a report", [
        ("sha256", "VARCHAR", "report"),
        ("section_id", "VARCHAR", "section the element belongs to"),
        ("element_id", "VARCHAR", "element id (A1.1…, B2.1…)"),
        ("name", "VARCHAR", "element name"),
        ("found", "BOOLEAN", "evidenced in the report"),
        ("evidence", "VARCHAR", "the first sentence that evidences it"),
    ]),
    "findings": ("one row per finding, most severe first", [
        ("sha256", "VARCHAR", "report"),
        ("seq", "INTEGER", "order within the report (0 = most severe)"),
        ("kind", "VARCHAR", "missing_section, thin_section, missing_element, boilerplate, copied, …"),
        ("severity", "VARCHAR", "high, medium or low"),
        ("section", "VARCHAR", "section id, if any"),
        ("location", "VARCHAR", "'whole report' or paragraph indexes separated by commas"),
        ("message", "VARCHAR", "the finding in words"),
        ("rule", "VARCHAR", "the rule that produced it"),
        ("evidence", "VARCHAR", "quoted evidence, JSON list"),
        ("suggestion", "VARCHAR", "suggested fix, if any"),
    ]),
    "paragraphs": ("one row per paragraph (the text, for term and copy comparisons)", [
        ("sha256", "VARCHAR", "report"),
        ("idx", "INTEGER", "paragraph index"),
        ("section", "VARCHAR", "outline section id or INTRO/PROBLEMS/NEXT/META/OTHER"),
        ("topic", "VARCHAR", "unused since schema 2 (NULL): see section and scale"),
        ("is_heading", "BOOLEAN", "a heading line"),
        ("specificity", "DOUBLE", "share of its sentences stating a concrete fact"),
        ("boilerplate_chars", "INTEGER", "characters in formulaic sentences"),
        ("text", "VARCHAR", "the paragraph"),
        ("part", "VARCHAR", "the report part it belongs to (R1, PROBLEMS, R3, NEXT…), or NULL"),
        ("scale", "VARCHAR", "its section on the common S1..S7 scale (P6, P9 keep their id), or NULL"),
    ]),
    "errors": ("one row per input path that could not be analysed", [
        ("path", "VARCHAR PRIMARY KEY", "input path, or archive.zip::member"),
        ("name", "VARCHAR", "file name"),
        ("sha256", "VARCHAR", "SHA-256 of the bytes, if they could be read"),
        ("code", "VARCHAR", "stable error code: empty, encrypted, corrupt_file, missing_file, worker_crashed, …"),
        ("message", "VARCHAR", "the reason in one sentence"),
        ("failed_at", "TIMESTAMP", "when"),
    ]),
    "runs": ("one row per batch run", [
        ("run_id", "INTEGER PRIMARY KEY", "run number"),
        ("started_at", "TIMESTAMP", "start"),
        ("finished_at", "TIMESTAMP", "end (NULL if the run was interrupted)"),
        ("command", "VARCHAR", "what was run"),
    ]),
    "run_files": ("one row per input path of a run", [
        ("run_id", "INTEGER", "run"),
        ("path", "VARCHAR", "input path"),
        ("sha256", "VARCHAR", "content hash (NULL if unreadable)"),
        ("outcome", "VARCHAR", "analysed, stored (skipped: already in the store), duplicate or failed"),
    ]),
    "copied_passages": ("one row per body sentence a report repeats from the same issuer's previous-year report", [
        ("sha256", "VARCHAR", "the later report"),
        ("previous_sha256", "VARCHAR", "the earlier report (reports.yoy_previous)"),
        ("seq", "INTEGER", "order within the report"),
        ("paragraph", "INTEGER", "paragraph index of the sentence in the later report"),
        ("span_start", "INTEGER", "start of the sentence in that paragraph"),
        ("span_end", "INTEGER", "end of the sentence in that paragraph"),
        ("kind", "VARCHAR", "verbatim, figures_changed (only figures, years, dates or 文号 differ) or near"),
        ("similarity", "DOUBLE", "3-gram Jaccard of the normalised sentences"),
        ("later", "VARCHAR", "the sentence in the later report"),
        ("earlier", "VARCHAR", "the sentence it repeats"),
        ("changed", "VARCHAR", "JSON list of [start, end] spans of the later sentence that differ"),
    ]),
    "sentences": ("one row per body sentence of 12+ characters, normalised as the template step compares them", [
        ("sha256", "VARCHAR", "report"),
        ("paragraph", "INTEGER", "paragraph index"),
        ("span_start", "INTEGER", "start of the sentence in the paragraph"),
        ("span_end", "INTEGER", "end of the sentence in the paragraph"),
        ("key", "VARCHAR", "the sentence normalised: figures, years, dates, 文号 and the issuer's own name as tokens"),
        ("key_hash", "BIGINT", "64-bit hash of the key (BLAKE2b): the key's identity and order in the template step"),
    ]),
    "templates": ("one row per use of a template: a sentence found in reports of at least three issuers", [
        ("template_id", "VARCHAR", "the template (hash of its normalised wording)"),
        ("template_text", "VARCHAR", "its most common wording"),
        ("issuers", "INTEGER", "distinct issuers that use it"),
        ("reports", "INTEGER", "reports that use it"),
        ("sha256", "VARCHAR", "the report using it here"),
        ("issuer", "VARCHAR", "that report's issuer"),
        ("year", "INTEGER", "that report's year"),
        ("paragraph", "INTEGER", "paragraph index in that report"),
        ("span_start", "INTEGER", "start of the sentence in the paragraph"),
        ("span_end", "INTEGER", "end of the sentence in the paragraph"),
        ("text", "VARCHAR", "the sentence as that report prints it"),
    ]),
}
PRIMARY_KEYS = {
    "sections": ("sha256", "section_id"),
    "elements": ("sha256", "section_id", "element_id"),
    "findings": ("sha256", "seq"),
    "paragraphs": ("sha256", "idx"),
    "run_files": ("run_id", "path"),
    "copied_passages": ("sha256", "seq"),
}
# ``templates`` has no key: its rows are unique by construction, and the key's index cost half of
# writing them (a 10,000-report store: 808,521 rows, 4.8 s with the index, 2.3 s without) and memory
# under the store's cap; a store made before keeps its key until its templates are next replaced.
# schema version → what brings a store of that version to the next one
MIGRATIONS = {
    1: {"columns": {"reports": ["copied_chars_share", "yoy_copied_chars_share", "yoy_copied_sentences", "outline", "rule",
                                "layout", "parts_missing", "total_scale_sections", "covered_scale_sections"],
                    "sections": ["outline", "scale"], "paragraphs": ["part", "scale"]},
        "tables": ["copied_passages", "templates"],
        "sql": ["UPDATE reports SET yoy_copied_share = NULL, yoy_previous = NULL"]},
    # the reports stored before get their sentences from the next template step (``missing_sentences``)
    2: {"columns": {}, "tables": ["sentences"], "sql": []},
}
REPORT_TABLES = ("reports", "sections", "elements", "findings", "paragraphs", "sentences")
# the paragraphs the cross-report comparisons read: the body, without headings and title/signature lines
# A report's paragraphs lie together in the file (one report's rows are inserted at once): a chunk's
# reports are first bounded by their row numbers, so that the text query reads only the blocks they
# lie in; without the bound every chunk scanned the whole table (a 10,000-report store: 65 ms a chunk).
_ROW_BOUNDS = "SELECT min(rowid), max(rowid) FROM paragraphs WHERE sha256 IN (SELECT unnest(?))"
_BODY_TEXTS = ("SELECT sha256, idx, text FROM paragraphs WHERE rowid BETWEEN ? AND ? AND sha256 IN (SELECT unnest(?)) "
               "AND NOT is_heading AND section <> 'META' ORDER BY sha256, idx")
# The orders ``report_texts`` can read the reports in: by issuer, or as stored (each chunk's reports
# then lie together, so its texts are read from a few blocks: for readers that do not need an order).
_REPORT_ORDERS = {
    "issuer": "ORDER BY r.issuer, r.year, r.sha256",
    "stored": "ORDER BY f.first_row NULLS LAST, r.sha256",
}
_CHUNK_REPORTS = 200  # reports whose paragraphs one query reads (a few MB of text at most)
_INSERT_ROWS = 20_000  # rows per insert (and commit) when a table is rewritten from a stream (templates)
_STAGING = "templates_next"  # where new templates are written before they replace the table


def columns(table: str) -> list[str]:
    return [name for name, _, _ in TABLES[table][1]]


class StoreError(GovreportError, RuntimeError):
    """The store cannot be opened or used (locked by another process, wrong schema, unreadable)."""

    code = "store"
    advice = "结果库无法打开或使用(可能正被另一批次占用，或版本不符)。请等其他批次结束，或换一个结果库文件。"


@dataclass
class FileResult:
    """What happened to one input: its rows for the store, or why it failed.

    ``outcome``: analysed (``rows`` set), stored (already in the store), duplicate (same content as an
    earlier file of this run) or failed (``error`` = (code, sentence)).
    """

    path: str
    name: str
    outcome: str
    sha256: str | None = None
    rows: dict[str, list[tuple]] | None = None
    error: tuple[str, str] | None = None
    seconds: float = 0.0
    label: str = field(default="", compare=False)  # issuer and year, for progress lines


def report_record(analysis, *, sha256: str, path: str, name: str, seconds: float = 0.0) -> dict:
    """The ``reports`` row of one analysed report, as a dict keyed by column."""
    stats, meta = analysis.stats, analysis.metadata
    elements = [e for s in analysis.sections for e in s.elements]
    status = [s.status for s in analysis.sections]
    severities = [f.severity for f in analysis.findings]
    body = analysis.body()
    return {
        "sha256": sha256, "path": path, "name": name, "format": analysis.source.format,
        "title": meta.title, "issuer": meta.issuer, "recipient": meta.recipient, "report_date": meta.date,
        "year": meta.year, "level": issuer_level(meta.issuer), "doc_numbers": "; ".join(meta.doc_numbers) or None,
        "framework": analysis.framework, "framework_reason": analysis.framework_reason,
        "chars": analysis.source.chars, "body_chars": stats.get("chars", sum(len(p.text) for p in body)),
        "paragraphs": len(analysis.paragraphs),
        "sections_total": stats.get("sections_total", len(status)),
        "sections_covered": stats.get("sections_covered", status.count("covered")),
        "sections_thin": status.count("thin"), "sections_missing": status.count("missing"),
        "elements_total": stats.get("elements_total", len(elements)),
        "elements_found": stats.get("elements_found", sum(e.found for e in elements)),
        "boilerplate_ratio": stats.get("boilerplate_ratio"), "figures_per_1000": stats.get("figures_per_1000"),
        "specific_sentence_share": stats.get("specific_sentence_share"), "copied_share": stats.get("copied_share"),
        "copied_chars_share": stats.get("copied_chars_share"),
        "yoy_copied_chars_share": None, "yoy_copied_sentences": None,
        "yoy_previous": None, "yoy_copied_share": None,
        "findings_high": severities.count("high"), "findings_medium": severities.count("medium"),
        "findings_low": severities.count("low"), "text_sha256": analysis.source.sha256,
        "version": analysis.version, "analysed_at": datetime.now().replace(microsecond=0), "seconds": round(seconds, 4),
        "outline": analysis.outline.id if analysis.outline else analysis.framework,
        "rule": analysis.rule.id if analysis.rule else None,
        "layout": analysis.layout.id if analysis.layout else None,
        "parts_missing": sum(p.required and p.status == "missing" for p in analysis.parts),
        **scale_coverage(analysis.sections),
    }


def scale_coverage(sections) -> dict[str, int]:
    """Coverage on the common S1..S7 scale: a scale section is covered when a section of the
    report's outline that maps onto it is (P1 or P10 for S7), so that coverage compares across outlines."""
    from analyzer.frameworks import scale_outline

    total = scale_outline().section_ids
    covered = {s.scale for s in sections if s.scale and s.status == "covered"}
    return {"total_scale_sections": len(total), "covered_scale_sections": len(covered & set(total))}


def rows_from_analysis(analysis, *, sha256: str, path: str, name: str, seconds: float = 0.0) -> dict[str, list[tuple]]:
    """The store rows of one analysed report, in ``TABLES`` column order (built in the worker)."""
    report = report_record(analysis, sha256=sha256, path=path, name=name, seconds=seconds)
    elements = [(s.id, e) for s in analysis.sections for e in s.elements]
    rows = {
        "reports": [tuple(report[c] for c in columns("reports"))],
        "sections": [
            (sha256, s.id, s.name, s.status, s.share, s.chars, len(s.paragraphs), s.specificity, s.boilerplate_ratio,
             analysis.framework, s.scale)
            for s in analysis.sections
        ],
        "elements": [
            (sha256, section_id, e.id, e.name, e.found, _first_evidence(e.evidence))
            for section_id, e in _unique_elements(elements)
        ],
        "findings": [
            (sha256, i, f.kind, f.severity, f.section, _location(f.location), f.message, f.rule,
             json.dumps(f.evidence, ensure_ascii=False), (f.suggestion or {}).get("text"))
            for i, f in enumerate(analysis.findings)
        ],
        "paragraphs": [
            (sha256, p.index, p.section, p.topic, p.is_heading, p.specificity,
             sum(e - s for s, e in p.boilerplate), p.text, p.part, p.scale)
            for p in analysis.paragraphs
        ],
    }
    try:
        rows["sentences"] = sentence_rows(body_record(rows))
    except Exception:  # never lose a report for them: the template step keys it from the store instead
        pass
    return rows


def sentence_rows(record: dict) -> list[tuple]:
    """The ``sentences`` rows of a report's body record (``body_record``): every sentence long enough to
    be a template's, keyed as the template step compares them. Kept in the store, so that the step
    never normalises a stored report again and holds nothing per sentence in memory."""
    from analyzer.checks.copying import name_variants, sentence_keys
    from analyzer.compare.templates import MIN_CHARS, key_hash

    indexes = record["indexes"]
    return [(record["sha256"], indexes[paragraph], start, end, key, key_hash(key)) for paragraph, start, end, key
            in sentence_keys(record["paragraphs"], names=name_variants(record["issuer"]), min_chars=MIN_CHARS)]


def body_record(rows: dict[str, list[tuple]]) -> dict:
    """The record ``Store.report_texts`` reads back for a report, from the rows written for it
    (``rows_from_analysis``): a batch hands it to the template step as it stores the report."""
    report = dict(zip(columns("reports"), rows["reports"][0]))
    names = columns("paragraphs")
    index, text, heading, section = (names.index(c) for c in ("idx", "text", "is_heading", "section"))
    body = sorted((row[index], row[text]) for row in rows["paragraphs"] if not row[heading] and row[section] != "META")
    return {**{c: report[c] for c in ("sha256", "issuer", "year", "level", "path")},
            "paragraphs": [t for _, t in body], "indexes": [i for i, _ in body]}


def _unique_elements(elements):
    seen = set()
    for section_id, e in elements:
        if (section_id, e.id) not in seen:
            seen.add((section_id, e.id))
            yield section_id, e


def _first_evidence(evidence: list) -> str | None:
    if not evidence:
        return None
    first = evidence[0]
    return first.get("sentence") if isinstance(first, dict) else str(first)


def _location(location) -> str:
    return location if isinstance(location, str) else ",".join(map(str, location))


class Store:
    """A DuckDB file holding batch results. Use as a context manager; one writer process at a time."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        import duckdb

        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no such store: {self.path}")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config={"memory_limit": MEMORY_LIMIT})
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the store {self.path} is open in another process (is a batch still running?); "
                    "wait for it to finish or use another --db"
                ) from None
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise StoreError(f"{self.path} is not a readable DuckDB store: {exc}") from None
        if not read_only and not self._has_table("store_info"):
            self._create_schema()
        self._check_version()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # ----- schema
    def _has_table(self, name: str) -> bool:
        return self._one("SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]) is not None

    def _create_schema(self) -> None:
        if self._one("SELECT count(*) FROM duckdb_tables()")[0]:
            raise StoreError(f"{self.path} is a DuckDB database of something else; give --db a new file")
        try:
            self.con.execute("BEGIN")
            self.con.execute("CREATE TABLE store_info (key VARCHAR PRIMARY KEY, value VARCHAR)")
            self.con.execute("INSERT INTO store_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            for table in TABLES:
                self._create_table(table)
            self.con.execute("COMMIT")
        except Exception as exc:  # e.g. a full disk: say so instead of a traceback
            self.con.close()
            raise StoreError(f"cannot create the store {self.path}: {exc}") from None

    def _create_table(self, table: str, *, name: str | None = None) -> None:
        """Create ``table`` of ``TABLES`` with its comments (under ``name`` if given, e.g. to stage it)."""
        doc, cols = TABLES[table]
        name = name or table
        key = PRIMARY_KEYS.get(table)
        body = ", ".join(f"{column} {kind}" for column, kind, _ in cols)
        body += f", PRIMARY KEY ({', '.join(key)})" if key else ""
        self.con.execute(f"CREATE TABLE {name} ({body})")
        self.con.execute(f"COMMENT ON TABLE {name} IS '{doc.replace(chr(39), chr(39) * 2)}'")
        for column, _, meaning in cols:
            self._comment(name, column, meaning)

    def _comment(self, table: str, column: str, meaning: str) -> None:
        self.con.execute(f"COMMENT ON COLUMN {table}.{column} IS '{meaning.replace(chr(39), chr(39) * 2)}'")

    def _migrate(self, version: int) -> None:
        """Bring a store of an older schema up to ``SCHEMA_VERSION``, one version per transaction."""
        kinds = {table: {name: (kind, meaning) for name, kind, meaning in cols} for table, (_, cols) in TABLES.items()}
        while version < SCHEMA_VERSION:
            step = MIGRATIONS[version]
            self.con.execute("BEGIN")
            for table, names in step["columns"].items():
                for name in names:
                    kind, meaning = kinds[table][name]
                    self.con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                    self._comment(table, name, meaning)
            for table in step["tables"]:
                self._create_table(table)
            for sql in step["sql"]:
                self.con.execute(sql)
            version += 1
            self.con.execute("UPDATE store_info SET value = ? WHERE key = 'schema_version'", [str(version)])
            self.con.execute("COMMIT")

    def _check_version(self) -> None:
        try:
            row = self._one("SELECT value FROM store_info WHERE key = 'schema_version'")
        except Exception:
            raise StoreError(f"{self.path} is a DuckDB file but not a govreport store") from None
        if row is not None and int(row[0]) in MIGRATIONS and not self.read_only:
            self._migrate(int(row[0]))
            return
        if row is not None and int(row[0]) in MIGRATIONS:
            raise StoreError(f"{self.path} has store schema {row[0]}, this govreport reads {SCHEMA_VERSION}: "
                             f"update it once with 'govreport templates --db {self.path} --rebuild'")
        if row is None or int(row[0]) != SCHEMA_VERSION:
            raise StoreError(f"{self.path} has store schema {row and row[0]}, this govreport reads {SCHEMA_VERSION}")

    # ----- runs
    def begin_run(self, command: str) -> int:
        (run_id,) = self._one("SELECT coalesce(max(run_id), 0) + 1 FROM runs")
        self.con.execute("INSERT INTO runs VALUES (?, ?, NULL, ?)", [run_id, datetime.now(), command])
        return run_id

    def finish_run(self, run_id: int) -> None:
        self.con.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", [datetime.now(), run_id])

    def has_report(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM reports WHERE sha256 = ?", [sha256]) is not None

    # ----- writes
    def write(self, results: list[FileResult], *, run_id: int) -> list[tuple[FileResult, Exception]]:
        """Commit ``results`` together (each file's rows all or none); return the files that could not
        be written, with the error. A failed group is retried file by file so one bad row costs one file."""
        if not results:
            return []
        try:
            self._write_group(results, run_id)
            return []
        except Exception as exc:
            self._rollback()
            if len(results) == 1:
                return [(results[0], exc)]
        failed = []
        for result in results:
            try:
                self._write_group([result], run_id)
            except Exception as exc:
                self._rollback()
                failed.append((result, exc))
        return failed

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except Exception:
            pass  # no transaction was open, or the connection is gone: nothing to undo

    def _write_group(self, results: list[FileResult], run_id: int) -> None:
        analysed = [r for r in results if r.outcome == "analysed"]
        failed = [r for r in results if r.outcome == "failed"]
        shas = [r.sha256 for r in analysed]
        paths = [r.path for r in results if r.outcome in ("analysed", "failed")]
        self.con.execute("BEGIN")
        if shas:
            # Only contents stored before (a forced rerun) have rows to replace: a DELETE per table
            # costs a scan of it, more than the insert, as the store grows.
            stored = [row[0] for row in self.con.execute(
                "SELECT sha256 FROM reports WHERE sha256 IN (SELECT unnest(?))", [shas]).fetchall()]
            for table in REPORT_TABLES if stored else ():
                self.con.execute(f"DELETE FROM {table} WHERE sha256 IN (SELECT unnest(?))", [stored])
            for table in REPORT_TABLES:
                self._insert(table, [row for r in analysed for row in r.rows.get(table, ())])  # none: keyed later
        if paths:
            self.con.execute("DELETE FROM errors WHERE path IN (SELECT unnest(?))", [paths])
        now = datetime.now().replace(microsecond=0)
        self._insert("errors", [(r.path, r.name, r.sha256, r.error[0], r.error[1], now) for r in failed])
        self.con.execute(
            "DELETE FROM run_files WHERE run_id = ? AND path IN (SELECT unnest(?))", [run_id, [r.path for r in results]]
        )
        self._insert("run_files", [(run_id, r.path, r.sha256, r.outcome) for r in results])
        self.con.execute("COMMIT")

    def insert_rows(self, table: str, rows: list[tuple]) -> int:
        """Append ``rows`` (in ``table``'s column order) in one transaction; returns how many."""
        self._insert(table, rows)
        return len(rows)

    def _insert(self, table: str, rows: list[tuple], *, into: str | None = None) -> None:
        """Insert rows of ``table``'s columns (into ``into``, a table of the same columns, if given)
        through one Arrow table: far faster than row-by-row statements."""
        if not rows:
            return
        import pyarrow as pa

        names = columns(table)
        data = pa.table({name: pa.array(list(values)) for name, values in zip(names, zip(*rows))})
        self.con.register("_incoming", data)
        try:
            self.con.execute(f"INSERT INTO {into or table} ({', '.join(names)}) SELECT {', '.join(names)} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def set_yoy(self, pairs: Iterable[dict]) -> None:
        """Record, per later report, its previous-year report, the copied shares and the copied passages
        (``pairs``: ``compare.yoy_pairs`` rows with a ``copying`` record)."""
        rows = list(pairs)
        if not rows:
            return
        self.con.execute("BEGIN")
        self.con.executemany(
            "UPDATE reports SET yoy_previous = ?, yoy_copied_share = ?, yoy_copied_chars_share = ?, "
            "yoy_copied_sentences = ? WHERE sha256 = ?",
            [(r["previous_sha256"], r["copied_share"], r["copied_chars_share"], r["copied_sentences"], r["sha256"])
             for r in rows])
        self.con.execute("DELETE FROM copied_passages WHERE sha256 IN (SELECT unnest(?))", [[r["sha256"] for r in rows]])
        self._insert("copied_passages", [
            (r["sha256"], r["previous_sha256"], seq, p.later_paragraph, p.later_span[0], p.later_span[1], p.kind,
             p.similarity, p.later, p.earlier, json.dumps(p.changed))
            for r in rows for seq, p in enumerate(r["copying"].passages)
        ])
        self.con.execute("COMMIT")

    def replace_templates(self, templates: Iterable) -> int:
        """Replace the ``templates`` table with ``templates`` (``templates.iter_templates`` output), a
        chunk of rows at a time (``templates_replaced``); returns the templates written."""
        with self.templates_replaced() as staging:
            count, rows = 0, []
            for t in templates:
                count += 1
                reports = len({o.sha256 for o in t.occurrences})
                rows += [(t.id, t.text, len(t.issuers), reports, o.sha256, o.issuer, o.year, o.paragraph, o.start,
                          o.end, o.text) for o in t.occurrences]
                if len(rows) >= _INSERT_ROWS:
                    self._insert("templates", rows, into=staging)
                    rows = []
            self._insert("templates", rows, into=staging)
        return count

    @contextmanager
    def templates_replaced(self) -> Iterator[str]:
        """A staging table of the ``templates`` columns to fill (by any connection to the store, in as many
        transactions as it likes); when the block ends it takes the table's place in one transaction.
        Readers see the old templates or the new ones, never a part, and memory stays flat (DuckDB holds a
        transaction's rows in memory until it commits; ~800,000 rows in one exceed ``MEMORY_LIMIT``). If
        the block fails, the old templates stay."""
        self.con.execute(f"DROP TABLE IF EXISTS {_STAGING}")  # left over by a run that was killed
        self._create_table("templates", name=_STAGING)
        try:
            yield _STAGING
            self.con.execute("BEGIN")
            self.con.execute("DROP TABLE templates")
            self.con.execute(f"ALTER TABLE {_STAGING} RENAME TO templates")
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()  # the previous templates stay
            self.con.execute(f"DROP TABLE IF EXISTS {_STAGING}")
            raise

    # ----- reads
    def query(self, sql: str, params: list | None = None) -> Iterator[dict]:
        """Rows of ``sql`` as dicts, fetched in chunks so large results never sit in memory at once (run
        when the first row is asked for, as a generator)."""
        yield from _rows(self.con.execute(sql, params or []))

    def report_rows(self) -> Iterator[dict]:
        """Every stored report with its metrics."""
        return self.query("SELECT * FROM reports ORDER BY issuer, year, path")

    def section_shares(self) -> Iterator[dict]:
        return self.query("SELECT sha256, section_id, share FROM sections")

    def section_chars(self) -> Iterator[dict]:
        """Body characters per report and label (the outline section; older rows: the era-outline topic)."""
        return self.query("SELECT sha256, coalesce(topic, section) AS label, sum(length(text)) AS chars "
                          "FROM paragraphs WHERE NOT is_heading GROUP BY ALL")

    def report_texts(self, *, issuers: Iterable[str] | None = None, sha256s: Iterable[str] | None = None,
                     order: str = "issuer") -> Iterator[dict]:
        """Each report's issuer, year and body paragraphs (of the reports of ``issuers``, or those of
        ``sha256s``, if given), one report at a time: ordered by issuer, year and sha256
        (``order="issuer"``), or as stored (``"stored"``: faster on a large store, for readers whose
        result does not depend on the order).

        The reports are listed through a second cursor, a chunk at a time, so that neither their
        texts nor their list sit in memory whatever the size of the store."""
        conditions, params = [], []
        if issuers is not None:
            conditions.append("r.issuer IN (SELECT unnest(?))")
            params.append(list(issuers))
        if sha256s is not None:
            conditions.append("r.sha256 IN (SELECT unnest(?))")
            params.append(list(sha256s))
        where = "WHERE " + " AND ".join(conditions) if conditions else ""
        first_rows = ("LEFT JOIN (SELECT sha256, min(rowid) AS first_row FROM paragraphs GROUP BY sha256) f USING (sha256)"
                      if order == "stored" else "")
        heads = self.con.cursor()
        try:
            cursor = heads.execute(
                f"SELECT r.sha256, r.issuer, r.year, r.level, r.path FROM reports r {first_rows} {where} "
                f"{_REPORT_ORDERS[order]}", params
            )
            names = [d[0] for d in cursor.description]
            while chunk := [dict(zip(names, row)) for row in cursor.fetchmany(_CHUNK_REPORTS)]:
                texts = self._body_texts([head["sha256"] for head in chunk])
                for head in chunk:
                    found = texts.get(head["sha256"], [])
                    yield {**head, "paragraphs": [t for _, t in found], "indexes": [i for i, _ in found]}
        finally:
            heads.close()

    def checkpoint(self) -> None:
        """Write what the last transactions appended into the file: until then DuckDB keeps it in its
        memory, and the end steps of a large batch could not read the store within ``MEMORY_LIMIT``."""
        self.con.execute("CHECKPOINT")

    def _body_texts(self, sha256s: list[str]) -> dict[str, list[tuple[int, str]]]:
        """The body paragraphs (index, text) of several reports, by report."""
        out: dict[str, list[tuple[int, str]]] = {}
        for sha256, index, text in body_texts(self.con, sha256s):
            out.setdefault(sha256, []).append((index, text))
        return out

    def paragraph_texts(self, sha256: str) -> dict[int, str]:
        """One report's body paragraphs by index (those ``report_texts`` gives)."""
        return {index: text for _, index, text in body_texts(self.con, [sha256])}

    def template_rows(self) -> Iterator[dict]:
        """One row per template: its wording, issuers and reports, and who used it in which year."""
        return self.query(
            "SELECT template_id, any_value(template_text) AS text, any_value(issuers) AS issuers, "
            "any_value(reports) AS reports, string_agg(DISTINCT CAST(year AS VARCHAR), '、' ORDER BY CAST(year AS VARCHAR)) AS years, "
            "string_agg(DISTINCT issuer || coalesce('(' || year || ')', ''), '、' ORDER BY issuer || coalesce('(' || year || ')', '')) "
            "AS used_by FROM templates GROUP BY template_id ORDER BY issuers DESC, reports DESC, template_id"
        )

    def counts(self) -> dict[str, int]:
        return {t: self._one(f"SELECT count(*) FROM {t}")[0] for t in TABLES}

    def _one(self, sql: str, params: list | None = None) -> tuple | None:
        """The first row, with the result read to its end (DuckDB refuses other work on a connection
        whose last result was left half-read)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None


def body_texts(con, sha256s: list[str]) -> list[tuple[str, int, str]]:
    """The body paragraphs (sha256, index, text) of several reports in one query on ``con`` (a query
    per report cost ~2 ms, most of reading a store of thousands of reports)."""
    first, last = con.execute(_ROW_BOUNDS, [sha256s]).fetchone()
    if first is None:
        return []
    return con.execute(_BODY_TEXTS, [first, last, sha256s]).fetchall()


def _rows(cursor) -> Iterator[dict]:
    """A query's rows as dicts, fetched a thousand at a time."""
    names = [d[0] for d in cursor.description]
    while chunk := cursor.fetchmany(1000):
        for row in chunk:
            yield dict(zip(names, row))


def schema_markdown() -> str:
    """The schema as Markdown tables (for the README)."""
    lines = []
    for table, (doc, cols) in TABLES.items():
        lines += [f"**{table}**: {doc}", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| {name} | {kind.split()[0]} | {meaning} |" for name, kind, meaning in cols]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(schema_markdown())
