"""`jnews tables` and `pipeline.load_tables`: Parquet tables with documented columns."""

import json

import pandas as pd
import pytest

import pipeline
from conftest import SEED
from pipeline.io.tables import REGISTRY_TABLE, TABLES, TablesError
from test_batch_corpus import jnews

COLUMNS = {
    "articles": ["row", "id", "source_path", "title", "published", "chars", "tokens", "sentences", "n_sections",
                 "n_key_points", "n_takeaways", "n_entities", "n_dates", "n_keywords", "warnings", "error_kind",
                 "error_message", "pipeline_version", "dictionary", "meta"],
    "entities": ["row", "id", "entity", "text", "start", "end", "label", "canonical", "role", "entity_id"],
    "dates": ["row", "id", "date", "text", "start", "end", "type", "value", "anchor", "mod", "freq"],
    "key_points": ["row", "id", "key_point", "text", "start", "end", "section", "marker", "extracted"],
    "sections": ["row", "id", "section", "heading", "published", "question", "answer", "source_name", "source_url",
                 "source_domain", "n_key_points", "n_body", "n_fact", "n_commentary", "n_reader_voice", "start",
                 "end"],
    REGISTRY_TABLE: ["entity_id", "label", "canonical", "aliases", "articles", "mentions", "first_published",
                     "last_published", "first_row"],
}


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    """A real run (the seed, an error record, plain news) plus one line with entities and
    dates filled in by hand, as the stages do."""
    tmp = tmp_path_factory.mktemp("tables")
    dump = tmp / "dump.jsonl"
    dump.write_text(json.dumps({"id": "plain", "text": "日銀、政策金利を据え置き\n日本銀行は18日に政策金利を据え置いた。",
                                "site": "x"}, ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    result = jnews("summarize", SEED, dump, "-q")
    lines = result.stdout.decode().splitlines()
    extra = json.loads(lines[1])
    extra["id"] = "hand"
    extra["entities"] = [{"text": "日本銀行", "label": "ORG", "start": 13, "end": 17, "canonical": "日本銀行", "role": None,
                          "id": "org.jp.boj"}]
    extra["dates"] = [{"text": "18日", "type": "DATE", "value": "2025-03-18", "start": 18, "end": 21,
                       "anchor": "2025-03-07", "mod": "APPROX"}]
    path = tmp / "run.jsonl"
    path.write_text("\n".join([*lines, json.dumps(extra, ensure_ascii=False)]) + "\n", encoding="utf-8")
    return path


def test_tables_command_writes_parquet_with_documented_columns(run_file, tmp_path):
    result = jnews("tables", run_file, "--out", tmp_path / "t")
    assert result.returncode == 0, result.stderr.decode()
    assert "articles 4 rows" in result.stderr.decode()
    tables = pipeline.load_tables(tmp_path / "t")
    assert sorted(tables) == sorted([*TABLES, REGISTRY_TABLE])
    for name in [*TABLES, REGISTRY_TABLE]:
        assert list(tables[name].columns) == COLUMNS[name], name
        assert (tmp_path / "t" / f"{name}.parquet").exists()
    articles = tables["articles"]
    assert list(articles["id"]) == ["000_eed3c3ac50b9ef27", "plain", "dump:2", "hand"]
    assert list(articles["row"]) == [0, 1, 2, 3]
    assert articles.loc[2, "error_kind"] == "bad_json" and pd.isna(articles.loc[2, "title"])
    assert json.loads(articles.loc[1, "meta"]) == {"site": "x"}
    seed = json.loads(run_file.read_text(encoding="utf-8").splitlines()[0])
    kp = tables["key_points"]
    assert len(kp[kp["row"] == 0]) == len(seed["key_points"]) > 0
    assert list(kp.loc[kp["row"] == 0, "text"]) == [k["text"] for k in seed["key_points"]]
    sections = tables["sections"]
    assert len(sections[sections["row"] == 0]) == len(seed["sections"])
    assert sections.loc[0, "source_domain"] == "mainichi.jp"
    entities, dates = tables["entities"], tables["dates"]
    assert len(entities) == articles["n_entities"].sum() and len(dates) == articles["n_dates"].sum()
    [entity] = entities[entities["id"] == "hand"].to_dict("records")
    assert pd.isna(entity.pop("role"))
    assert entity == {"row": 3, "id": "hand", "entity": 0, "text": "日本銀行", "start": 13, "end": 17, "label": "ORG",
                      "canonical": "日本銀行", "entity_id": "org.jp.boj"}
    assert str(articles["chars"].dtype) == "Int64" and pd.isna(articles.loc[2, "chars"])
    assert str(kp["extracted"].dtype) == "boolean"
    [date] = dates[dates["id"] == "hand"].to_dict("records")
    assert date["value"] == "2025-03-18" and date["mod"] == "APPROX" and pd.isna(date["freq"])


def test_load_tables_from_jsonl_equals_parquet(run_file, tmp_path):
    assert jnews("tables", run_file, "--out", tmp_path / "t", "-q").returncode == 0
    from_parquet = pipeline.load_tables(tmp_path / "t")
    from_jsonl = pipeline.load_tables(run_file)
    assert sorted(from_parquet) == sorted(from_jsonl)
    for name in from_jsonl:
        pd.testing.assert_frame_equal(from_parquet[name], from_jsonl[name])


def test_empty_tables_keep_their_columns(tmp_path):
    run = tmp_path / "run.jsonl"
    run.write_text(json.dumps({"schema_version": "1", "id": "e", "source_path": None,
                               "error": {"kind": "empty_text", "message": "no text"}}) + "\n", encoding="utf-8")
    tables = pipeline.load_tables(run)
    assert len(tables["articles"]) == 1 and len(tables["entities"]) == 0
    assert list(tables["entities"].columns) == COLUMNS["entities"]


def test_tables_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = jnews("tables", bad, "--out", tmp_path / "t")
    assert result.returncode == 2 and "is not JSON" in result.stderr.decode() and b"Traceback" not in result.stderr
    with pytest.raises(TablesError):
        pipeline.load_tables(tmp_path / "missing")


def test_entity_registry_counts_articles_and_mentions(run_file):
    tables = pipeline.load_tables(run_file)
    entities, registry = tables["entities"], tables[REGISTRY_TABLE]
    assert registry["entity_id"].is_unique
    assert set(registry["entity_id"]) == set(entities["entity_id"])
    assert registry["mentions"].sum() == len(entities)
    for record in registry.to_dict("records"):
        mine = entities[entities["entity_id"] == record["entity_id"]]
        assert record["mentions"] == len(mine) and record["articles"] == mine["row"].nunique()
        assert list(record["aliases"]) == list(dict.fromkeys(mine["text"]))
        assert record["first_row"] == mine["row"].min()
        assert {record["label"]} == set(mine["label"]) and record["canonical"] == mine["canonical"].iloc[0]
    boj = registry[registry["entity_id"] == "org.jp.boj"].iloc[0]
    assert boj["articles"] == 2 and pd.isna(boj["first_published"])  # neither article has a date
    seed_published = tables["articles"].loc[0, "published"]
    only_seed = registry[registry["first_row"] == 0]
    assert len(only_seed) and set(only_seed["first_published"]) == set(only_seed["last_published"]) == {seed_published}
