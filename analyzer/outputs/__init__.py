"""Outputs: Markdown and terminal tables (render), Excel (export), the annotated Word copy
(annotate), every file written whole or not at all (atomic)."""
