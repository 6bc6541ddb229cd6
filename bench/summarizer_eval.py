"""Extractive key points vs the ✅ points of aggregator articles, beside lead-3 and sumy.

For every section with ✅ points in the aggregator articles of corpora/*/ (gold points from
corpora/*/gold/*.json when present, else the layout's), each system picks k = (number of
✅ points) sentences from the section's body as the layout gives it (the ✅ block is not
part of the body), among the same candidates (body sentences of kind fact or commentary):
- ours:   pipeline.keypoints.ranking.extract_key_points(..., sections=[s])
- lead-3: the first k candidates
- sumy LexRank / TextRank / Luhn (if sumy is installed), over the same candidates,
  tokenized by our tokenizer (content-word lemmas), no stemmer, no stop words.
Scores, macro-averaged over sections:
- ROUGE-1, ROUGE-2 and ROUGE-L F1 over characters (NFKC, whitespace and punctuation dropped)
  of the chosen sentences joined in text order vs the ✅ points joined in order (characters
  are Japanese's natural unit here: no word tokenizer decides the score);
- sentence-overlap F1: a chosen sentence and a ✅ point match when their character-bigram
  Dice is >= 0.3; one-to-one greedy matching, P = matched / chosen, R = matched / points.
Also a held-out line: the same figures on the odd-numbered articles only. The weights in
keypoints.py (WEIGHTS, CANDIDATE_KINDS) were chosen among a handful of settings on the
even-numbered articles (dev); the odd-numbered ones were not used to choose them.
The margin of ours over each baseline is printed with a 95% paired bootstrap confidence
interval (sections resampled with replacement, 10,000 times, fixed seed), and beside it the
oracle: the k candidates with the best ROUGE-L, the ceiling of any extractive system here.

Usage: python bench/summarizer_eval.py [CORPUS_DIR ...] [--no-entities] [--resamples N]
(--no-entities: our ranker without the entity stage's doc.ents, to see what it adds)
"""

from __future__ import annotations

import itertools
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.keypoints.ranking import candidates, extract_key_points  # noqa: E402
from pipeline.keywords.score import SIMILARITY_CLASSES, tag_class  # noqa: E402
from pipeline.layout.article import parse_article  # noqa: E402
from pipeline.summary.language import make_nlp  # noqa: E402
from pipeline.io.reading import decode_bytes  # noqa: E402

MATCH_DICE = 0.2


