"""govreport: Chinese government work reports (政府工作报告) in, grounded research data out."""

__version__ = "0.1.0"

from govreport.model import GovreportError, Report  # noqa: E402
from govreport.pipeline import iter_parse, parse, parse_text  # noqa: E402

__all__ = ["__version__", "GovreportError", "Report", "iter_parse", "parse", "parse_text"]
