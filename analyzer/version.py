"""The version of govreport: the one place it is written (pyproject reads it; the JSON and
``govreport --version`` report it). A module of its own so that any stage can import it without
importing the package's public API (which imports the pipeline)."""

__version__ = "0.2.0"
