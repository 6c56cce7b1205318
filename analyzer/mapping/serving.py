"""Serving the section classifier without scikit-learn.

Training uses scikit-learn (``classifier``); serving only needs the fitted vocabularies, IDF
weights and logistic-regression coefficients. ``CompactModel`` recomputes the same TF-IDF features
with numpy and applies the same softmax, so a report is scored without importing scikit-learn or
SciPy (seconds of start-up on a 2-core machine). A test checks it agrees with the sklearn pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import accumulate, chain, count, repeat
from pathlib import Path

import numpy as np

from analyzer.cache import cached
from analyzer.doc import Doc
from analyzer.folding import folding_weights
from analyzer.mapping.features import BLOCKS, WORD_BLOCKS, paragraph_items

_LOOKUP_KEYS = count()  # each vocabulary's looked-up ids are kept in the items under a key of its own


@dataclass
class Block:
    """A fitted TF-IDF vectorizer over one feature block of a paragraph (``features.BLOCKS[name]``:
    words and bigrams, lead clause, heading words, position; sublinear tf, l2 norm), as data."""

    name: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int = 0
    weight: float = 1.0  # the block's weight in the feature union
    # A block whose vocabulary holds every term of this one (see ``share_vocabulary``), and the map
    # from its columns to this block's (-1: not ours; the last slot maps its -1 to -1).
    parent: Block | None = field(default=None, repr=False)
    from_parent: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        self._key = f"ids{next(_LOOKUP_KEYS)}"
        self._pairs: WordPairs | None = None  # built at the first look-up (``WORD_BLOCKS`` only)

    def transform(self, items: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The non-zero TF-IDF features of a whole document at once, as (rows, columns, values):
        the counting and weighting in numpy."""
        rows, cols, values, _ = self.features(items)
        return rows, cols, values

    def features(self, items: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``transform``'s (rows, columns, values), sorted by row then column, and where each row's
        run starts (``np.add.reduceat``'s segments). Counting is ``np.unique`` written out with
        ``return_counts``: a report costs a few dozen numpy calls, and on a short one their
        overhead, not their work, is the time (same sort, same counts, same sums in the same order)."""
        rows, ids = self.lookup(items)
        known = ids >= 0
        if not known.any():
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0), empty
        width = len(self.vocabulary)
        keys = rows[known] * width + ids[known]
        keys.sort()
        first = np.empty(len(keys), dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        at = first.nonzero()[0]
        counts = np.empty_like(at)
        counts[:-1] = at[1:] - at[:-1]
        counts[-1] = len(keys) - at[-1]
        rows_, cols_ = np.divmod(keys[at], width)
        values = (np.log(counts) + 1.0) * self.idf[cols_]
        norms = np.sqrt(np.bincount(rows_, weights=values * values, minlength=len(items)))
        new_row = np.empty(len(rows_), dtype=bool)
        new_row[0] = True
        np.not_equal(rows_[1:], rows_[:-1], out=new_row[1:])
        return rows_, cols_ + self.offset, values * (self.weight / norms[rows_]), new_row.nonzero()[0]

    def lookup(self, items: list[dict]) -> tuple[np.ndarray, np.ndarray]:
        """(item row, vocabulary column or -1) of every term of every item. Dictionary lookups are
        the dearest step of serving, so each item keeps its ids, and a block sharing a parent's
        vocabulary translates the parent's ids instead of looking the terms up again."""
        if self.parent is not None:
            rows, parent_ids = self.parent.lookup(items)
            return rows, self.from_parent[parent_ids]
        missing = [item for item in items if self._key not in item]
        if missing:
            for item, ids in zip(missing, self._look_up(missing)):
                item[self._key] = ids
        per_item = [item[self._key] for item in items]
        rows = np.arange(len(items)).repeat([len(ids) for ids in per_item])
        return rows, np.concatenate(per_item) if per_item else np.zeros(0, dtype=np.int64)

    def _look_up(self, items: list[dict]) -> list[np.ndarray]:
        """Each item's vocabulary columns, in the order of its terms: a block of words and bigrams
        (``features.WORD_BLOCKS``) through its ``WordPairs`` (all items at once), any other block
        term by term."""
        if self.name in WORD_BLOCKS:
            field, prefix = WORD_BLOCKS[self.name]
            if self._pairs is None:
                self._pairs = WordPairs(self.vocabulary, prefix=prefix)
            return self._pairs.columns(items, field=field)
        terms = list(map(BLOCKS[self.name], items))
        ends = list(accumulate(map(len, terms)))
        ids = np.fromiter(map(self.vocabulary.get, chain.from_iterable(terms), repeat(-1)), dtype=np.int64,
                          count=ends[-1] if ends else 0)  # one look-up loop for the document, cut per item
        return [ids[end - len(t):end] for t, end in zip(terms, ends)]

    def share_vocabulary(self, parent: Block) -> bool:
        """Look terms up through ``parent`` if its vocabulary holds all of this block's terms."""
        get = parent.vocabulary.get
        columns = np.fromiter(map(get, self.vocabulary, repeat(-1)), dtype=np.int64, count=len(self.vocabulary))
        if (columns < 0).any():
            return False
        self.from_parent = np.full(len(parent.vocabulary) + 1, -1, dtype=np.int64)
        self.from_parent[columns] = np.fromiter(self.vocabulary.values(), dtype=np.int64, count=len(self.vocabulary))
        self.parent = parent
        return True


class WordPairs:
    """A words block's vocabulary (``features.WORD_BLOCKS``: ``prefix`` + words, then ``prefix`` +
    ``a_b`` bigrams of neighbouring words) read as words and pairs of words, so that a document's
    terms are looked up without building their strings: each word is looked up once, and the
    bigrams are found as pairs of word numbers in a hash table (``KeyTable``), the whole document
    at once. Terms without the prefix are never a block's term: they are left out.

    A bigram ``a_b`` is in the vocabulary exactly when some vocabulary term splits at one of its
    underscores into ``a`` and ``b``; every such split is registered, so words holding ``_``
    resolve as the string lookup would (tested against it over the corpus)."""

    def __init__(self, vocabulary: dict[str, int], *, prefix: str = ""):
        if prefix:
            vocabulary = {term[len(prefix):]: column for term, column in vocabulary.items() if term.startswith(prefix)}
        self.vocabulary = vocabulary
        # The words alone (an eighth of the terms): a report's ~1,600 look-ups stay in the CPU's
        # cache, where the whole vocabulary's table costs a cache miss or two per word. A word
        # holding ``_`` may spell a bigram term: such a document looks up in the whole vocabulary.
        self.words = {term: column for term, column in vocabulary.items() if "_" not in term}
        # Splitting every bigram term costs more than a short report's analysis: the table is
        # kept in the disk cache, keyed by the terms in column order.
        table = cached("word-pairs", ["\0".join(vocabulary).encode("utf-8")], lambda: _pair_table(vocabulary),
                       code=(__file__,))
        # A word's number is its column + 1 (0: unknown); bigram halves that are not terms
        # themselves (none in the shipped model) are numbered after the vocabulary.
        size = _size(vocabulary)
        self.others = dict(zip(table["others"], range(size + 1, size + 1 + len(table["others"]))))
        self.column = np.arange(-1, size + len(self.others), dtype=np.int64)
        self.column[size + 1:] = -1
        self.pair_keys = np.asarray(table["keys"], dtype=np.int64)
        self.pair_columns = np.asarray(table["columns"], dtype=np.int64)
        self.width = len(self.column)
        self.pairs = KeyTable(self.pair_keys, self.pair_columns)

    def numbers(self, words: list[str], *, underscores: bool = True) -> np.ndarray:
        """Each word's number: its vocabulary column + 1, a bigram half's own number, or 0
        (``underscores=False``: no word holds ``_``, so the words' table alone answers)."""
        get = self.vocabulary.get if underscores else self.words.get
        known = np.fromiter(map(get, words, repeat(-1)), dtype=np.int64, count=len(words)) + 1
        if self.others:
            for k in np.flatnonzero(known == 0).tolist():
                known[k] = self.others.get(words[k], 0)
        return known

    def columns(self, items: list[dict], *, field: str = "words") -> list[np.ndarray]:
        """Each item's vocabulary columns (-1: unknown) of the words in its ``field``, then of their
        bigrams: the order of the block's terms (``terms_of(item)`` for the words)."""
        words = [item.get(field, []) for item in items]
        lengths = [len(w) for w in words]
        # Words are cut from their paragraph's text: without an ``_`` in it, no word holds one.
        underscores = any("_" in item.get("text", "_") for item in items)
        coded = self.numbers(list(chain.from_iterable(words)), underscores=underscores)
        unigrams = self.column[coded]
        bigrams = self._pair_columns(coded)
        ends = np.cumsum(lengths)
        return [np.concatenate((unigrams[end - n:end], bigrams[end - n:end - 1] if n else bigrams[:0]))
                for n, end in zip(lengths, ends.tolist())]

    def _pair_columns(self, coded: np.ndarray) -> np.ndarray:
        """Column of the bigram of each word and the next (-1: none), plus a padding -1 at the end;
        the pairs across two items are computed too but never read."""
        columns = np.full(len(coded), -1, dtype=np.int64)
        if not len(self.pair_keys) or len(coded) < 2:
            return columns
        first, second = coded[:-1], coded[1:]
        known = np.flatnonzero((first > 0) & (second > 0))  # a pair of known words: a key above zero
        columns[known] = self.pairs.get(first[known] * self.width + second[known])
        return columns


class KeyTable:
    """Keys (above zero) → values, looked up for a whole array of keys at once: an open-addressing
    hash table (linear probing, at most a quarter full) in two numpy arrays. A report's ~1,600 word
    pairs are found in ~1.2 probes each on average, where ``numpy.searchsorted`` in the sorted
    keys costs ~16 binary-search steps with a cache miss each: 2.4x faster over the corpus. Built
    in ~10 ms when the model is first used. A key held twice gives its first value (as the leftmost
    of ``searchsorted``); a missing key gives -1."""

    _SPREAD = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key × 2^64/φ

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        bits = max(4, (4 * len(keys)).bit_length())
        self._shift, self._mask = np.uint64(64 - bits), (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.int64)  # 0: an empty slot
        self._values = np.full(1 << bits, -1, dtype=np.int64)
        pending, slots = np.arange(len(keys)), self._slots(keys)
        while len(pending):  # each round, every free slot claimed takes its first claimant
            free = self._keys[slots] == 0
            taken, first = np.unique(slots[free], return_index=True)
            placed = pending[free][first]
            self._keys[taken], self._values[taken] = keys[placed], values[placed]
            going = np.ones(len(pending), dtype=bool)
            going[np.flatnonzero(free)[first]] = False
            pending, slots = pending[going], (slots[going] + 1) & self._mask  # the rest probe on

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * self._SPREAD) >> self._shift).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """Each key's value, or -1."""
        found = np.full(len(keys), -1, dtype=np.int64)
        at, slots = np.arange(len(keys)), self._slots(keys)
        while len(at):
            held = self._keys[slots]
            hit = held == keys[at]
            found[at[hit]] = self._values[slots[hit]]
            going = ~hit & (held != 0)
            at, slots = at[going], (slots[going] + 1) & self._mask
        return found


