"""Article layout: text -> Article (title, lead, sections, key points, takeaways), with the
marker lines, boilerplate and body kinds it is made of."""

from .article import Article, parse_article

__all__ = ["Article", "parse_article"]
