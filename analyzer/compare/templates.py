"""Templates: sentences that reports of many different issuers share (a city's model paragraph that a
dozen departments paste into their reports, each with its own name and figures).

Every body sentence is normalised as ``copying`` does (figures, years, dates and 文号 become tokens)
and the issuer's own name (full or short, 我局/本局) becomes one token too. Identical normalised
sentences are grouped at once; the distinct ones get a MinHash signature of their character 3-grams
(computed for all of them together with numpy), cut into the bands datasketch's ``MinHashLSH``
would use; sentences equal on a band share a bucket, which gives candidate pairs without comparing
every sentence with every other. A candidate pair whose exact 3-gram Jaccard reaches ``SIMILARITY``
joins one group; a group used by reports of at least ``MIN_ISSUERS`` different issuers (names
matched by ``copying.match_issuers``) is a template.

This module finds them among reports at hand (in memory: ``compare`` over files, the evaluation); a
batch store finds them with the same rules in SQL (``batch.template_step``), from the sentence keys
each report stored.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from analyzer.checks.copying import jaccard, match_issuers, name_variants, sentence_keys, shingles

MIN_ISSUERS = 3
SIMILARITY = 0.6  # 3-gram Jaccard of normalised sentences from which two are one template's variants
LSH_THRESHOLD = 0.4  # below SIMILARITY, so that pairs near it are rarely missed by the buckets
NUM_PERM = 64
# The bands and rows per band datasketch's MinHashLSH chooses for LSH_THRESHOLD and NUM_PERM (its
# ``_optimal_param``; a test holds them equal), written out: importing datasketch, and SciPy with it,
# costs ~45 MB of memory in a process that has no other use for them.
LSH_BANDS, LSH_ROWS = 16, 4
MIN_CHARS = 12  # shorter sentences (现将有关情况报告如下) are formulas, not templates
_PRIME = (1 << 31) - 1
_CHUNK = 25_000  # 3-gram positions hashed at once: bounds memory to NUM_PERM × _CHUNK × 8 bytes (13 MB)
_GRAM_CACHE = 4096  # 3-gram sets kept while candidate pairs are checked (a bucket's members come back)
_ROWS = 65_536  # uses handled at once where each needs temporaries


@dataclass(frozen=True)
class Occurrence:
    """One report's use of a template: the sentence as that report prints it."""

    sha256: str
    issuer: str | None
    year: int | None
    paragraph: int
    start: int
    end: int
    text: str


@dataclass
class Template:
    id: str
    text: str  # the most common wording
    issuers: list[str]  # distinct issuers (as first named) that use it
    years: list[int]
    occurrences: list[Occurrence] = field(default_factory=list)


def text_record(item) -> dict:
    """A report as the mapping the copy and template checks read: an ``Analysis`` is turned into
    sha256, issuer, year, level and its body paragraphs (with their indexes); a mapping is kept."""
    if hasattr(item, "metadata"):
        from analyzer.issuers import issuer_level

        return {
            "sha256": item.source.sha256, "issuer": item.metadata.issuer, "year": item.metadata.year,
            "level": issuer_level(item.metadata.issuer),
            "paragraphs": [p.text for p in item.body()], "indexes": [p.index for p in item.body()],
        }
    return item


def find_templates(reports: Iterable[Mapping], *, min_issuers: int = MIN_ISSUERS) -> list[Template]:
    """Templates among ``reports``, most used first. ``reports``: mappings with sha256, issuer, year,
    paragraphs (body texts) and optionally indexes (each paragraph's index in its report), or
    ``Analysis`` objects."""
    found = iter_templates(reports, min_issuers=min_issuers)
    return sorted(found, key=lambda t: (-len(t.issuers), -len(t.occurrences), t.id))


