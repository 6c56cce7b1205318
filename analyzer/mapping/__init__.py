"""Mapping: every paragraph onto the outline of the report's year (features, the served model,
sections), the outline, report rule and layout chosen (detect), and the report's parts (parts)."""