class CompactModel:
    """Numpy-only scorer with the ``ParagraphScorer`` interface; learned state loaded from disk."""

    def __init__(self, blocks: list[Block], coef: np.ndarray, intercept: np.ndarray, classes: list[str], stay: float,
                 *, multilabel: bool = False, temperature: float = 1.0, override: float | None = None,
                 closing: tuple[str, ...] | list[str] = (), start: dict[str, float] | None = None):
        self.blocks = blocks
        self.coef_ = coef
        self.intercept_ = intercept
        self.classes_ = classes
        self.stay_ = stay
        self.multilabel = multilabel  # one sigmoid per class (elements) instead of one softmax (sections)
        self.temperature_ = temperature  # softmax temperature fitted on out-of-fold scores (calibration)
        self.override_ = override  # probability above which content overrides its heading (None: default)
        self.closing_ = tuple(closing)  # labels after which no task comes (sections.viterbi)
        self.start_ = dict(start or {})  # how likely each label opens a report's body (sections.viterbi)
        # Features × classes, contiguous: a document's features gather whole rows. Kept in the stored
        # float32 (no copy when loaded from disk); gathered rows are widened to float64 exactly.
        self._coef_t = np.ascontiguousarray(coef.T)
        self._column = {c: k for k, c in enumerate(classes)}  # class → its column (``classes_.index``)

    def predict_proba(self, structure: Doc) -> np.ndarray:
        return self.predict_items(paragraph_items(structure))

    def predict_items(self, items: list[dict], *, classes: list[str] | None = None) -> np.ndarray:
        """Probabilities per item (rows) and class (columns: ``classes_``, or only ``classes`` of a
        multilabel model, e.g. the elements no term has evidenced: the cost grows with the columns)."""
        if classes is not None and not self.multilabel:
            raise ValueError("a softmax over a subset of the classes is not the model's probability")
        keep = None if classes is None else np.array([self._column[c] for c in classes], dtype=np.int64)
        intercept = self.intercept_ if keep is None else self.intercept_[keep]
        scores = np.empty((len(items), len(intercept)))
        scores[:] = intercept  # widened to float64 as ``np.tile(...).astype`` did
        for block in self.blocks:
            rows, cols, values, starts = block.features(items)
            if len(rows):  # sum each paragraph's run of weighted coefficient rows
                gathered = self._coef_t.take(cols, axis=0)  # several times faster than coef_t[cols]
                weighted = (gathered if keep is None else gathered[:, keep]) * values[:, None]
                scores[rows[starts]] += np.add.reduceat(weighted, starts, axis=0)
        return self.probabilities(scores)

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities from summed scores (changed in place): one sigmoid per class for a
        multilabel model, else the softmax at the fitted temperature."""
        if self.multilabel:
            return 1.0 / (1.0 + np.exp(-scores))
        scores /= self.temperature_
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def share_vocabulary(self, other: CompactModel) -> bool:
        """Serve this model's terms through ``other``'s vocabulary (same-named blocks) where it holds
        them all: the element model's words are a subset of the section model's, so a document's
        terms are looked up once for both. Predictions are unchanged (tested)."""
        parents = {b.name: b for b in other.blocks}
        return all(b.name in parents and b.share_vocabulary(parents[b.name]) for b in self.blocks)

    def score(self, structure: Doc, labels: list[str]) -> list[dict[str, float]]:
        return fold_probabilities(self.predict_proba(structure), self.classes_, labels)

    def save(self, path: Path) -> None:
        """``path`` (.npz: coefficients, IDF arrays) and ``path`` with .json (classes, and each
        block's terms in column order). Stored for loading speed, not size: an uncompressed .npz
        and a JSON list load several times faster than a compressed archive and a JSON object."""
        arrays = {"coef_t": self._coef_t, "intercept": self.intercept_}
        meta = {"classes": self.classes_, "stay": self.stay_, "multilabel": self.multilabel,
                "temperature": self.temperature_, "override": self.override_, "closing": list(self.closing_),
                "start": self.start_,
                "blocks": []}
        for k, b in enumerate(self.blocks):
            arrays[f"idf{k}"] = b.idf.astype(np.float32)
            terms = sorted(b.vocabulary, key=b.vocabulary.__getitem__)
            meta["blocks"].append({"name": b.name, "terms": terms, "offset": b.offset, "weight": b.weight})
        np.savez(path, **arrays)
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CompactModel:
        arrays = np.load(path)
        meta = json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
        blocks = [
            Block(b["name"], _vocabulary(b), arrays[f"idf{k}"].astype(np.float64), b["offset"], b.get("weight", 1.0))
            for k, b in enumerate(meta["blocks"])
        ]
        return cls(blocks, arrays["coef_t"].T, arrays["intercept"], meta["classes"], meta["stay"],
                   multilabel=meta.get("multilabel", False), temperature=meta.get("temperature", 1.0),
                   override=meta.get("override"), closing=meta.get("closing", ()), start=meta.get("start"))


def _pair_table(vocabulary: dict[str, int]) -> dict[str, list]:
    """Every way a term splits at an underscore into two halves, as sorted pair keys (the halves'
    word numbers, ``WordPairs``) and the term's column; the halves that are not terms themselves."""
    pairs = [(term.split("_"), column) for term, column in vocabulary.items() if "_" in term]
    firsts = [_join(parts[:k]) for parts, _ in pairs for k in range(1, len(parts))]
    seconds = [_join(parts[k:]) for parts, _ in pairs for k in range(1, len(parts))]
    columns = np.fromiter((column for parts, column in pairs for _ in range(1, len(parts))), dtype=np.int64,
                          count=len(firsts))
    others = [h for h in dict.fromkeys(chain(firsts, seconds)) if h not in vocabulary]
    size = _size(vocabulary)
    numbered = dict(zip(others, range(size + 1, size + 1 + len(others))))
    width = size + len(others) + 1
    keys = _half_numbers(firsts, vocabulary, numbered) * width + _half_numbers(seconds, vocabulary, numbered)
    order = np.argsort(keys, kind="stable")
    return {"others": others, "keys": keys[order].tolist(), "columns": columns[order].tolist()}


def _half_numbers(halves: list[str], vocabulary: dict[str, int], others: dict[str, int]) -> np.ndarray:
    """Word numbers of bigram halves: a term's column + 1, else its number among ``others``."""
    numbers = np.fromiter(map(vocabulary.get, halves, repeat(-1)), dtype=np.int64, count=len(halves)) + 1
    for k in np.flatnonzero(numbers == 0).tolist():
        numbers[k] = others[halves[k]]
    return numbers


def _size(vocabulary: dict[str, int]) -> int:
    """Columns of a vocabulary (0 … n-1 in the shipped models, but never assumed)."""
    return max(vocabulary.values(), default=-1) + 1


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "_".join(parts)


def _vocabulary(block: dict) -> dict[str, int]:
    return dict(zip(block["terms"], range(len(block["terms"]))))


def fold_probabilities(proba: np.ndarray, classes: list[str], labels: list[str]) -> list[dict[str, float]]:
    """Sum each target label's own probability and that of its equivalents in the other era
    (``folding``). A 2015 section that maps onto two 2021 parts (S7 → P1, P10) is shared in proportion."""
    folded = proba @ np.asarray(folding_weights(tuple(classes), tuple(labels)))
    totals = folded.sum(axis=1, keepdims=True)
    folded /= np.where(totals > 0, totals, 1.0)
    return [dict(zip(labels, row)) for row in folded.tolist()]
