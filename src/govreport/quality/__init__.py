"""How far to trust the output: scoring against hand-made gold (``evaluate``) and coverage of a corpus without
gold (``check``)."""
