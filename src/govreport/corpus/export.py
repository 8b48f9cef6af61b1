"""Write a table where researchers need it: the format is chosen by the file's extension.

.csv is UTF-8 with a BOM (Excel then opens Chinese correctly), .xlsx, .parquet, .jsonl, and .dta for Stata 15+
(version 118: Unicode, Chinese variable labels, value labels for coded columns and booleans, short names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govreport.knowledge.lexicon import load_lexicon
from govreport.model import GovreportError

FORMATS = (".csv", ".xlsx", ".parquet", ".jsonl", ".dta")


def write_table(df: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None,
                title: str | None = None) -> Path:
    """Write ``df`` to ``path`` by extension. Column names are kept whole, except in .dta, where Stata needs
    names of at most 32 characters (see govreport.corpus.stata); ``labels`` and ``title`` label the .dta file."""
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
            from govreport.corpus import stata
            from govreport.corpus.codebook import labels_for

            stata.write(df, p, labels_for(df) if labels is None else labels, title)
    except OSError as exc:
        raise GovreportError(str(path), f"cannot write ({exc.strerror or exc})") from None
    return p


def write_codebook(path: str | Path) -> Path:
    """The codebook as markdown (.md) or as a table in any format write_table knows."""
    from govreport.corpus import codebook

    p = Path(path)
    df = codebook.table()
    if p.suffix.lower() == ".md":
        lines = ["# govreport codebook", "", f"Lexicon version {load_lexicon().version}.", ""]
        for section, group in df.groupby("section", sort=False):
            header = "| full name | Stata name | |" if section == "stata_name" else "| name | description | default unit |"
            lines += [f"## {section}s", "", header, "|---|---|---|"]
            lines += [f"| `{r.name}` | {r.description} | {r.unit} |" for r in group.itertuples()]
            lines.append("")
        p.write_text("\n".join(lines), encoding="utf-8")
        return p
    return write_table(df, p)
