"""govreport: Chinese government work reports (政府工作报告) in, grounded research data out."""

__version__ = "0.1.0"

from govreport.model import GovreportError, Report  # noqa: E402
from govreport.pipeline import iter_parse, parse, parse_text  # noqa: E402

__all__ = ["__version__", "GovreportError", "Report", "iter_parse", "parse", "parse_text", "to_frame"]


def to_frame(paths, table: str = "targets", **options):  # type: ignore[no-untyped-def]
    """Parse files into a pandas DataFrame of ``reports``, ``targets`` or ``actuals`` (see govreport.frames).
    pandas is imported only when this is called."""
    from govreport.frames import to_frame as build

    return build(paths, table, **options)
