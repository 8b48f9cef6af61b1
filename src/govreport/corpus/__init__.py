"""Parsed reports kept and shipped: the DuckDB store, the research tables (panel, track, escalation), unit
standardisation, pandas frames and the exports (CSV, Excel, Parquet, JSONL, Stata) with their codebook."""
