"""Reports: a study's results as one self-contained, offline HTML page."""

from natrium.report.html import write_report

__all__ = ["write_report"]
