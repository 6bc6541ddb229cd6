"""HTML page -> plain text, before layout (selectolax's Lexbor parser: an HTML5 parser in C,
no network, no script execution).

A record or file is HTML when its first bytes say so (``<!DOCTYPE html``, ``<html``, after
optional whitespace, a BOM or comments) or its name ends in ``.html``/``.htm``. The text keeps
the page's block structure: each block element (p, div, h1-h6, li, tr, br, ...) starts a new
line, so layout sees the title, headings and paragraphs as lines. Scripts, styles,
templates, forms and other non-content elements are dropped; nothing in the page is
evaluated or fetched. Offsets in the summary index this extracted text.
"""

from __future__ import annotations

import re

__all__ = ["looks_like_html", "html_to_text", "html_depth", "HTMLTooDeep", "HTML_SUFFIXES", "MAX_HTML_DEPTH"]

HTML_SUFFIXES = (".html", ".htm")
_HEAD = re.compile(r"\A[\s\ufeff]*(?:<!--.*?-->[\s]*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
         "button", "select", "textarea", "input", "head", "nav", "footer", "aside", "link", "meta")
_BLOCK = {"address", "article", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
          "summary", "table", "tbody", "td", "th", "thead", "tr", "ul", "body", "title", "caption"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n{2,}")
# Lexbor's tree builder scans the stack of open elements on some end tags, so a page nested
# tens of thousands deep takes quadratic time (100,000 nested <div>s: about 30 s). No real
# page nests more than a few hundred deep; a cheap linear scan bounds the depth before parsing.
MAX_HTML_DEPTH = 2_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_NOT_NESTING = {"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt",
                "rp", "colgroup", "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                "source", "track", "wbr", "param", "keygen"}


class HTMLTooDeep(ValueError):
    """The page nests elements deeper than ``MAX_HTML_DEPTH``."""


def html_depth(html: str) -> int:
    """An upper estimate of the deepest nesting of elements (linear time)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() in _NOT_NESTING or match.group(3):
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def looks_like_html(head: str | bytes, name: str | None = None) -> bool:
    """True for a page: an ``.html``/``.htm`` name, or a doctype/``<html`` tag at the start."""
    if name and name.lower().endswith(HTML_SUFFIXES):
        return True
    if isinstance(head, bytes):
        head = head[:1024].decode("utf-8", errors="ignore")
    return bool(_HEAD.match(head[:1024]))


def html_to_text(html: str) -> str:
    """The visible text of a page: the <title> as the first line, then the body's blocks one
    per line. Raises ``HTMLTooDeep`` for a pathologically nested page."""
    from selectolax.lexbor import LexborHTMLParser

    depth = html_depth(html)
    if depth > MAX_HTML_DEPTH:
        raise HTMLTooDeep(f"HTML nested {depth} elements deep, over the limit of {MAX_HTML_DEPTH}")
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(deep=True).strip() if title_node is not None else ""
    tree.strip_tags(list(_DROP))
    parts: list[str] = []
    root = tree.body or tree.root
    if root is not None:
        _walk(root, parts)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n")]
    body = _BLANKS.sub("\n", "\n".join(lines)).strip("\n")
    if title and not body.startswith(title):
        body = f"{title}\n{body}" if body else title
    return body


def _walk(node, parts: list[str]) -> None:
    # An explicit stack, not recursion: a page of 100,000 nested <div>s must not overflow.
    stack = [(node, False)]
    while stack:
        current, closing = stack.pop()
        tag = current.tag
        if closing:
            if tag in _BLOCK:
                parts.append("\n")
            continue
        if current.is_text_node:
            parts.append((current.text_content or "").replace("\n", " "))
            continue
        if tag in _BLOCK:
            parts.append("\n")
        stack.append((current, True))
        children = []
        child = current.child
        while child is not None:
            children.append(child)
            child = child.next
        for child in reversed(children):
            if child.is_text_node or child.is_element_node:
                stack.append((child, False))
