"""Templates: sentences that reports of many different issuers share (a city's model paragraph that a
dozen departments paste into their reports, each with its own name and figures).

Every body sentence is normalised as ``copying`` does (figures, years, dates and 文号 become tokens)
and the issuer's own name (full or short, 我局/本局) becomes one token too. Identical normalised
sentences are grouped at once; the distinct ones get a MinHash signature of their character 3-grams
(computed for all of them together with numpy) and go into a datasketch ``MinHashLSH``, whose
buckets give candidate pairs without comparing every sentence with every other. A candidate pair
whose exact 3-gram Jaccard reaches ``SIMILARITY`` joins one group; a group used by reports of at
least ``MIN_ISSUERS`` different issuers (names matched by ``copying.match_issuers``) is a template.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from analyzer.checks.copying import jaccard, match_issuers, name_variants, sentences, shingles

MIN_ISSUERS = 3
SIMILARITY = 0.6  # 3-gram Jaccard of normalised sentences from which two are one template's variants
LSH_THRESHOLD = 0.4  # below SIMILARITY, so that pairs near it are rarely missed by the buckets
NUM_PERM = 64
MIN_CHARS = 12  # shorter sentences (现将有关情况报告如下) are formulas, not templates
_PRIME = (1 << 31) - 1
_CHUNK = 100_000  # 3-gram positions hashed at once: bounds memory to NUM_PERM × _CHUNK × 8 bytes


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
    """Templates among ``reports``: mappings with sha256, issuer, year, paragraphs (body texts) and
    optionally indexes (each paragraph's index in its report), or ``Analysis`` objects. Most used first."""
    records = [text_record(r) for r in reports]
    canonical = match_issuers(r["issuer"] for r in records)
    by_key: dict[str, list[tuple[int, object]]] = {}
    for number, record in enumerate(records):
        for sentence in sentences(record["paragraphs"], names=name_variants(record["issuer"])):
            if len(sentence.exact) >= MIN_CHARS:
                by_key.setdefault(sentence.key, []).append((number, sentence))
    keys = list(by_key)
    groups = _similar_groups(keys)
    templates = []
    for members in groups:
        uses = [use for k in members for use in by_key[keys[k]]]
        issuers = {canonical.get(records[n]["issuer"]) for n, _ in uses} - {None}
        if len(issuers) < min_issuers:
            continue
        occurrences = [_occurrence(records[n], s) for n, s in uses]
        wording = Counter(o.text for o in occurrences).most_common(1)[0][0]
        first_names = {}
        for o in occurrences:
            first_names.setdefault(canonical.get(o.issuer), o.issuer)
        templates.append(Template(
            id=hashlib.sha1(min(keys[k] for k in members).encode("utf-8")).hexdigest()[:12],
            text=wording,
            issuers=sorted(v for k, v in first_names.items() if k),
            years=sorted({o.year for o in occurrences if o.year is not None}),
            occurrences=sorted(occurrences, key=lambda o: (o.issuer or "", o.year or 0, o.sha256, o.paragraph, o.start)),
        ))
    return sorted(templates, key=lambda t: (-len(t.issuers), -len(t.occurrences), t.id))


def _occurrence(record: Mapping, sentence) -> Occurrence:
    indexes = record.get("indexes")
    paragraph = indexes[sentence.paragraph] if indexes else sentence.paragraph
    return Occurrence(record["sha256"], record["issuer"], record["year"], paragraph, sentence.start, sentence.end,
                      sentence.text)


def _similar_groups(keys: list[str]) -> list[list[int]]:
    """Groups of key numbers joined by candidate pairs from the LSH buckets that pass ``SIMILARITY``."""
    from datasketch import LeanMinHash, MinHashLSH

    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(keys) > 1:
        signatures = minhash_signatures(keys)
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        for i, signature in enumerate(signatures):
            # "legacy": datasketch's name for affine hashes modulo a prime, which these are
            lsh.insert(i, LeanMinHash(seed=1, hashvalues=signature, scheme="legacy"), check_duplication=False)
        grams: dict[int, set[str]] = {}
        checked: set[tuple[int, int]] = set()
        for table in lsh.hashtables:
            for bucket in table.keys():
                members = sorted(table.get(bucket))
                for a, b in _pairs(members):
                    if root(a) == root(b) or (a, b) in checked:
                        continue
                    checked.add((a, b))
                    ga = grams.setdefault(a, shingles(keys[a]))
                    gb = grams.setdefault(b, shingles(keys[b]))
                    if jaccard(ga, gb) >= SIMILARITY:
                        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _pairs(members: list[int], *, limit: int = 40):
    """Candidate pairs of a bucket: all of a small one; in a crowded one (a formula many sentences
    share), each member against the first ``limit`` only, so that the cost stays linear."""
    for i, a in enumerate(members):
        for b in members[i + 1 : i + 1 + limit] if len(members) > limit else members[i + 1 :]:
            yield a, b


def minhash_signatures(texts: list[str], *, num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures (texts × num_perm, uint64) of each text's character 3-grams, for all texts
    at once: the 3-grams are hashed from the code points with numpy instead of one Python call each."""
    rng = np.random.RandomState(seed)
    a = rng.randint(1, _PRIME, size=num_perm, dtype=np.uint64)
    b = rng.randint(0, _PRIME, size=num_perm, dtype=np.uint64)
    out = np.empty((len(texts), num_perm), dtype=np.uint64)
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
    hashed = (a[:, None] * gram[valid][None, :] + b[:, None]) % np.uint64(_PRIME)
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
