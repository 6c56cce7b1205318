"""Word segmentation, once per document, with the domain dictionary.

jieba-compatible backends: ``rjieba`` (Rust, the default) and ``jieba`` (the reference). Both load
``data/userdict.txt`` with the same explicit frequencies, so they cut the same way. The backends'
dictionaries are process-global state; this module is the only place that touches them.
Choose a backend with ``GOVREPORT_SEGMENTER`` or the ``backend=`` argument.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from analyzer import assets

USERDICT = assets.asset_path(assets.USERDICT)
BACKENDS = ("rjieba", "jieba")
DEFAULT_BACKEND = "rjieba"

Token = tuple[str, int, int]  # (word, start, end) in characters


@dataclass(frozen=True)
class UserWord:
    word: str
    freq: int
    tag: str | None


def read_userdict(path: Path = USERDICT) -> list[UserWord]:
    """Entries of a jieba user dictionary (``word freq tag`` per line, '#' comments)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 else 3000
            words.append(UserWord(parts[0], freq, parts[2] if len(parts) > 2 else None))
    return words


class Segmenter:
    """One backend with the domain dictionary loaded; ``tokenize`` returns words with offsets."""

    def __init__(self, backend: str = DEFAULT_BACKEND, *, extra_words: tuple[UserWord, ...] = ()):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmenter backend {backend!r}; choose one of {BACKENDS}")
        self.backend = backend
        words = assets.load(assets.USERDICT, read_userdict) + list(extra_words)
        if backend == "rjieba":
            import rjieba

            self._impl = rjieba  # the module-level instance: importing rjieba already built it
            for w in words:
                rjieba.add_word(w.word, w.freq, w.tag)
        else:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._impl = jieba.Tokenizer()
            for w in words:
                self._impl.add_word(w.word, w.freq, w.tag)

    def tokenize(self, text: str) -> list[Token]:
        """Words of ``text`` with character offsets, in order, covering every character."""
        return list(self._impl.tokenize(text))

    def cut(self, text: str) -> list[str]:
        return [w for w, _, _ in self.tokenize(text)]

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's and the domain's), not merely a token the
        HMM guessed for unknown characters."""
        if self.backend == "rjieba":
            return self._impl.has_word(word)
        self._impl.check_initialized()
        return self._impl.FREQ.get(word, 0) > 0


_lock = threading.Lock()
_segmenters: dict[str, Segmenter] = {}


def default_backend() -> str:
    return os.environ.get("GOVREPORT_SEGMENTER", DEFAULT_BACKEND)


def get_segmenter(backend: str | None = None) -> Segmenter:
    """The process-wide segmenter for ``backend``, built (and its dictionary loaded) on first use."""
    backend = backend or default_backend()
    with _lock:
        if backend not in _segmenters:
            _segmenters[backend] = Segmenter(backend)
        return _segmenters[backend]


def any_segmenter() -> Segmenter:
    """A segmenter this process has built already, the default backend's first, else the default:
    for small look-ups where either backend serves (they cut Chinese the same way, tested), so that
    a run with one backend never loads the other's dictionary."""
    with _lock:
        built = _segmenters.get(default_backend()) or next(iter(_segmenters.values()), None)
    return built or get_segmenter()


def tokenize(text: str, *, backend: str | None = None) -> list[Token]:
    return get_segmenter(backend).tokenize(text)


def cut_words(text: str) -> list[str]:
    """Module-level tokenizer for scikit-learn pipelines: pickles by reference, not by a bound lock."""
    return [w for w, _, _ in get_segmenter().tokenize(text) if w.strip()]
