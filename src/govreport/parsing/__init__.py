"""The parsing pipeline, one module per stage: read → normalize (offset map) → split → metadata → sections →
extract (targets, actuals) → commitments → validate. ``pipeline`` runs the stages, ``batch`` runs many files
with per-file errors, ``workers`` runs them in worker processes with time and memory budgets. (The package is
``parsing`` so that ``govreport.parse`` stays the function users call.)"""
