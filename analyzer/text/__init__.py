"""Text: heading markers, the report's structure and metadata, segmentation (once per document),
figures and named documents, and the one-scan multi-pattern automaton."""
