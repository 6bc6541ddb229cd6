"""Across the articles of a run: stories (the same story from several sources)."""

from .stories import find_stories, story_records

__all__ = ["find_stories", "story_records"]
