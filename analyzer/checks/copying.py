"""Copied text: sentences of one report found again in another, even with this year's figures.

Each sentence is normalised before comparison: width-folded, without white space and punctuation,
and with every figure, year, date, percentage and 文号 replaced by one token of its kind (the
original text is kept for display). A later sentence is then

- ``verbatim`` when an earlier sentence is identical after that folding,
- ``figures_changed`` when the two differ only in such tokens ("办理案件15件" / "办理案件18件"),
- ``near`` when the character 3-grams of the normalised sentences overlap by Jaccard >= ``NEAR``, or
  those of one are contained in the other's by ``CONTAINED`` (a clause added to or cut from last
  year's sentence),

and not copied otherwise. The share is counted in body sentences, as a reviewer counts (headings
and title/signature lines are left out by the caller through ``skip``); the share of characters is
given beside it. ``CopyIndex`` finds candidate source reports among many with MinHash LSH.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analyzer.ingest.normalize import normalize_width
from analyzer.result import CopiedPassage, Copying
from analyzer.text.structure import split_sentences

KINDS = ("verbatim", "figures_changed", "near")
SHINGLE = 3
MIN_SENTENCE = 6  # sentences shorter than this (without punctuation) say nothing about copying and are not counted
# Set on the five authored pairs of corpora/copying (positives: their lightly edited sentences reach
# 3-gram Jaccard 0.47+ and containment 0.70+) and on 60 pairs of reports of different issuers in
# corpora/src (negatives: at these values 0.9% of 3,661 body sentences match one of the other report,
# most of them stock formulas printed identically in every report, 现将有关情况报告如下).
NEAR = 0.45  # Jaccard of normalised 3-grams from which an edited sentence still counts as copied
CONTAINED = 0.7  # share of the shorter sentence's 3-grams found in the longer one, likewise
MIN_CONTAINED = 15  # 3-grams the shorter sentence needs for containment to count (not a stock phrase)
_IGNORED = re.compile(r"[\s,.:;!?、。:;,“”\"'()《》<>\[\]【】〔〕·—\-‘’…]+")

# Placeholder characters (Unicode private use) that stand for one figure each in a normalised sentence.
TOKENS = {"doc_number": "\ue001", "date": "\ue002", "percent": "\ue003", "year": "\ue004", "number": "\ue005",
          "issuer": "\ue006"}
_CN = "零〇一二两三四五六七八九十"
_CN_NUMBER = f"[{_CN}][{_CN}百千万亿]*"
_UNITS = "件次项个人名家条部场期批余多倍户起元篇份所座台辆宗类轮支天日月年届周岁米亩吨万亿处张册本套间栋块棵株公千"
_FIGURE_KINDS = (
    ("doc_number", r"[\[〔【(]\s*(?:19|20)\d{2}\s*[\]〕】)]\s*(?:第\s*)?\d{1,5}\s*号|第\s*\d{1,5}\s*号"),
    ("date", r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
             r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?"
             r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
             r"|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}"),
    ("percent", r"\d+(?:\.\d+)?\s*[%‰]|百分之[零〇一二两三四五六七八九十百点]+"),
    ("year", r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}\s*年度?"),
    ("number", rf"\d+(?:[.,]\d+)*(?:\s*[万亿])?|{_CN_NUMBER}(?=[{_UNITS}])|(?<=第){_CN_NUMBER}"),
)
# Every figure starts with a digit, a Chinese numeral, 百 (百分之) or an opening bracket or 第 (文号):
# the look-ahead lets the engine pass other characters at once instead of trying each alternative
# there (same matches, tested over the corpus; most of the time of normalising a sentence).
_FIGURE_START = rf"[\d{_CN}百\[〔【(第]"
_FIGURES = re.compile(f"(?={_FIGURE_START})(?:"
                      + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _FIGURE_KINDS) + ")")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence ready for comparison, with where it sits and its normalised forms."""

    paragraph: int
    start: int
    end: int
    text: str
    exact: str  # width-folded, without white space and punctuation
    key: str  # ``exact`` with each figure replaced by its token
    figures: tuple[tuple[int, int, str], ...]  # (start, end, folded text) of each figure, offsets in ``text``


