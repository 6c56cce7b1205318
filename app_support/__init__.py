"""Helpers for the Streamlit app (``app.py``): HTML, tables, charts and corpus loading.

No analysis logic lives here (every number comes from the ``analyzer`` API) and nothing here
imports Streamlit, so each helper can be tested on its own.
"""
