"""Extractive key points: an article's best sentences when it marks none."""

from .ranking import DEFAULT_KEY_POINTS, extract_key_points

__all__ = ["DEFAULT_KEY_POINTS", "extract_key_points"]
