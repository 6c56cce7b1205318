"""A disk cache for data derived from the shipped files: parsed YAML, lexicon literals, exemplar rankings.

Every ``govreport`` process needs the same few derived values, and deriving them (libyaml building
Python objects, ``re``'s parser, specificity of every corpus paragraph) costs a tenth of a second
a process — more than the analysis itself. Like jieba's dictionary cache, the results are kept as
JSON (never pickle: a cache file can be read, and cannot run code) under ``GOVREPORT_CACHE_DIR``
or ``~/.cache/govreport``, keyed by the SHA-256 of the source bytes, of the code that derives the
value, the kind of value and the package version, so a changed file, rule or release can never be
served a stale value. The cache is an
optimisation only: an unreadable, corrupt or unwritable cache silently falls back to building.
Set ``GOVREPORT_CACHE_DIR`` to an empty string to turn it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analyzer.version import __version__


def cache_dir() -> Path | None:
    """Where cached values live, or None when caching is off."""
    configured = os.environ.get("GOVREPORT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "govreport"


def cached(kind: str, sources: list[bytes], build: Callable[[], Any], *, code: tuple[str, ...] = ()) -> Any:
    """``build()``, or the value a previous process built from the same ``sources`` (JSON-able)
    with the same ``code``: the files of the modules whose logic shapes the value (``__file__`` of
    each), so that a changed rule is never served a value its old version built."""
    directory = cache_dir()
    if directory is None:
        return build()
    digest = hashlib.sha256(f"{kind}\0{__version__}".encode())
    try:
        for source in [*sources, *(Path(path).read_bytes() for path in code)]:
            digest.update(hashlib.sha256(source).digest())
    except OSError:  # code not readable as files (a zipped install): no key, no cache
        return build()
    path = directory / f"{kind}-{digest.hexdigest()[:32]}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # absent, unreadable or corrupt: build it again
    value = build()
    _write(path, value)
    return value


def _write(path: Path, value: Any) -> None:
    """Atomically (a reader sees the old file or the whole new one), and never fatally."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as fh:
            json.dump(value, fh, ensure_ascii=False)
        os.replace(fh.name, path)
    except OSError:
        try:
            os.unlink(fh.name)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
