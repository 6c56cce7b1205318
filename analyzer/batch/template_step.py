"""The template step of a batch: the templates of every report in a store, found in SQL so that the
client's memory does not grow with the store (``compare.templates`` finds them in memory, for reports
at hand; the rules are its own, and a test holds the two to the same templates).

Each report's sentences are keyed once, when the report is stored (the ``sentences`` table, with each
key's 64-bit hash: its identity and order here, since sorting a large store's keys by their text does
not fit the store's memory cap). The distinct keys are signed a range of hashes at a time; their MinHash
bands go to a table that DuckDB groups into buckets band by band (spilling to disk if it must), the
candidate pairs are checked a slice of buckets at a time, the uses of the templates get their wording cut from the
stored paragraphs report by report, and the templates table is written by SQL, a range of templates
at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from analyzer.batch.store import Store, body_texts, sentence_rows
from analyzer.checks.copying import jaccard, match_issuers, shingles
from analyzer.compare.templates import (
    LSH_BANDS,
    LSH_ROWS,
    MIN_ISSUERS,
    SIMILARITY,
    candidate_pairs,
    minhash_signatures,
)

_SIGNED = 20_000  # keys signed at once: a chunk's signatures are a few MB
_GRAM_CACHE = 256  # 3-gram sets kept while buckets are checked: a bucket's members come back in its pairs
# (a crowded bucket pairs each with the next 40); its other bands come a band later, beyond a small cache

# reports numbered in the order they were stored (a chunk of them lies together in ``paragraphs``)
_REPORTS = ("CREATE TEMP TABLE tpl_reports AS SELECT CAST(row_number() OVER (ORDER BY f.first_row NULLS LAST, "
            "r.sha256) - 1 AS INTEGER) AS rno, r.sha256, r.issuer, r.year FROM reports r LEFT JOIN "
            "(SELECT sha256, min(rowid) AS first_row FROM paragraphs GROUP BY sha256) f USING (sha256) ORDER BY rno")
# the distinct keys by their hash, their identity from here on (never sorted by text: sorting a large
# store's keys does not fit its memory cap). Two keys of one hash would be taken for one: for a million
# distinct keys, about once in 30 million stores.
_KEYS = "CREATE TEMP TABLE tpl_keys AS SELECT key_hash, any_value(key) AS key FROM sentences GROUP BY key_hash"
_USES = ("CREATE TEMP TABLE tpl_uses AS SELECT r.rno, s.paragraph, s.span_start, s.span_end, s.key_hash "
         "FROM sentences s JOIN tpl_reports r USING (sha256)")
# every key's MinHash bands, one row per key: band b's four values as two numbers, h<b> and l<b>
_BANDS = ("CREATE TEMP TABLE tpl_signatures (key_hash BIGINT, "
          + ", ".join(f"h{b} BIGINT, l{b} BIGINT" for b in range(LSH_BANDS)) + ")")
# the members of a band's buckets of two or more keys, in bucket order (numbers only, one band at a time:
# a band's rows are 24 bytes a key, and sorting all bands' at once does not fit the store's memory cap)
_MEMBERS = ("CREATE OR REPLACE TEMP TABLE tpl_members AS SELECT h{b} AS hi, l{b} AS lo, key_hash FROM tpl_signatures "
            "SEMI JOIN (SELECT h{b}, l{b} FROM tpl_signatures GROUP BY ALL HAVING count(*) > 1) USING (h{b}, l{b}) "
            "ORDER BY hi, lo, key_hash")
# a slice of them whose first value lies in a range, then their keys (a slice at a time: reading them all
# with their keys at once does not fit the store's memory cap when sentences have many near copies)
_SLICE = "SELECT hi, lo, key_hash FROM tpl_members WHERE hi BETWEEN $low AND $high ORDER BY hi, lo, key_hash"
_KEY_TEXTS = "SELECT key_hash, key FROM tpl_keys WHERE key_hash IN (SELECT unnest($hashes))"
_SLICE_ROWS = 50_000  # bucket members read at once, about
_GROUPED = "(SELECT u.*, coalesce(g.grp, u.key_hash) AS grp FROM tpl_uses u LEFT JOIN tpl_groups g USING (key_hash))"
_SELECTED = ("CREATE TEMP TABLE tpl_selected AS SELECT u.grp FROM " + _GROUPED + " u JOIN tpl_reports r USING (rno) "
             "JOIN tpl_bodies b ON b.issuer = r.issuer GROUP BY u.grp HAVING count(DISTINCT b.body) >= ?")
# the uses of the templates, in the order the reports were stored: their texts are cut report by report
_SELECTED_USES = ("CREATE TEMP TABLE tpl_selected_uses AS SELECT u.rno, u.paragraph, u.span_start, u.span_end, u.grp "
                  "FROM " + _GROUPED + " u SEMI JOIN tpl_selected USING (grp) ORDER BY u.rno, u.paragraph, u.span_start")
_TEXTS = "CREATE TEMP TABLE tpl_texts (grp BIGINT, rno INTEGER, paragraph INTEGER, span_start INTEGER, span_end INTEGER, text VARCHAR)"
_FIRST_KEYS = "CREATE TEMP TABLE tpl_first AS SELECT key_hash AS grp, key FROM tpl_keys SEMI JOIN tpl_selected ON key_hash = grp"
# the templates table's rows of a range of groups (a range at a time: DuckDB holds a statement's rows in
# memory until it commits). As ``compare.templates.template_of`` makes them: named after the first key,
# worded as most of its uses are (a tie: the first in sorted order), counting the bodies (``match_issuers``)
# and the reports that use it.
_WRITE = """INSERT INTO {table} (template_id, template_text, issuers, reports, sha256, issuer, year, paragraph,
                                 span_start, span_end, text)
