"""govreport: Chinese government work reports (政府工作报告) in, grounded research data out.

The pipeline is imported on first use of ``parse``/``parse_text``/..., so ``import govreport`` (and every
``govreport`` command, which imports it for the version) starts in milliseconds.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "GovreportError", "Report", "iter_parse", "parse", "parse_text", "to_frame"]

_LAZY = {"GovreportError": "govreport.model", "Report": "govreport.model", "iter_parse": "govreport.parsing.pipeline",
         "parse": "govreport.parsing.pipeline", "parse_text": "govreport.parsing.pipeline"}


def to_frame(paths, table: str = "targets", **options):  # type: ignore[no-untyped-def]
    """Parse files into a pandas DataFrame of ``reports``, ``targets`` or ``actuals`` (see govreport.corpus.frames).
    pandas is imported only when this is called."""
    from govreport.corpus.frames import to_frame as build

    return build(paths, table, **options)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'govreport' has no attribute {name!r}")
