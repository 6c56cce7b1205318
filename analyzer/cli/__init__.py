"""The ``govreport`` command line (Typer): the application object and its options (app), the
single-report and data-step commands (main) and the batch and comparison commands (batch)."""

from analyzer.cli.main import app, main

__all__ = ["app", "main"]
