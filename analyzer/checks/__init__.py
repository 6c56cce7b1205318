"""Checks: the registered rules (rules) and what they read: framework elements, the 套话 lexicon,
quality figures, copying, exemplar passages and suggestions; findings runs them."""
