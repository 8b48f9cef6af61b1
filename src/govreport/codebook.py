"""What every column of the research tables means: the codebook users cite, and Stata variable labels."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd

from govreport.lexicon import load_lexicon


@functools.lru_cache(maxsize=1)
def columns() -> dict[str, str]:
    with resources.files("govreport.data").joinpath("codebook.toml").open("rb") as fh:
        return dict(tomllib.load(fh)["columns"])


def labels_for(df: pd.DataFrame) -> dict[str, str]:
    """Variable labels for the columns of ``df`` (wide indicator columns are described from the lexicon)."""
    lex = load_lexicon()
    out = {}
    for col in df.columns:
        if col in columns():
            out[col] = columns()[col]
            continue
        for code, ind in lex.indicators.items():
            if str(col).startswith(code + "_"):
                out[col] = f"{ind.label} {str(col)[len(code) + 1:].replace('_', ' ')}"
                break
    return out


def table() -> pd.DataFrame:
    """The codebook as a table: columns, then indicator codes with their names and default units."""
    rows = [{"section": "column", "name": k, "description": v, "unit": ""} for k, v in columns().items()]
    lex = load_lexicon()
    for code, ind in lex.indicators.items():
        rows.append({"section": "indicator", "name": code, "description": f"{ind.label}: {'、'.join(ind.names)}",
                     "unit": ind.unit or ""})
    return pd.DataFrame(rows)


def write(path: str | Path) -> Path:
    p = Path(path)
    df = table()
    if p.suffix.lower() == ".md":
        lines = ["# govreport codebook", "", f"Lexicon version {load_lexicon().version}.", ""]
        for section, group in df.groupby("section", sort=False):
            lines += [f"## {section}s", "", "| name | description | default unit |", "|---|---|---|"]
            lines += [f"| `{r.name}` | {r.description} | {r.unit} |" for r in group.itertuples()]
            lines.append("")
        p.write_text("\n".join(lines), encoding="utf-8")
        return p
    from govreport.export import write_table

    return write_table(df, p)