def normalise(text: str, *, names: Sequence[str] = ()) -> tuple[str, str, tuple[tuple[int, int, str], ...]]:
    """``(exact, key, figures)`` of a sentence; ``names`` (issuer names, longest first) also become a token."""
    return _normalise_folded(normalize_width(text), _pattern(tuple(names)))


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """The issuer's names as one pattern (a small one: compiling the figures with it for every issuer would cost more)."""
    return re.compile("|".join(map(re.escape, names))) if names else None


def _normalise_folded(folded: str, names: re.Pattern | None) -> tuple[str, str, tuple[tuple[int, int, str], ...]]:
    matches = [(m.start(), m.end(), m.lastgroup) for m in _FIGURES.finditer(folded)]
    if names is not None:
        found = [(m.start(), m.end(), "issuer") for m in names.finditer(folded)]
        if found:  # a name wins over a figure it overlaps (市第一中学 is a name, not a count)
            matches = sorted(found + [f for f in matches if not any(s < f[1] and f[0] < e for s, e, _ in found)])
    key, figures, at = [], [], 0
    for start, end, kind in matches:
        key.append(_IGNORED.sub("", folded[at:start]))
        key.append(TOKENS[kind])
        if kind != "issuer":
            figures.append((start, end, folded[start:end].replace(" ", "")))
        at = end
    key.append(_IGNORED.sub("", folded[at:]))
    return _IGNORED.sub("", folded), "".join(key), tuple(figures)


def sentences(paragraphs: Sequence[str], *, spans: Sequence[Sequence[Sequence[int]]] | None = None,
              skip: Iterable[int] = (), names: Sequence[str] = ()) -> list[Sentence]:
    """The comparable sentences of ``paragraphs`` (``spans``: their sentence spans if already known),
    leaving out the paragraphs in ``skip`` and sentences under ``MIN_SENTENCE`` characters."""
    skipped = set(skip)
    pattern = _pattern(tuple(names))
    out = []
    for index, paragraph in enumerate(paragraphs):
        if index in skipped:
            continue
        folded = normalize_width(paragraph)  # one character for one: offsets stay those of the paragraph
        cuts = spans[index] if spans is not None and spans[index] else split_sentences(paragraph)
        for start, end in cuts:
            exact, key, figures = _normalise_folded(folded[start:end], pattern)
            if len(exact) >= MIN_SENTENCE:
                out.append(Sentence(index, start, end, paragraph[start:end], exact, key, figures))
    return out


# Joins a paragraph's sentences so that they are matched in one pass: no figure or name pattern
# matches it, and a look-behind or look-ahead at it fails as at the end of a lone sentence.
_SEPARATOR = "\x00"
# What a figure match can consume: a name with none of these characters never overlaps a figure.
_FIGURE_CHARS = frozenset("0123456789" + _CN + "百千万亿点年月日度第号分之%‰.,-/[]〔〕【】() ")


def sentence_keys(paragraphs: Sequence[str], *, names: Sequence[str] = (),
                  min_chars: int = MIN_SENTENCE) -> list[tuple[int, int, int, str]]:
    """``(paragraph, start, end, key)`` of every sentence whose ``exact`` form has at least
    ``min_chars`` characters: the keys ``sentences`` gives, for readers that need nothing else (the
    templates of a whole store). A paragraph's sentences are normalised together, one substitution
    per kind instead of a few per sentence, which is several times faster; where an issuer's name
    could overlap a figure (市第一中学) the paragraph takes ``sentences``' own path, whose rule
    (the name wins) a plain substitution cannot follow."""
    pattern = _pattern(tuple(names))
    risky = pattern is not None and any(ch in _FIGURE_CHARS for name in names for ch in name)
    out = []
    for index, paragraph in enumerate(paragraphs):
        folded = normalize_width(paragraph)
        cuts = split_sentences(paragraph)
        if _SEPARATOR in folded or (risky and pattern.search(folded)):
            out += [(index, s.start, s.end, s.key) for s in sentences([paragraph], spans=[cuts], names=names)
                    if len(s.exact) >= min_chars]
            continue
        joined = _SEPARATOR.join(folded[start:end] for start, end in cuts)
        keyed = _FIGURES.sub(_token, joined)
        if pattern is not None:
            keyed = pattern.sub(TOKENS["issuer"], keyed)
        exacts = _IGNORED.sub("", joined).split(_SEPARATOR)
        keys = _IGNORED.sub("", keyed).split(_SEPARATOR)
        out += [(index, start, end, key) for (start, end), exact, key in zip(cuts, exacts, keys) if len(exact) >= min_chars]
    return out


