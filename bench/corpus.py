"""Benchmark texts: the seed, corpora/*/articles, and Stockmark sentences grouped into
articles (when ../shared/data is beside the checkout); and news-like long articles built from
corpora/*/articles and tests/data/plain_news. Printed figures say what was used."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCKMARK = ROOT.parent / "shared" / "data" / "stockmark-ner-wikipedia" / "ner.json"
NEWS = ("corpora/*/articles/*.txt", "tests/data/plain_news/*.txt")  # real articles, in the checkout
LONG_CHARS = (10_000, 30_000)  # the length of a synthetic long article, drawn uniformly

_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"


def name(n: int) -> str:
    """A katakana name for a number: a new word for the vocabulary for every serial."""
    letters = []
    while True:
        n, digit = divmod(n, len(_KANA))
        letters.append(_KANA[digit])
        if not n:
            return "".join(letters)


def serial_line(serial: int) -> str:
    """The line that makes one copy of an article (or of a section) unique."""
    return f"（配信番号{serial}、担当{name(serial + 7 * 40**3)}）"


def benchmark_texts(sentences_per_article: int = 20, limit_sentences: int = 3000) -> tuple[list[str], str]:
    from pipeline.io.reading import decode_bytes

    texts = [(ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt").read_text(encoding="utf-8")]
    for path in sorted(ROOT.glob("corpora/*/articles/*.txt")):
        texts.append(decode_bytes(path.read_bytes())[0])
    described = f"seed + {len(texts) - 1} corpus articles"
    if STOCKMARK.exists():
        sentences = [item["text"] for item in json.loads(STOCKMARK.read_text(encoding="utf-8"))[:limit_sentences]]
        for i in range(0, len(sentences), sentences_per_article):
            group = sentences[i:i + sentences_per_article]
            texts.append(group[0][:30] + "\n" + "\n".join(group))
        described += f" + {len(sentences)} Stockmark sentences in articles of {sentences_per_article}"
    return texts, described


def news_articles() -> list[str]:
    """The real news articles in the checkout (corpora/*/articles, tests/data/plain_news),
    decoded as `jnews summarize` decodes them."""
    from pipeline.io.reading import decode_bytes

    return [decode_bytes(path.read_bytes())[0] for pattern in NEWS for path in sorted(ROOT.glob(pattern))]


def long_texts(target_bytes: int, *, sizes: tuple[int, int] = LONG_CHARS, seed: int = 21) -> tuple[list[str], str]:
    """News-like long articles, about ``target_bytes`` bytes of UTF-8 in all: the real articles
    once each, then synthetic long articles of ``sizes`` characters. Three in four are
    multi-section aggregator articles (the header of a real one, then sections of the real
    ones, each section at most once per article until the pool runs out); one in four is a
    plain article (a real header, then the bodies of the plain articles one after another).
    Every article and every section copy ends with a line holding a unique serial number
    and katakana name, so the vocabulary keeps growing as over a real dump."""
    from pipeline.layout.article import parse_article

    real = news_articles()
    rng = random.Random(seed)
    aggregator, plain, headers = [], [], {True: [], False: []}
    for text in real:
        article = parse_article(text)
        if not article.sections:
            continue
        headers[article.is_aggregator].append(text[:article.sections[0].start])
        pieces = aggregator if article.is_aggregator else plain
        pieces += [text[s.start:s.end].rstrip() for s in article.sections]
    serial = 0
    texts, size = [], 0
    for text in real:
        texts.append(f"{text.rstrip()}\n{serial_line(serial)}\n")
        size += len(texts[-1].encode("utf-8"))
        serial += 1
    made = 0
    while size < target_bytes:
        kind = made % 4 != 3
        pool = list(aggregator if kind else plain)
        rng.shuffle(pool)
        goal = rng.randint(*sizes)
        parts = [rng.choice(headers[kind]).rstrip("\n") + "\n"]
        length = len(parts[0])
        while length < goal:
            piece = f"{pool[len(parts) % len(pool)]}\n{serial_line(serial)}\n"
            serial += 1
            parts.append(piece)
            length += len(piece)
        texts.append("".join(parts))
        size += len(texts[-1].encode("utf-8"))
        made += 1
    described = (f"{len(real)} real articles + {made} synthetic long ones of {sizes[0]:,}-{sizes[1]:,} chars "
                 f"(sections of the real ones, each copy with a unique serial and name); {len(texts)} articles, "
                 f"{sum(map(len, texts)):,} chars, {size / 1e6:.1f} MB")
    return texts, described


_SERIAL = re.compile("（配信番号")


def recopied(text: str, copy: int, salt: int) -> str:
    """Copy ``copy`` of a text: every serial line gets another version and name, so 10x the
    input really holds 10x the distinct strings."""
    if not copy:
        return text
    counter = iter(range(10**9))
    return _SERIAL.sub(lambda _: f"（第{copy}版・{name(copy * 97 + salt + 1009 * next(counter))}・配信番号", text)