def iter_templates(reports: Iterable[Mapping], *, min_issuers: int = MIN_ISSUERS) -> Iterator[Template]:
    """Templates among ``reports`` (as ``find_templates`` takes them), one at a time in the order of
    their first keys. Every sentence is kept as five numbers meanwhile, and the paragraphs beside them."""
    collector = SentenceUses()
    for report in reports:
        collector.add(text_record(report))
    uses = collector.finish()
    groups = _similar_groups(uses.keys)
    group_of_key = np.empty(len(uses.keys), dtype=np.int32)
    for number, members in enumerate(groups):
        group_of_key[members] = number
    chosen = _template_groups(uses, group_of_key, min_issuers=min_issuers)
    selected = np.flatnonzero(chosen[group_of_key[uses.table[:, _KEY]]])
    wordings, text_ids = _read_texts(uses.table[selected], uses.kept)
    return _templates(uses, groups, group_of_key, selected, wordings, text_ids)


_REPORT, _PARAGRAPH, _START, _END, _KEY = range(5)  # the columns of ``_Uses.table``


@dataclass
class _Uses:
    """Every sentence long enough to be a template's, as numbers: report number, paragraph index,
    start, end and the number of its normalised key."""

    keys: list[str]  # key number → normalised sentence, in the order of their hashes (``key_hash``)
    table: np.ndarray  # one int32 row per use, ``_REPORT`` … ``_KEY``, in reading order
    reports: list[tuple[str, str | None, int | None]]  # report number → sha256, issuer, year
    kept: dict[int, dict[int, str]]  # report number → paragraphs by index


class SentenceUses:
    """The sentences of reports, gathered one report at a time and kept as numbers (report, paragraph,
    start, end, key number), as ``iter_templates`` needs them, with their paragraphs."""

    def __init__(self):
        self._numbers: dict[str, int] = {}
        self._names: dict[str | None, str | None] = {}  # one string per issuer name, not one per report
        self._reports: list[tuple[str, str | None, int | None]] = []
        self._kept: dict[int, dict[int, str]] = {}
        self._flat = array("i")

    def add(self, record: Mapping) -> None:
        """Gather one report (sha256, issuer, year, paragraphs and optionally indexes)."""
        number = len(self._reports)
        issuer = self._names.setdefault(record["issuer"], record["issuer"])
        self._reports.append((record["sha256"], issuer, record["year"]))
        indexes = record.get("indexes") or range(len(record["paragraphs"]))
        self._kept[number] = dict(zip(indexes, record["paragraphs"]))
        numbers = self._numbers
        for paragraph, start, end, key in sentence_keys(record["paragraphs"], names=name_variants(issuer),
                                                        min_chars=MIN_CHARS):
            self._flat.extend((number, indexes[paragraph], start, end, numbers.setdefault(key, len(numbers))))

    def finish(self) -> _Uses:
        table = np.frombuffer(self._flat, dtype=np.int32).reshape(-1, 5)  # writable: it shares the array's memory
        return _Uses(*_sorted_keys(list(self._numbers), table), reports=self._reports, kept=self._kept)


def key_hash(key: str) -> int:
    """A normalised sentence's 64-bit number (signed, as DuckDB's BIGINT): keys are ordered by it, here
    and in a store, where sorting the keys' texts would not fit the store's memory cap."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _sorted_keys(keys: list[str], table: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Number the keys in the order of their hashes instead of reading order, so that the templates
    found do not depend on the order the reports are read in (a crowded bucket's pairs are taken in key
    order, and a template is named after its first key)."""
    hashes = [key_hash(key) for key in keys]
    order = sorted(range(len(keys)), key=lambda i: (hashes[i], keys[i]))
    rank = np.empty(len(keys), dtype=np.int32)
    rank[order] = np.arange(len(keys), dtype=np.int32)
    table[:, _KEY] = rank[table[:, _KEY]]
    return [keys[i] for i in order], table


