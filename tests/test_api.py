import pipeline


def test_all_names_exist_and_star_import_works():
    namespace = {}
    exec("from pipeline import *", namespace)
    missing = [name for name in pipeline.__all__ if name not in namespace]
    assert not missing
    assert len(set(pipeline.__all__)) == len(pipeline.__all__)


def test_summarize_plain_news_text(validate):
    text = "日銀、政策金利を据え置き\n日本銀行は18日の会合で政策金利を据え置いた。市場は利上げを見込んでいた。\n植田総裁は記者会見で説明した。"
    summary = pipeline.summarize(text, id="plain")
    validate(summary)
    assert summary["title"] == "日銀、政策金利を据え置き"
    assert len(summary["sections"]) == 1 and summary["sections"][0]["heading"] is None
    assert [b["text"] for b in summary["sections"][0]["body"]] == [
        "日本銀行は18日の会合で政策金利を据え置いた。", "市場は利上げを見込んでいた。", "植田総裁は記者会見で説明した。"]
    # no marked points: the key points are the summarizer's (issue 9), never marked ones
    assert summary["key_points"] and all(p["extracted"] for p in summary["key_points"]) and summary["takeaways"] == []
    assert summary["stats"]["sentences"] == 4
    fewer = pipeline.summarize(text, id="plain", key_points=1, keywords=2)
    assert len(fewer["key_points"]) == 1 and fewer["keywords"] == summary["keywords"][:2]


def test_every_module_declares_an_all_of_names_it_has():
    import importlib
    import pkgutil

    skipped = {"pipeline.__main__", "pipeline._version"}
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name in skipped or info.name.endswith(".__main__"):
            continue
        module = importlib.import_module(info.name)
        assert hasattr(module, "__all__"), info.name
        assert [n for n in module.__all__ if not hasattr(module, n)] == [], info.name
