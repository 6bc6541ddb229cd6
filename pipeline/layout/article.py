"""Article layout: text -> Article (title, lead, sections, key points, takeaways).

Aggregator articles (the seed's shape) are recognised from their markers: a ``公開日`` line,
a block of ✅ points, a ``さらに読む ⇒ … 出典/画像元: URL`` line, 💡 takeaways. Each marker
block is the *core* of a section; the heading, question and answer are found by looking
back from the core. Text without markers is plain news: a title, an optional dateline and
sections: the lead and one per sub-heading line (``plain.py``).

Everything here works on character offsets into the text as decoded; nothing is
normalized in place. The markers themselves are data (``resources/layout``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .body_kinds import classify_section_body
from .markers import LineKind, classify_line, parse_source_line
from .plain import parse_plain_body
from .parts import Article, BodySentence, Point, Section, Source, Span, line_spans
from .publication_date import parse_publication_date
from ..nlp.sentences import split_sentences

__all__ = ["Article", "Section", "Span", "Point", "Source", "BodySentence", "parse_article"]

_HEADING_MAX_CHARS = 60
_QUESTION_MAX_CHARS = 80
_HEADING_END = "。．！？!?…"


@dataclass
class _Line:
    index: int
    start: int  # content start: surrounding whitespace trimmed
    end: int
    kind: LineKind
    marker: str | None = None
    content_start: int = 0  # after the marker, for points and takeaways

    @property
    def blank(self) -> bool:
        return self.kind is LineKind.BLANK


def _lines(text: str) -> list[_Line]:
    lines = [_Line(number, s, e, *classify_line(text, s, e)) for number, (s, e) in enumerate(line_spans(text))]
    _resolve_weak_points(lines)
    return lines


def _resolve_weak_points(lines: list[_Line]) -> None:
    """・ and ● start list items in any text; they are key points only in a run that
    follows a 公開日 line or a strong point, or that leads into a source line."""
    structured = {LineKind.PUBLISHED, LineKind.POINT, LineKind.SOURCE}
    content = [ln for ln in lines if not ln.blank]
    position = 0
    while position < len(content):
        if content[position].kind is not LineKind.WEAK_POINT:
            position += 1
            continue
        run_end = position
        while run_end < len(content) and content[run_end].kind is LineKind.WEAK_POINT:
            run_end += 1
        before = content[position - 1].kind if position else None
        after = content[run_end].kind if run_end < len(content) else None
        is_points = before in structured or after is LineKind.SOURCE
        for line in content[position:run_end]:
            if is_points:
                line.kind = LineKind.POINT
            else:
                line.kind, line.marker, line.content_start = LineKind.TEXT, None, line.start
        position = run_end


def _is_heading_like(text: str, line: _Line) -> bool:
    if line.kind is not LineKind.TEXT:
        return False
    content = text[line.start:line.end]
    return len(content) <= _HEADING_MAX_CHARS and content[-1] not in _HEADING_END


def _is_question(text: str, line: _Line) -> bool:
    content = text[line.start:line.end]
    return (line.kind is LineKind.TEXT and content[-1] in "?？" and len(content) <= _QUESTION_MAX_CHARS
            and len(split_sentences(content)) <= 2)


def _section_cores(lines: list[_Line]) -> list[tuple[int, int]]:
    """[first, last] line indexes of each marker block: 公開日? points* source?, blanks allowed."""
    order = {LineKind.PUBLISHED: 0, LineKind.POINT: 1, LineKind.SOURCE: 2}
    cores: list[tuple[int, int]] = []
    current: list[int] | None = None
    stage = -1
    for line in lines:
        if line.blank:
            continue
        rank = order.get(line.kind)
        if rank is None:
            if current:
                cores.append((current[0], current[1]))
            current, stage = None, -1
            continue
        if current is None or rank < stage or (rank == stage and rank != 1):
            if current:
                cores.append((current[0], current[1]))
            current = [line.index, line.index]
        else:
            current[1] = line.index
        stage = rank
    if current:
        cores.append((current[0], current[1]))
    return cores


def _find_header(text: str, lines: list[_Line], low: int, core_start: int) -> tuple[int, int | None, int | None]:
    """Return (header_start, question_index, heading_index) for the section whose core
    starts at ``core_start``; ``low`` is the first line the header may use."""
    candidates = [ln for ln in lines[low:core_start] if not ln.blank]
    for position in range(len(candidates) - 2, -1, -1):
        line = candidates[position]
        if _is_question(text, line) and position + 1 < len(candidates):
            before = candidates[position - 1] if position > 0 else None
            # A heading may itself be a question (「働き方はどう変わる?」) when a question follows.
            if before is not None and (_is_heading_like(text, before) or _is_question(text, before)):
                return before.index, line.index, before.index
            return line.index, line.index, None
    # No question and answer: the heading is a short unpunctuated line right before the
    # intro lines (at most two of them) that lead into the core.
    for line in reversed(candidates[-3:]):
        if _is_heading_like(text, line):
            return line.index, None, line.index
    return core_start, None, None


def parse_article(text: str) -> Article:
    """Split ``text`` into its parts; spans index ``text`` exactly."""
    lines = _lines(text)
    article = Article(text=text)
    content = [ln for ln in lines if not ln.blank]
    if not content:
        return article
    article.title = Span(content[0].start, content[0].end)
    cores = _section_cores(lines[content[0].index + 1:]) if len(content) > 1 else []
    takeaway_lines = [ln for ln in lines if ln.kind is LineKind.TAKEAWAY]
    article.takeaways = [Span(ln.content_start, ln.end) for ln in takeaway_lines]
    article.is_aggregator = bool(cores or takeaway_lines)
    if cores:
        _parse_sections(text, lines, content[0].index + 1, cores, article)
    else:
        _parse_plain(text, lines, content[0].index + 1, article)
    return article


def _parse_plain(text: str, lines: list[_Line], first: int, article: Article) -> None:
    body_lines = [ln for ln in lines[first:] if not ln.blank and ln.kind is not LineKind.TAKEAWAY]
    for line in body_lines[:2]:
        date = parse_publication_date(text[line.start:line.end], whole=True)
        if date:
            article.published, article.dateline = date, Span(line.start, line.end)
            body_lines.remove(line)
            break
    parse_plain_body(text, [(ln.start, ln.end) for ln in body_lines], article)


def _parse_sections(text: str, lines: list[_Line], first: int, cores, article: Article) -> None:
    # _section_cores returns indexes into `lines` already (line.index), not into the slice it got
    headers, low = [], first
    for core_start, core_end in cores:
        header = _find_header(text, lines, low, core_start)
        headers.append(header)
        low = core_end + 1
    lead_lines = [ln for ln in lines[first:headers[0][0]] if not ln.blank]
    if lead_lines:
        article.lead = Span(lead_lines[0].start, lead_lines[-1].end)
    last_takeaway_free = len(lines)
    for number, ((core_start, core_end), (header_start, q_index, h_index)) in enumerate(zip(cores, headers)):
        stop = headers[number + 1][0] if number + 1 < len(cores) else last_takeaway_free
        section_lines = [ln for ln in lines[header_start:stop]]
        start = section_lines[0].start
        end = max((ln.end for ln in section_lines if not ln.blank), default=start)
        section = Section(start=start, end=end)
        if h_index is not None:
            section.heading = Span(lines[h_index].start, lines[h_index].end)
        answer_index = None
        if q_index is not None:
            section.question = Span(lines[q_index].start, lines[q_index].end)
            answer_index = next(ln.index for ln in lines[q_index + 1:core_start] if not ln.blank)
            section.answer = Span(lines[answer_index].start, lines[answer_index].end)
        before_core, after_core, glued = [], [], []
        for line in section_lines:
            if line.index in (h_index, q_index, answer_index) or line.blank:
                continue
            if line.kind is LineKind.PUBLISHED:
                date_span = _published_value_span(text, line)
                date = parse_publication_date(text[date_span.start:date_span.end])
                if section.published is None:
                    section.published, section.published_span = date, date_span
                    if date is None:
                        article.warnings.append(f"unreadable 公開日 at offset {line.start}")
            elif line.kind is LineKind.POINT and line.index <= core_end:
                section.points.append(Point(Span(line.content_start, line.end), line.marker))
            elif line.kind is LineKind.SOURCE and line.index <= core_end and section.source is None:
                source, rest = parse_source_line(text, line.start, line.end, line.content_start)
                section.source = source
                if rest:
                    glued.append(split_sentences(text, *rest))
            elif line.kind is LineKind.TAKEAWAY:
                continue
            else:
                sentences = split_sentences(text, line.start, line.end)
                (before_core if line.index < core_start else after_core).append(sentences)
        glued_indexes = range(len(before_core), len(before_core) + len(glued))
        kinds = classify_section_body(
            text, before_core + glued + after_core, aggregator=True, last=number == len(cores) - 1,
            glued=glued_indexes, reader_from=glued_indexes.stop)
        section.body = [BodySentence(Span(*span), kind) for span, kind in kinds]
        article.sections.append(section)
    article.published = next((s.published for s in article.sections if s.published), None)


def _published_value_span(text: str, line: _Line) -> Span:
    start = line.content_start
    while start < line.end and text[start] in " \t\u3000:：":
        start += 1
    return Span(start, line.end)