def _template_groups(uses: _Uses, group_of_key: np.ndarray, *, min_issuers: int) -> np.ndarray:
    """Per group, whether reports of at least ``min_issuers`` issuers (as ``match_issuers`` matches
    their names) use it."""
    canonical = match_issuers(issuer for _, issuer, _ in uses.reports)
    bodies: dict[str, int] = {}
    body_of_report = np.array([-1 if canonical.get(issuer) is None else bodies.setdefault(canonical[issuer], len(bodies))
                               for _, issuer, _ in uses.reports], dtype=np.int64)
    pairs = np.empty(0, dtype=np.int64)  # group × (bodies + 1) + body, each (group, body) used once
    for first in range(0, len(uses.table), _ROWS):  # a chunk at a time: the temporaries stay small
        chunk = uses.table[first:first + _ROWS]
        body = body_of_report[chunk[:, _REPORT]]
        group = group_of_key[chunk[:, _KEY]].astype(np.int64)
        pairs = np.union1d(pairs, group[body >= 0] * (len(bodies) + 1) + body[body >= 0])
    issuers = np.bincount(pairs // (len(bodies) + 1), minlength=int(group_of_key.max(initial=-1)) + 1)
    return issuers >= min_issuers


def _read_texts(table: np.ndarray, kept: Mapping[int, Mapping[int, str]]) -> tuple[list[str], np.ndarray]:
    """Each use's sentence as printed, numbered: (distinct texts, text number per use)."""
    numbers: dict[str, int] = {}
    text_ids = np.empty(len(table), dtype=np.int32)
    for first in range(0, len(table), _ROWS):  # as Python ints a chunk at a time: ~150 bytes a row
        for row, (report, paragraph, start, end) in enumerate(table[first:first + _ROWS, :_KEY].tolist(), first):
            text_ids[row] = numbers.setdefault(kept[report][paragraph][start:end], len(numbers))
    return list(numbers), text_ids


def _templates(uses: _Uses, groups: list[list[int]], group_of_key: np.ndarray, selected: np.ndarray,
               wordings: list[str], text_ids: np.ndarray) -> Iterator[Template]:
    """Build the templates of the selected uses, group by group (groups in the order of their keys)."""
    canonical = match_issuers(issuer for _, issuer, _ in uses.reports)
    table = uses.table[selected]
    order = np.lexsort((table[:, _KEY], group_of_key[table[:, _KEY]]))
    group_numbers = group_of_key[table[order, _KEY]]
    cuts = np.flatnonzero(np.diff(group_numbers)) + 1
    for rows in np.split(order, cuts) if len(order) else ():
        members = groups[group_of_key[table[rows[0], _KEY]]]
        occurrences = [Occurrence(*uses.reports[report], paragraph, start, end, wordings[text])
                       for (report, paragraph, start, end), text
                       in zip(table[rows, :_KEY].tolist(), text_ids[rows].tolist())]
        yield template_of(occurrences, canonical, uses.keys[min(members)])  # the first key in hash order


def template_of(occurrences: list[Occurrence], canonical: Mapping[str, str], first_key: str) -> Template:
    """A template from its uses; every choice (the wording shown, the name shown for an issuer spelled
    two ways) is broken by sorted order, never by the order the reports were read in."""
    occurrences = sorted(occurrences, key=lambda o: (o.issuer or "", o.year or 0, o.sha256, o.paragraph, o.start))
    wording = min(Counter(o.text for o in occurrences).items(), key=lambda kv: (-kv[1], kv[0]))[0]
    first_names = {}
    for o in occurrences:
        first_names.setdefault(canonical.get(o.issuer), o.issuer)
    return Template(
        id=hashlib.sha1(first_key.encode("utf-8")).hexdigest()[:12],
        text=wording,
        issuers=sorted(v for k, v in first_names.items() if k),
        years=sorted({o.year for o in occurrences if o.year is not None}),
        occurrences=occurrences,
    )


def _similar_groups(keys: list[str]) -> list[list[int]]:
    """Groups of key numbers joined by candidate pairs from the LSH buckets that pass ``SIMILARITY``
    (connected components: the order pairs are checked in does not change them)."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(keys) > 1:
        grams = lru_cache(maxsize=_GRAM_CACHE)(lambda i: shingles(keys[i]))
        checked: set[int] = set()  # pairs as a * len(keys) + b
        for members in band_buckets(minhash_signatures(keys), bands=LSH_BANDS, rows=LSH_ROWS):
            for a, b in candidate_pairs(members.tolist()):
                if root(a) == root(b) or a * len(keys) + b in checked:
                    continue
                checked.add(a * len(keys) + b)
                if jaccard(grams(a), grams(b)) >= SIMILARITY:
                    parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def band_buckets(signatures: np.ndarray, *, bands: int, rows: int) -> Iterator[np.ndarray]:
    """The members (ascending) of every bucket of two or more: signatures equal on a whole band, band
    after band. These are the buckets of datasketch's ``MinHashLSH`` (a band's values as its key),
    without its dictionaries: one sort per band."""
    for band in range(bands):
        values = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        _, bucket = np.unique(values, axis=0, return_inverse=True)
        bucket = bucket.reshape(-1)
        order = np.argsort(bucket, kind="stable")  # stable: members stay ascending
        sizes = np.bincount(bucket)
        starts = np.cumsum(sizes) - sizes
        for number in np.flatnonzero(sizes > 1):
            yield order[starts[number]:starts[number] + sizes[number]]


def candidate_pairs(members: list[int], *, limit: int = 40) -> Iterator[tuple[int, int]]:
    """Candidate pairs of a bucket: all of a small one; in a crowded one (a formula many sentences
    share), each member against the first ``limit`` only, so that the cost stays linear."""
    for i, a in enumerate(members):
        for b in members[i + 1 : i + 1 + limit] if len(members) > limit else members[i + 1 :]:
            yield a, b


def minhash_signatures(texts: list[str], *, num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures (texts × num_perm) of each text's character 3-grams, for all texts at once:
    the 3-grams are hashed from the code points with numpy instead of one Python call each. The
    values are below 2**31 (modulo ``_PRIME``), so they are kept as uint32: half the memory."""
    rng = np.random.RandomState(seed)
    a = rng.randint(1, _PRIME, size=num_perm, dtype=np.uint64)
    b = rng.randint(0, _PRIME, size=num_perm, dtype=np.uint64)
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size < _CHUNK or stop == start):
            size += max(len(texts[stop]) - 2, 1)
            stop += 1
        out[start:stop] = _signatures(texts[start:stop], a, b)
        start = stop
    return out


