"""A run as one static HTML page, and the plots the notebooks draw."""

from .html import render_report, write_report

__all__ = ["render_report", "write_report"]