def _token(match: re.Match) -> str:
    return TOKENS[match.lastgroup]


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Character k-grams of an already normalised text (the text itself when shorter)."""
    if len(text) < k:
        return {text} if text else set()
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity(shared: int, size_a: int, size_b: int) -> float:
    """How alike two sentences with ``shared`` of their 3-grams are: the Jaccard index, or the
    containment of the shorter in the longer when that is the stronger evidence; 0.0 below both
    thresholds (not copied)."""
    jaccard_index = shared / (size_a + size_b - shared)
    shorter = min(size_a, size_b)
    contained = shared / shorter if shorter >= MIN_CONTAINED else 0.0
    if jaccard_index >= NEAR or contained >= CONTAINED:
        return max(jaccard_index, contained)
    return 0.0


class SentenceIndex:
    """The earlier report's sentences, looked up by exact text, by key, and by shared 3-grams.

    The 3-grams are numbers (three code points, 21 bits each), held in numpy arrays for the whole
    report: each sentence's distinct 3-grams, and for each 3-gram the sentences holding it
    (postings). ``match_all`` counts the 3-grams every later sentence shares with every earlier one
    in one pass over those arrays, where a Python loop per sentence built sets of strings and a
    Counter. Among earlier sentences equally similar to a later one, the earliest is its source
    (before: the first the Counter met, an order that followed the hashing of strings)."""

    def __init__(self, earlier: Sequence[Sentence]):
        self.sentences = list(earlier)
        self.exact: dict[str, int] = {}
        self.key: dict[str, int] = {}
        for i, sentence in enumerate(self.sentences):
            self.exact.setdefault(sentence.exact, i)
            self.key.setdefault(sentence.key, i)
        owners, codes = gram_codes([s.key for s in self.sentences])
        self.sizes = np.bincount(owners, minlength=len(self.sentences))  # distinct 3-grams per sentence
        self.vocabulary, grams = np.unique(codes, return_inverse=True)
        order = np.lexsort((owners, grams))  # postings: by 3-gram, then sentence
        self.postings = owners[order]
        self.offsets = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(grams, minlength=len(self.vocabulary)), out=self.offsets[1:])

    def match(self, sentence: Sentence) -> tuple[int, str, float] | None:
        """(earlier sentence, kind, similarity) of the best source of ``sentence``, or None."""
        return self.match_all([sentence])[0]

    def match_all(self, later: Sequence[Sentence]) -> list[tuple[int, str, float] | None]:
        """``match`` of each of ``later``: identical or figures-only matches by look-up, the rest by
        their shared 3-grams, all sentences at once."""
        out: list[tuple[int, str, float] | None] = [None] * len(later)
        near = []
        for j, sentence in enumerate(later):
            if sentence.exact in self.exact:
                out[j] = self.exact[sentence.exact], "verbatim", 1.0
            elif sentence.key in self.key:
                out[j] = self.key[sentence.key], "figures_changed", 1.0
            else:
                near.append(j)
        best, scores = self._best([later[j].key for j in near])
        for j, i, score in zip(near, best.tolist(), scores.tolist()):
            if i >= 0:
                out[j] = i, "near", round(score, 3)
        return out

    def _best(self, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each key, the earlier sentence most similar to it (``similarity`` of their shared
        3-grams; the earliest among equals) and that similarity; -1 and 0.0 when none is similar."""
        best, scores = np.full(len(keys), -1, dtype=np.int64), np.zeros(len(keys))
        owners, codes = gram_codes(keys)
        if not len(codes) or not len(self.vocabulary):
            return best, scores
        sizes = np.bincount(owners, minlength=len(keys))
        at = np.minimum(np.searchsorted(self.vocabulary, codes), len(self.vocabulary) - 1)
        known = self.vocabulary[at] == codes
        owners, grams = owners[known], at[known]
        # every (later, earlier) pair sharing a 3-gram, once per shared 3-gram
        counts = self.offsets[grams + 1] - self.offsets[grams]
        firsts = np.repeat(self.offsets[grams] - (np.cumsum(counts) - counts), counts)
        earlier = self.postings[firsts + np.arange(counts.sum())]
        width = len(self.sentences)
        pairs, shared = np.unique(np.repeat(owners, counts) * width + earlier, return_counts=True)
        later, earlier = np.divmod(pairs, width)
        similar = _similarity(shared, sizes[later], self.sizes[earlier])
        hit = similar > 0
        later, earlier, similar = later[hit], earlier[hit], similar[hit]
        order = np.lexsort((earlier, -similar, later))  # per later sentence: most similar, then earliest
        first = np.ones(len(order), dtype=bool)
        first[1:] = later[order][1:] != later[order][:-1]
        chosen = order[first]
        best[later[chosen]] = earlier[chosen]
        scores[later[chosen]] = similar[chosen]
        return best, scores


