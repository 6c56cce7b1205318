"""govreport: read Chinese government work reports and say what is covered, missing and empty.

The public API is small: ``analyze`` (a path, text or bytes → ``Analysis``) and the result models.
Heavy modules load on first use, so importing the package is cheap.
"""

from __future__ import annotations

from analyzer.version import __version__

__all__ = ["analyze", "Analysis", "__version__"]


def __getattr__(name: str):
    if name == "analyze":
        from analyzer.pipeline import analyze

        return analyze
    if name == "Analysis":
        from analyzer.result import Analysis

        return Analysis
    raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