def _signatures(texts: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    padded = [t if len(t) >= 3 else t.ljust(3, "\x01") for t in texts]
    codes = np.frombuffer("\x00".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.array([len(t) for t in padded])
    gram = (codes[:-2] * np.uint64(1_000_003) + codes[1:-1]) * np.uint64(1_000_033) + codes[2:]
    gram = (gram ^ (gram >> np.uint64(29))) % np.uint64(_PRIME)
    counts = lengths - 2
    valid = (codes[:-2] != 0) & (codes[1:-1] != 0) & (codes[2:] != 0)  # 3-grams inside one text
    hashed = a[:, None] * gram[valid][None, :]  # in place from here: one num_perm × chunk array
    hashed += b[:, None]
    hashed %= np.uint64(_PRIME)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return np.minimum.reduceat(hashed, offsets, axis=1).T


def template_rows(templates: list[Template]) -> list[dict]:
    """One row per template, for a table: the wording, how many issuers and reports, who and when."""
    rows = []
    for t in templates:
        uses = Counter((o.issuer, o.year) for o in t.occurrences)
        rows.append({
            "template_id": t.id, "text": t.text, "issuers": len(t.issuers),
            "reports": len({o.sha256 for o in t.occurrences}),
            "years": "、".join(map(str, t.years)),
            "used_by": "、".join(f"{issuer}({year})" if year else str(issuer) for issuer, year in sorted(
                uses, key=lambda k: (k[0] or "", k[1] or 0))),
        })
    return rows
