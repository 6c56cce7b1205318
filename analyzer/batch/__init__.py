"""Batch: many reports into one DuckDB store (run, store) and its summary table (summary)."""