def _chars(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _rouge_n(a: Counter, b: Counter) -> float:
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    return _f1(overlap / sum(a.values()), overlap / sum(b.values()))


def rouge1(pred: str, gold: str) -> float:
    return _rouge_n(Counter(_chars(pred)), Counter(_chars(gold)))


def rouge2(pred: str, gold: str) -> float:
    a, b = _chars(pred), _chars(gold)
    return _rouge_n(Counter(a[i:i + 2] for i in range(len(a) - 1)), Counter(b[i:i + 2] for i in range(len(b) - 1)))


def rougel(pred: str, gold: str) -> float:
    a, b = _chars(pred), _chars(gold)
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0]
        for j, cb in enumerate(b):
            current.append(previous[j] + 1 if ca == cb else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    return _f1(lcs / len(a), lcs / len(b))


def _bigrams(text: str) -> set[str]:
    chars = _chars(text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def sentence_f1(pred: list[str], gold: list[str]) -> float:
    pairs = []
    for i, p in enumerate(pred):
        bp = _bigrams(p)
        for j, g in enumerate(gold):
            bg = _bigrams(g)
            dice = 2 * len(bp & bg) / (len(bp) + len(bg)) if bp or bg else 0.0
            pairs.append((dice, i, j))
    used_p, used_g, matched = set(), set(), 0
    for dice, i, j in sorted(pairs, reverse=True):
        if dice < MATCH_DICE:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched += 1
    if not pred or not gold:
        return 0.0
    return _f1(matched / len(pred), matched / len(gold))


class OurTokens:
    """A sumy tokenizer that reads our Doc: sentences are given, words are content lemmas."""

    def __init__(self, nlp):
        self.nlp = nlp

    def to_sentences(self, paragraph: str):
        return [paragraph]

    def to_words(self, sentence: str):
        return [t.lemma_ for t in self.nlp(sentence) if tag_class(t.tag_) in SIMILARITY_CLASSES]


def sumy_systems(nlp):
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.luhn import LuhnSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
    except ImportError:
        return {}
    tokens = OurTokens(nlp)

    def make(cls):
        def pick(sentences: list[str], k: int) -> list[int]:
            objects = [Sentence(s, tokens) for s in sentences]
            document = ObjectDocumentModel([Paragraph(objects)])
            summarizer = cls(lambda w: w)  # no stemmer: lemmas already
            summarizer.stop_words = ()
            chosen = summarizer(document, k)
            ids = {id(o): i for i, o in enumerate(objects)}
            return sorted(ids[id(s)] for s in chosen)
        return pick

    return {"sumy LexRank": make(LexRankSummarizer), "sumy TextRank": make(TextRankSummarizer),
            "sumy Luhn": make(LuhnSummarizer)}


def sections_to_score(corpus_dirs: list[Path]):
    """(article number, text, article, section index, gold point texts) for aggregator sections."""
    number = 0
    for corpus in corpus_dirs:
        for path in sorted(corpus.glob("articles/*.txt")):
            text = decode_bytes(path.read_bytes())[0]
            article = parse_article(text)
            if not article.is_aggregator:
                continue
            gold_path = corpus / "gold" / (path.stem + ".json")
            gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
            for s, section in enumerate(article.sections):
                if gold and s < len(gold.get("sections", [])) and "key_points" in gold["sections"][s]:
                    points = [p["text"] for p in gold["sections"][s]["key_points"]]
                else:
                    points = [text[p.span.start:p.span.end] for p in section.points]
                if points:
                    yield number, path.stem, text, article, s, points
            number += 1


ORACLE_COMBINATIONS = 5000  # a section has a handful of candidates: every k-subset is tried


def oracle(sentences: list[str], k: int, gold: str) -> list[str]:
    """The k candidates (in text order) whose join has the best ROUGE-L against the gold."""
    best, chosen = -1.0, []
    for combination in itertools.islice(itertools.combinations(range(len(sentences)), min(k, len(sentences))),
                                        ORACLE_COMBINATIONS):
        picked = [sentences[i] for i in combination]
        score = rougel("".join(picked), gold)
        if score > best:
            best, chosen = score, picked
    return chosen


METRICS = ("ROUGE-1", "ROUGE-2", "ROUGE-L", "sent-overlap")


def bootstrap_margin(ours: numpy.ndarray, other: numpy.ndarray, resamples: int, seed: int = 0) -> tuple[float, float, float]:
    """Mean of ours - other over sections, and its 95% paired bootstrap interval."""
    difference = ours - other
    rng = numpy.random.default_rng(seed)
    draws = rng.integers(0, len(difference), size=(resamples, len(difference)))
    means = difference[draws].mean(axis=1)
    low, high = numpy.quantile(means, [0.025, 0.975])
    return float(difference.mean()), float(low), float(high)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit()]
    resamples = int(sys.argv[sys.argv.index("--resamples") + 1]) if "--resamples" in sys.argv else 10_000
    corpus_dirs = [Path(p) for p in args] or sorted(p for p in (ROOT / "corpora").iterdir() if (p / "articles").is_dir())
    nlp = make_nlp(**({"entities": None} if "entities" in make_nlp.__code__.co_varnames else {}))
    try:
        nlp_full = nlp if "--no-entities" in sys.argv else make_nlp()
    except Exception:  # the entity stage may be missing in this checkout
        nlp_full = nlp
    sumy = sumy_systems(nlp)
    systems = ["ours", "lead-3", *sumy, "oracle"]
    rows: dict[str, list[tuple[int, float, float, float, float]]] = {name: [] for name in systems}
    articles, sections = set(), 0
    for number, stem, text, article, s, gold in sections_to_score(corpus_dirs):
        found = candidates(article, [s])
        if not found:
            continue
        articles.add(stem)
        sections += 1
        k = len(gold)
        sentences = [text[c.start:c.end] for c in found]
        doc = nlp_full(text)
        joined_gold = "".join(gold)
        picks = {
            "ours": [text[p["start"]:p["end"]] for p in
                     extract_key_points(text, article, doc, k=k, sections=[s], even_if_marked=True)],
            "lead-3": sentences[:k],
            "oracle": oracle(sentences, k, joined_gold),
        }
        for name, pick in sumy.items():
            picks[name] = [sentences[i] for i in pick(sentences, k)]
        for name in systems:
            chosen = picks[name]
            joined = "".join(chosen)
            rows[name].append((number, rouge1(joined, joined_gold), rouge2(joined, joined_gold),
                               rougel(joined, joined_gold), sentence_f1(chosen, gold)))
    print(f"corpus: {', '.join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in corpus_dirs)}; "
          f"{len(articles)} aggregator articles, {sections} sections with ✅ points; "
          f"k = the section's number of ✅ points; macro-average over sections")
    for title, keep in (("all sections", lambda n: True), ("held-out (odd-numbered articles)", lambda n: n % 2 == 1)):
        print(f"\n{title}")
        print(f"{'system':<16}" + "".join(f"{m + ' F':>16}" for m in METRICS) + f"{'n':>5}")
        table = {name: numpy.array([r[1:] for r in rows[name] if keep(r[0])]) for name in systems}
        for name in systems:
            if not len(table[name]):
                continue
            means = table[name].mean(axis=0)
            print(f"{name:<16}" + "".join(f"{m:>16.4f}" for m in means) + f"{len(table[name]):>5}")
        print(f"margin of ours (mean difference over sections, 95% paired bootstrap interval, {resamples:,} resamples)")
        for name in systems[1:]:
            cells = []
            for column in range(len(METRICS)):
                mean, low, high = bootstrap_margin(table["ours"][:, column], table[name][:, column], resamples)
                cells.append(f"{mean:+.4f} [{low:+.3f}, {high:+.3f}]")
            print(f"  vs {name:<14}" + "".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()
