"""Regenerate the eval/diff fixtures in this directory (offsets computed, not typed).

    python tests/data/eval/make_fixtures.py

The known answers live in the tests (tests/test_eval*.py, tests/test_diff*.py), worked out
by hand in their comments; this script only writes the inputs.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def span(text, sub, label=None, nth=0, **extra):
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    out = {"text": sub}
    if label:
        out["label"] = label
    out.update(start=start, end=start + len(sub))
    out.update(extra)
    return out


def ent(text, sub, label, canonical=None, role=None, nth=0):
    e = span(text, sub, label, nth)
    e["canonical"] = canonical or sub
    e["role"] = role
    return e


def date(text, sub, type_, value, anchor=None):
    d = span(text, sub)
    return {"text": d["text"], "type": type_, "value": value, "start": d["start"], "end": d["end"], "anchor": anchor}


def dump_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main():
    corpus = HERE / "corpus"
    (corpus / "gold").mkdir(parents=True, exist_ok=True)
    (corpus / "articles").mkdir(parents=True, exist_ok=True)

    # a1: a plain news article, fully annotated (UTF-8)
    a1 = "石破首相が会見\n石破首相は7日午後3時、東京で会見し、トヨタ自動車と日本銀行の幹部も出席した。\n"
    (corpus / "articles" / "a1.txt").write_bytes(a1.encode("utf-8"))
    line2 = a1.index("\n") + 1
    body_text = a1[line2:-1]
    gold_a1 = {
        "id": "a1", "encoding": "utf-8", "title": "石破首相が会見", "published": None,
        "sections": [{"heading": None, "published": None, "question": None, "answer": None, "key_points": [],
                      "source": None,
                      "body": [{"text": body_text, "start": line2, "end": line2 + len(body_text), "kind": "fact"}]}],
        "key_points": [], "takeaways": [],
        "entities": [ent(a1, "石破", "PERSON", "石破茂", "首相", nth=1), ent(a1, "東京", "GPE", "東京都"),
                     ent(a1, "トヨタ自動車", "ORG"), ent(a1, "日本銀行", "ORG")],
        "dates": [date(a1, "7日", "DATE", "XXXX-XX-07"), date(a1, "午後3時", "TIME", "XXXX-XX-07T15:00")],
    }
    (corpus / "gold" / "a1.json").write_text(json.dumps(gold_a1, ensure_ascii=False, indent=1), encoding="utf-8")

    # b1: annotates only entities (a partial gold file); the article is CP932 bytes
    b1 = "日銀の植田総裁は8日、大阪で講演した。\n"
    (corpus / "articles" / "b1.txt").write_bytes(b1.encode("cp932"))
    gold_b1 = {"id": "b1", "entities": [ent(b1, "日銀", "ORG", "日本銀行"), ent(b1, "植田", "PERSON", "植田和男", "総裁"),
                                        ent(b1, "大阪", "GPE", "大阪府")]}
    (corpus / "gold" / "b1.json").write_text(json.dumps(gold_b1, ensure_ascii=False, indent=1), encoding="utf-8")

    # predictions for the corpus (as `jnews summarize` would write them, shortened)
    pred_a1 = {
        "schema_version": "1", "id": "a1", "source_path": None, "title": "石破首相が会見", "published": None,
        "sections": gold_a1["sections"], "key_points": [], "takeaways": [],
        "entities": [ent(a1, "石破", "PERSON", "石破茂", "首相", nth=1), ent(a1, "東京", "LOC", "東京"),
                     ent(a1, "トヨタ", "ORG"), ent(a1, "日本銀行", "ORG", "日銀"), ent(a1, "会見", "EVENT", nth=1)],
        "dates": [date(a1, "7日", "DATE", "XXXX-XX-07"), date(a1, "午後3時", "TIME", "T15:00")],
        "keywords": [], "stats": {}, "warnings": [], "pipeline": {},
    }
    pred_b1 = {
        "schema_version": "1", "id": "b1", "source_path": None, "title": "wrong title", "published": "1999-01-01",
        "sections": [], "key_points": [{"text": "x", "start": 0, "end": 1}], "takeaways": [],
        "entities": [ent(b1, "日銀", "ORG", "日本銀行"), ent(b1, "植田", "PERSON", "植田和男", "総裁"),
                     ent(b1, "大阪", "GPE", "大阪府")],
        "dates": [date(b1, "8日", "DATE", "XXXX-XX-08")],  # not scored: b1's gold has no "dates"
        "keywords": [], "stats": {}, "warnings": [], "pipeline": {},
    }
    extra = {"schema_version": "1", "id": "zz", "source_path": None, "error": {"kind": "empty_text", "message": "x"}}
    dump_jsonl(HERE / "pred.jsonl", [pred_a1, pred_b1, extra])

    # structure-only gold (JSONL, texts included, no articles dir): sections, key points, takeaways
    text = "見出し\n要点はAである。\n要点はBである。\n要点はCである。\n💡 まとめ一。\n"
    kps = [span(text, "要点はAである。"), span(text, "要点はBである。"), span(text, "要点はCである。")]
    structure = {"id": "s1", "text": text,
                 "sections": [{"heading": "見出し", "published": "2025-02-08", "question": "なぜ?", "answer": "理由。",
                               "source": {"name": "N", "url": "https://example.com/a", "domain": "example.com"},
                               "key_points": kps},
                              {"heading": "二つ目", "published": None, "question": None, "answer": None,
                               "source": None, "key_points": []}],
                 "takeaways": [span(text, "まとめ一。")]}
    dump_jsonl(HERE / "structure_gold.jsonl", [structure])
    pred_kps = [kps[0], {"text": "要点はＢである。", "start": kps[1]["start"], "end": kps[1]["end"]},
                {"text": "である。\n要点はCで", "start": kps[1]["start"] + 4, "end": kps[1]["start"] + 14}]
    pred_structure = {"schema_version": "1", "id": "s1", "title": "見出し", "published": "2025-02-08",
                      "sections": [{"heading": "見出し", "published": "2025-02-08", "question": "なぜ?", "answer": None,
                                    "source": {"name": "N", "url": "https://example.com/b", "domain": "example.com"},
                                    "key_points": [], "body": []},
                                   {"heading": "二つ目", "published": None, "question": None, "answer": None,
                                    "source": None, "key_points": [], "body": []},
                                   {"heading": "余計", "published": None, "question": None, "answer": None,
                                    "source": None, "key_points": [], "body": []}],
                      "key_points": pred_kps, "takeaways": [], "entities": [], "dates": []}
    dump_jsonl(HERE / "structure_pred.jsonl", [pred_structure])

    # Stockmark-style NER: 10 sentences, so that index 8 is dev and 9 is test
    sentences = [
        ("トヨタ自動車は愛知県に本社を置く。", [("トヨタ自動車", "法人名"), ("愛知県", "地名")]),
        *[(f"これは{n}番目の文です。", []) for n in range(1, 8)],
        ("外務省は東京ドームで会見した。", [("外務省", "政治的組織名"), ("東京ドーム", "施設名")]),
        ("村上春樹の小説『ノルウェイの森』は100万部売れた。", [("村上春樹", "人名"), ("ノルウェイの森", "製品名")]),
    ]
    records = []
    for i, (sentence, ents) in enumerate(sentences):
        records.append({"curid": str(1000 + i), "text": sentence,
                        "entities": [{"name": n, "span": [sentence.index(n), sentence.index(n) + len(n)], "type": t}
                                     for n, t in ents]})
    (HERE / "stockmark.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    dump_jsonl(HERE / "stockmark.jsonl", records)
    s0, s8, s9 = sentences[0][0], sentences[8][0], sentences[9][0]
    stock_pred = [
        {"id": "stockmark:0", "entities": [ent(s0, "トヨタ自動車", "ORG"), ent(s0, "愛知県", "GPE")]},
        {"id": "stockmark:8", "entities": [ent(s8, "外務省", "ORG"), ent(s8, "東京", "FAC")]},
        {"id": "stockmark:9", "entities": [ent(s9, "村上", "PERSON"), ent(s9, "ノルウェイの森", "WORK_OF_ART"),
                                           ent(s9, "100万部", "QUANTITY")]},
    ]
    dump_jsonl(HERE / "stockmark_pred.jsonl", stock_pred)
    (HERE / "label_map.json").write_text(json.dumps(
        {"gold": {"人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG", "地名": "PLACE",
                  "施設名": "PLACE", "製品名": None, "イベント名": None},
         "pred": {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "WORK_OF_ART": None, "QUANTITY": None}},
        ensure_ascii=False, indent=1), encoding="utf-8")

    # two runs for diff
    t = "日銀が利上げ\n日銀は24日、利上げを決めた。植田総裁が会見した。\n"
    base = {"schema_version": "1", "id": "x2", "title": "日銀が利上げ", "published": "2025-01-24",
            "sections": [{"heading": "利上げ", "published": "2025-01-24", "question": None, "answer": None,
                          "key_points": [], "source": {"name": None, "url": "https://example.com/1", "domain": "example.com"},
                          "body": [{**span(t, "日銀は24日、利上げを決めた。"), "kind": "fact"}]}],
            "key_points": [{**span(t, "日銀は24日、利上げを決めた。"), "section": 0, "marker": "✅", "extracted": False}],
            "takeaways": [], "entities": [ent(t, "日銀", "ORG", "日本銀行", nth=1)],
            "dates": [date(t, "24日", "DATE", "2025-01-24", "2025-01-24")], "keywords": [], "stats": {"chars": len(t)},
            "pipeline": {"version": "0.1.0"}}
    same = {"schema_version": "1", "id": "x1", "title": "同じ", "published": None, "sections": [], "key_points": [],
            "takeaways": [], "entities": [], "dates": [], "keywords": []}
    only_a = {"schema_version": "1", "id": "x3", "title": "A だけ"}
    changed = json.loads(json.dumps(base))
    changed["title"] = "日銀が追加利上げ"                                             # structure: changed
    changed["sections"][0]["heading"] = "追加利上げ"                                  # structure: changed
    changed["entities"] = [ent(t, "日銀", "GPE", "日本銀行", nth=1),                  # entities: changed (label)
                           ent(t, "植田", "PERSON", "植田和男", "総裁")]             # entities: appeared
    changed["dates"] = [date(t, "24日", "DATE", "XXXX-XX-24", "2025-01-24")]        # dates: changed (value)
    changed["key_points"] = []                                                      # key_points: disappeared
    changed["stats"] = {"chars": 0}                                                 # not compared
    changed["pipeline"] = {"version": "9.9.9"}                                      # not compared
    only_b = {"schema_version": "1", "id": "x4", "error": {"kind": "empty_text", "message": "no text"}}
    dump_jsonl(HERE / "run_a.jsonl", [same, base, only_a])
    dump_jsonl(HERE / "run_b.jsonl", [changed, same, only_b])


if __name__ == "__main__":
    main()
