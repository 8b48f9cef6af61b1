"""Administrative divisions: a compact, year-aware table of official codes and names shipped with the package.

MINIMAL PLACEHOLDER: being replaced by the full table and resolver.
"""

from __future__ import annotations

from dataclasses import dataclass

VINTAGE = "none"


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # official full name at that date, e.g. 四方台区
    level: str  # province | prefecture | county_city | county | district
    province: str | None
    prefecture: str | None  # prefecture-level parent name (None for provinces/prefectures)


def resolve(name: str, date: str | None = None, context: str = "") -> Division | None:
    """Find the division called ``name`` (full or short form) valid at ``date`` (ISO, or YYYY)."""
    return None
