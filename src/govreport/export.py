"""Write a table where researchers need it: the format is chosen by the file's extension.

.csv is UTF-8 with a BOM (Excel then opens Chinese correctly), .xlsx, .parquet, .jsonl, and .dta for Stata 15+
(version 118: Unicode, Chinese variable labels, value labels for coded columns and booleans, short names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govreport.model import GovreportError

FORMATS = (".csv", ".xlsx", ".parquet", ".jsonl", ".dta")


def write_table(df: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None,
                title: str | None = None) -> Path:
    """Write ``df`` to ``path`` by extension. Column names are kept whole, except in .dta, where Stata needs
    names of at most 32 characters (see govreport.stata); ``labels`` and ``title`` label the .dta file."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in FORMATS:
        raise GovreportError(str(path), f"unknown output format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    try:
        if suffix == ".csv":
            df.to_csv(p, index=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            df.to_excel(p, index=False)
        elif suffix == ".parquet":
            df.set_axis([str(c) for c in df.columns], axis=1).to_parquet(p, index=False)
        elif suffix == ".jsonl":
            df.to_json(p, orient="records", lines=True, force_ascii=False)
        else:
            from govreport import stata
            from govreport.codebook import labels_for

            stata.write(df, p, labels_for(df) if labels is None else labels, title)
    except OSError as exc:
        raise GovreportError(str(path), f"cannot write ({exc.strerror or exc})") from None
    return p