def _similarity(shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """``similarity`` of many pairs at once (the same float operations, element by element)."""
    jaccard_index = shared / (size_a + size_b - shared)
    shorter = np.minimum(size_a, size_b)
    contained = np.where(shorter >= MIN_CONTAINED, shared / shorter, 0.0)
    return np.where((jaccard_index >= NEAR) | (contained >= CONTAINED), np.maximum(jaccard_index, contained), 0.0)


def gram_codes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(key number, 3-gram number) of each distinct 3-gram of each key, by key then number; a key
    shorter than three characters is its own gram (``shingles``), numbered below zero by length."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    points = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    grams = np.maximum(lengths - 2, 0)
    owners = np.repeat(np.arange(len(keys)), grams)
    at = np.arange(grams.sum()) + np.repeat(starts - (np.cumsum(grams) - grams), grams)
    codes = (points[at] << 42) | (points[at + 1] << 21) | points[at + 2]
    short = np.flatnonzero((lengths > 0) & (lengths < 3))
    if len(short):
        two = lengths[short] == 2
        first, second = points[starts[short]], points[np.minimum(starts[short] + 1, len(points) - 1)]
        short_codes = np.where(two, -1 - ((first << 21) | second), -(1 << 43) - first)
        owners, codes = np.concatenate((owners, short)), np.concatenate((codes, short_codes))
    if not len(codes):
        return owners, codes
    vocabulary, inverse = np.unique(codes, return_inverse=True)
    owners, numbers = np.divmod(np.unique(owners * len(vocabulary) + inverse), len(vocabulary))
    return owners, vocabulary[numbers]


def compare_sentences(later: Sequence[Sentence], earlier: Sequence[Sentence] | SentenceIndex) -> Copying:
    """Which of ``later`` (the counted body sentences) repeat one of ``earlier``, and the shares."""
    index = earlier if isinstance(earlier, SentenceIndex) else SentenceIndex(earlier)
    passages = []
    for sentence, found in zip(later, index.match_all(later)):
        if found is None:
            continue
        i, kind, similarity = found
        source = index.sentences[i]
        passages.append(CopiedPassage(
            later_paragraph=sentence.paragraph, later_span=[sentence.start, sentence.end], later=sentence.text,
            earlier_paragraph=source.paragraph, earlier=source.text, kind=kind, similarity=similarity,
            changed=changed_spans(sentence, source, kind),
        ))
    chars = sum(len(s.text) for s in later)
    counts = dict.fromkeys(KINDS, 0)
    for passage in passages:
        counts[passage.kind] += 1
    return Copying(
        share=round(len(passages) / len(later), 4) if later else 0.0,
        chars_share=round(sum(len(p.later) for p in passages) / chars, 4) if chars else 0.0,
        sentences=len(later), copied_sentences=len(passages), counts=counts, passages=passages,
    )


def compare_paragraphs(later: Sequence[str], earlier: Sequence[str], *, skip: Iterable[int] = frozenset(),
                       spans: Sequence[Sequence[Sequence[int]]] | None = None) -> Copying:
    """How much of ``later`` (paragraph texts) repeats ``earlier``. ``skip``: later paragraphs that are
    not body text (headings, title and signature lines), neither counted nor marked; ``spans``: the
    later paragraphs' sentence spans when the analysis already has them."""
    return compare_sentences(sentences(later, spans=spans, skip=skip), sentences(earlier))


def changed_spans(later: Sentence, earlier: Sentence, kind: str) -> list[list[int]]:
    """Spans of ``later.text`` that differ from the earlier sentence: the changed figures of a
    ``figures_changed`` sentence, every differing run of a ``near`` one."""
    if kind == "verbatim":
        return []
    if kind == "figures_changed":
        return [[s, e] for (s, e, text), (_, _, old) in zip(later.figures, earlier.figures) if text != old]
    matcher = difflib.SequenceMatcher(None, later.text, earlier.text, autojunk=False)
    spans, at = [], 0
    for block in matcher.get_matching_blocks():
        if block.a > at and _IGNORED.sub("", later.text[at:block.a]):
            spans.append([at, block.a])
        at = block.a + block.size
    return spans


# ----------------------------------------------------------------------------- issuers
ALIASES = Path(__file__).resolve().parents[1] / "data" / "issuer_aliases.yaml"


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    import yaml

    data = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
    long_first = sorted(data["agencies"].items(), key=lambda kv: -len(kv[0]))
    return tuple(long_first), tuple(data["drop"]), tuple(data["self"])


def issuer_key(name: str | None) -> str | None:
    """The issuer's name reduced so spellings of one body compare equal: 江城市市场监督管理局,
    江城市场监管局 and 江城市市场监管局 all give 江城市场监管局 (place without a final 市, short agency name)."""
    if not name:
        return None
    text = re.sub(r"\s+|[((][^))]*[))]", "", normalize_width(name))
    for word in _aliases()[1]:
        text = text.replace(word, "")
    place, agency = _split_issuer(text)
    if agency is None:
        return text or None
    return (place[:-1] if len(place) >= 3 and place.endswith("市") else place) + agency


def _split_issuer(text: str) -> tuple[str, str | None]:
    """(place, short agency name) of an issuer name; agency None when it names no known agency."""
    for long, short in _aliases()[0]:
        if text.endswith(long):
            return text[: -len(long)], short
    return text, None


def match_issuers(names: Iterable[str | None]) -> dict[str, str]:
    """Each name → the key of the body it names. A name without a place (市司法局, 司法局) joins the one
    named body with the same agency when there is exactly one; otherwise it stays on its own."""
    keys = {name: issuer_key(name) for name in set(names) if name}
    placed: dict[str, set[str]] = {}
    for key in keys.values():
        place, agency = _split_issuer(key)
        if agency is not None and place not in _NO_PLACE:
            placed.setdefault(agency, set()).add(key)
    out = {}
    for name, key in keys.items():
        place, agency = _split_issuer(key)
        owners = placed.get(agency, set()) if agency is not None and place in _NO_PLACE else set()
        out[name] = next(iter(owners)) if len(owners) == 1 else key
    return out


_NO_PLACE = {"", "市", "县", "区", "省", "州"}


def name_variants(name: str | None) -> tuple[str, ...]:
    """Spellings of the issuer (and 我局/本局…) that a template replaces by the issuer token, longest first."""
    _, _, own = _aliases()
    variants = set()
    if name:
        folded = normalize_width(name)
        variants.add(folded)
        place, agency = _split_issuer(folded)
        long = folded[len(place):]
        if agency is not None:
            variants |= {long, agency, place + agency}
            if place[-1:] in ("市", "县", "区"):
                variants |= {place[-1] + long, place[-1] + agency}
    # a bare two-character name (政府) is a common word, not a name
    return tuple(sorted({v for v in variants if len(v) >= 3} | set(own), key=len, reverse=True))


# ----------------------------------------------------------------------------- many reports
class CopyIndex:
    """MinHash LSH over whole reports, to find which stored reports a new one may copy from."""

    def __init__(self, *, threshold: float = 0.2, num_perm: int = 128):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.paragraphs: dict[str, list[str]] = {}

    def _minhash(self, paragraphs: list[str]):
        from datasketch import MinHash

        mh = MinHash(num_perm=self.num_perm)
        for sentence in sentences(paragraphs):
            for gram in shingles(sentence.key, 5):
                mh.update(gram.encode("utf-8"))
        return mh

    def add(self, key: str, paragraphs: list[str]) -> None:
        self.lsh.insert(key, self._minhash(paragraphs))
        self.paragraphs[key] = paragraphs

    def candidates(self, paragraphs: list[str]) -> list[str]:
        return sorted(self.lsh.query(self._minhash(paragraphs)))

    def best_source(self, paragraphs: list[str], *, exclude: str | None = None) -> tuple[str, Copying] | None:
        """The stored report the given one copies most from, with the comparison."""
        results = [
            (key, compare_paragraphs(paragraphs, self.paragraphs[key]))
            for key in self.candidates(paragraphs)
            if key != exclude
        ]
        results = [r for r in results if r[1].passages]
        return max(results, key=lambda r: r[1].share) if results else None