WITH uses AS (
    SELECT t.grp, r.sha256, r.issuer, r.year, t.paragraph, t.span_start, t.span_end, t.text, b.body
    FROM tpl_texts t JOIN tpl_reports r USING (rno) LEFT JOIN tpl_bodies b ON b.issuer = r.issuer
    WHERE t.grp BETWEEN $first AND $last),
wordings AS (SELECT grp, text, count(*) AS n FROM uses GROUP BY grp, text),
heads AS (
    SELECT grp, first(text ORDER BY n DESC, text) AS wording FROM wordings GROUP BY grp),
counts AS (SELECT grp, count(DISTINCT body) AS issuers, count(DISTINCT sha256) AS reports FROM uses GROUP BY grp)
SELECT left(sha1(f.key), 12), h.wording, c.issuers, c.reports, u.sha256, u.issuer, u.year, u.paragraph,
       u.span_start, u.span_end, u.text
FROM uses u JOIN heads h USING (grp) JOIN counts c USING (grp) JOIN tpl_first f USING (grp)"""
_USES_WRITTEN = 50_000  # uses of the templates written at once, at most (unless one template has more)
_REPORTS_CUT = 200  # reports whose paragraphs are read at once when the templates' texts are cut


def fill_missing_sentences(store: Store) -> int:
    """Key the sentences of the stored reports that have none (stored before the store kept them, or
    whose every sentence is short); returns the sentences added."""
    missing = [sha256 for (sha256,) in store.con.execute(
        "SELECT sha256 FROM reports ANTI JOIN (SELECT DISTINCT sha256 FROM sentences) USING (sha256)").fetchall()]
    added, rows = 0, []
    for record in store.report_texts(sha256s=missing, order="stored") if missing else ():
        rows += sentence_rows(record)
        if len(rows) >= _SIGNED:
            added += store.insert_rows("sentences", rows)
            rows = []
    return added + store.insert_rows("sentences", rows)


def write_stored_templates(store: Store, *, min_issuers: int = MIN_ISSUERS) -> int:
    """Replace the store's ``templates`` table with the templates among its reports (their ``sentences``
    keyed); returns how many. The working tables live in a connection of their own and go with it; the
    old templates stay until the new ones are all written."""
    con = store.con.cursor()
    try:
        for sql in (_REPORTS, _KEYS, _USES):
            con.execute(sql)
        (count,) = con.execute("SELECT count(*) FROM tpl_keys").fetchone()
        _sign_keys(con, count)
        _store_groups(con, _similar_groups(con))
        canonical = match_issuers(name for (name,) in con.execute("SELECT DISTINCT issuer FROM reports").fetchall())
        _store_bodies(con, canonical)
        con.execute(_SELECTED, [min_issuers])
        for sql in (_SELECTED_USES, _FIRST_KEYS):
            con.execute(sql)
        _cut_texts(con)
        with store.templates_replaced() as staging:
            for first, last in _group_ranges(con):
                con.execute(_WRITE.format(table=staging), {"first": first, "last": last})
        return con.execute("SELECT count(*) FROM tpl_selected").fetchone()[0]
    finally:
        con.close()


def _sign_keys(con, count: int) -> None:
    """The MinHash bands of every key, one row per key (``_BANDS``). The keys are read a range of hashes
    at a time (``_SIGNED`` keys or so each)."""
    import pyarrow as pa

    con.execute(_BANDS)
    for low, high in _hash_ranges(-(-count // _SIGNED)):
        hashes, keys = _columns(con.execute("SELECT key_hash, key FROM tpl_keys WHERE key_hash BETWEEN ? AND ?",
                                            [low, high]).fetchall(), 2)
        if not keys:
            continue
        values = minhash_signatures(keys).astype(np.int64).reshape(len(keys), LSH_BANDS, LSH_ROWS)  # below 2**31
        hi, lo = values[..., 0] << 32 | values[..., 1], values[..., 2] << 32 | values[..., 3]
        columns = {"key_hash": np.array(hashes, dtype=np.int64)}
        for band in range(LSH_BANDS):
            columns[f"h{band}"], columns[f"l{band}"] = hi[:, band], lo[:, band]
        con.register("_incoming_signatures", pa.table(columns))
        try:
            con.execute("INSERT INTO tpl_signatures BY NAME SELECT * FROM _incoming_signatures")
        finally:
            con.unregister("_incoming_signatures")


def _hash_ranges(parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive ranges covering every 64-bit hash (hashes are uniform: as many in each)."""
    low, high, parts = -(2**63), 2**63 - 1, max(parts, 1)
    edges = [low + k * (high - low + 1) // parts for k in range(parts)] + [high + 1]
    return [(a, b - 1) for a, b in zip(edges, edges[1:])]


def _columns(rows: list[tuple], width: int) -> list[list]:
    return [list(column) for column in zip(*rows)] if rows else [[] for _ in range(width)]


def _similar_groups(con) -> tuple[np.ndarray, np.ndarray]:
    """The keys joined to another by a candidate pair that passes ``SIMILARITY`` (connected components:
    the order pairs are checked in does not change them), as (key hash, the smallest key hash of its
    group). Union-find runs over the keys' positions in hash order: a few bytes per key, whatever the
    number of pairs."""
    hashes = con.execute("SELECT key_hash FROM tpl_keys ORDER BY key_hash").fetchnumpy()["key_hash"]
    parent = np.arange(len(hashes), dtype=np.int32)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    grams = lru_cache(maxsize=_GRAM_CACHE)(shingles)
    for members, texts in _buckets(con):
        places = np.searchsorted(hashes, members).tolist()
        position = dict(zip(members, places))
        for a, b in candidate_pairs(members):
            ra, rb = root(position[a]), root(position[b])
            if ra != rb and jaccard(grams(texts[a]), grams(texts[b])) >= SIMILARITY:
                parent[max(ra, rb)] = min(ra, rb)  # a group's root is its first key in hash order
    while not np.array_equal(roots := parent[parent], parent):
        parent = roots
    joined = np.flatnonzero(parent != np.arange(len(parent)))
    return hashes[joined], hashes[parent[joined]]


def _buckets(con) -> Iterator[tuple[list[int], dict[int, str]]]:
    """Each bucket's members (ascending) and their keys, band by band, a slice of a band at a time."""
    for band in range(LSH_BANDS):
        con.execute(_MEMBERS.format(b=band))
        (members,) = con.execute("SELECT count(*) FROM tpl_members").fetchone()
        for low, high in _slice_ranges(con, members):
            rows = con.execute(_SLICE, {"low": low, "high": high}).fetchall()
            texts = dict(con.execute(_KEY_TEXTS, {"hashes": list({row[2] for row in rows})}).fetchall())
            yield from _bucket_members(rows, texts)


def _slice_ranges(con, members: int) -> list[tuple[int, int]]:
    """Ranges of the band's first values (``hi``) holding about ``_SLICE_ROWS`` members each, cut at the
    members' quantiles: MinHash values are minima, crowded near zero, and ranges of equal width put most
    members of a store with many near copies in the first (674,000 rows in one slice, measured). A value
    held by more members than a slice stays whole: a bucket is never cut."""
    parts = -(-members // _SLICE_ROWS)
    if parts <= 1:
        return [(-(2**63), 2**63 - 1)] if members else []
    (edges,) = con.execute("SELECT quantile_disc(hi, $q) FROM tpl_members",
                           {"q": [k / parts for k in range(1, parts)]}).fetchone()
    edges = sorted(set(edges))
    return list(zip([-(2**63)] + [edge + 1 for edge in edges], edges + [2**63 - 1]))


def _bucket_members(rows: list[tuple], texts: dict[int, str]) -> Iterator[tuple[list[int], dict[int, str]]]:
    current, members = None, []
    for hi, lo, key_hash in rows:
        if (hi, lo) != current:
            if len(members) > 1:
                yield members, texts
            current, members = (hi, lo), []
        members.append(key_hash)
    if len(members) > 1:
        yield members, texts


def _store_groups(con, groups: tuple[np.ndarray, np.ndarray]) -> None:
    import pyarrow as pa

    con.execute("CREATE TEMP TABLE tpl_groups (key_hash BIGINT, grp BIGINT)")
    joined, first = groups
    if len(joined):
        con.register("_incoming_groups", pa.table({"key_hash": joined, "grp": first}))
        try:
            con.execute("INSERT INTO tpl_groups SELECT * FROM _incoming_groups")
        finally:
            con.unregister("_incoming_groups")


def _store_bodies(con, canonical: dict[str, str]) -> None:
    """Issuer name → the number of the body it names (as ``match_issuers`` matches them)."""
    bodies: dict[str, int] = {}
    rows = [(name, bodies.setdefault(key, len(bodies))) for name, key in sorted(canonical.items())]
    con.execute("CREATE TEMP TABLE tpl_bodies (issuer VARCHAR, body INTEGER)")
    if rows:
        con.executemany("INSERT INTO tpl_bodies VALUES (?, ?)", rows)


def _cut_texts(con) -> None:
    """Each template use with its sentence as the report prints it, cut from the stored paragraphs a
    chunk of reports at a time (the reports' paragraphs lie together: each chunk reads a few blocks)."""
    import pyarrow as pa

    con.execute(_TEXTS)
    (reports,) = con.execute("SELECT count(*) FROM tpl_reports").fetchone()
    for first in range(0, reports, _REPORTS_CUT):
        last = first + _REPORTS_CUT - 1
        uses = con.execute("SELECT * FROM tpl_selected_uses WHERE rno BETWEEN ? AND ?", [first, last]).fetchall()
        if not uses:
            continue
        sha256s = dict(con.execute("SELECT rno, sha256 FROM tpl_reports WHERE rno BETWEEN ? AND ?", [first, last]).fetchall())
        paragraphs = {(sha256, index): text for sha256, index, text in body_texts(con, list(sha256s.values()))}
        texts = [paragraphs[sha256s[rno], paragraph][start:end] for rno, paragraph, start, end, _ in uses]
        columns = list(zip(*uses))
        table = pa.table({"grp": pa.array(columns[4], pa.int64()), "rno": pa.array(columns[0], pa.int32()),
                          "paragraph": pa.array(columns[1], pa.int32()), "span_start": pa.array(columns[2], pa.int32()),
                          "span_end": pa.array(columns[3], pa.int32()), "text": pa.array(texts, pa.string())})
        con.register("_incoming_texts", table)
        try:
            con.execute("INSERT INTO tpl_texts SELECT * FROM _incoming_texts")
        finally:
            con.unregister("_incoming_texts")


def _group_ranges(con) -> list[tuple[int, int]]:
    """Ranges of groups (named by their first key's hash) whose uses add up to ``_USES_WRITTEN`` at most (a
    larger group alone)."""
    ranges: list[tuple[int, int]] = []
    start, previous, total = None, -1, 0
    for grp, uses in con.execute("SELECT grp, count(*) FROM tpl_selected_uses GROUP BY grp ORDER BY grp").fetchall():
        if start is not None and total + uses > _USES_WRITTEN:
            ranges.append((start, previous))
            start, total = None, 0
        start = grp if start is None else start
        total += uses
        previous = grp
    if start is not None:
        ranges.append((start, previous))
    return ranges
