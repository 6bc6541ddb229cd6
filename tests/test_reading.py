import gzip
import io
import json

import pytest

from pipeline.io.reading import InputError, decode_bytes, iter_records

TEXT = "公開日：２０２５／０２／０８\n石破首相は日米同盟の強化を確認した。"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("euc_jp", "euc_jp"), ("shift_jis", "cp932"),
])
def test_detects_japanese_encodings(encoding, expected):
    text, detected = decode_bytes(TEXT.encode(encoding))
    assert text == TEXT
    assert detected == expected


def test_crlf_is_kept():
    text, _ = decode_bytes("一行目\r\n二行目\r\n".encode("utf-8"))
    assert text == "一行目\r\n二行目\r\n"


def test_undecodable_bytes_become_an_error_record(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x81\xff\xfe\x00\x9f" * 50)
    (records := list(iter_records([str(tmp_path / "bad.txt")])))
    assert len(records) == 1 and records[0].error[0] == "decode_error"


def test_directory_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("本文二", encoding="utf-8")
    (tmp_path / "a.txt").write_text("本文一", encoding="cp932")
    (tmp_path / "ignored.md").write_text("無視", encoding="utf-8")
    records = list(iter_records([str(tmp_path)]))
    assert [r.id for r in records] == ["a", "b/x"]
    assert [r.text for r in records] == ["本文一", "本文二"]


def test_jsonl_records_keep_meta_and_published(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    lines = [
        json.dumps({"id": "n1", "text": "本文", "published": "2025-03-07T09:00:00+09:00", "site": "x"}, ensure_ascii=False),
        "{broken",
        json.dumps({"text": "   "}),
        json.dumps({"id": 7, "body": "no text field"}),
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    records = list(iter_records([str(path)]))
    assert [r.id for r in records] == ["n1", "dump:2", "dump:3", "7"]
    assert records[0].published == "2025-03-07" and records[0].meta == {"published": "2025-03-07T09:00:00+09:00", "site": "x"}
    assert [r.error[0] if r.error else None for r in records] == [None, "bad_json", "empty_text", "bad_record"]


def test_truncated_gzip_yields_an_error_record_not_a_crash(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(("\n".join(json.dumps({"id": str(i), "text": "本文" * 200}) for i in range(200)) + "\n").encode())
    path.write_bytes(data[: len(data) // 2])
    records = list(iter_records([str(path)]))
    assert records[-1].error[0] == "truncated_input"
    assert all(r.error is None for r in records[:-1]) and len(records) > 1


def test_stdin_text_and_jsonl():
    [record] = iter_records(["-"], stdin=io.BufferedReader(io.BytesIO("標準入力の記事。".encode("cp932"))))
    assert record.id == "stdin" and record.text == "標準入力の記事。"
    records = list(iter_records(["-"], stdin=io.BufferedReader(io.BytesIO(b'{"id":"a","text":"x"}\n{"id":"b","text":"y"}\n'))))
    assert [r.id for r in records] == ["a", "b"]


def test_missing_path_is_a_user_error():
    with pytest.raises(InputError, match="no such file"):
        list(iter_records(["does/not/exist.txt"]))


def test_lone_surrogates_are_replaced_with_a_warning(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id":"s","text":"前\\ud800後"}\n', encoding="utf-8")
    [record] = iter_records([str(path)])
    assert record.text == "前\ufffd後" and record.warnings


@pytest.mark.parametrize("suffix", [".jsonl.zst", ".jsonl.xz", ".ndjson.bz2", ".jsonl.gz"])
def test_compressed_dumps_give_the_records_of_the_plain_jsonl(tmp_path, suffix):
    import bz2
    import lzma

    import zstandard

    lines = [json.dumps({"id": f"n{i}", "text": f"本文{i * 7919 % 10007}。" * 20, "site": "x"}, ensure_ascii=False)
             for i in range(300)] + ["{broken", ""]
    data = ("\n".join(lines) + "\n").encode()
    plain = tmp_path / "dump.jsonl"
    plain.write_bytes(data)
    if suffix == ".jsonl.zst":  # two frames, as a dump concatenated from two files is
        packed = zstandard.ZstdCompressor().compress(data[:7000]) + zstandard.ZstdCompressor().compress(data[7000:])
    else:
        packed = {".jsonl.xz": lzma.compress, ".ndjson.bz2": bz2.compress, ".jsonl.gz": gzip.compress}[suffix](data)
    packed_path = tmp_path / ("dump" + suffix)
    packed_path.write_bytes(packed)
    expected = [(r.id, r.text, r.meta, r.error) for r in iter_records([str(plain)])]
    assert [(r.id, r.text, r.meta, r.error) for r in iter_records([str(packed_path)])] == expected
    assert len(expected) == 301 and expected[-1][3][0] == "bad_json"
    # a cut file keeps what it holds and ends with one error record, never silently
    packed_path.write_bytes(packed[: len(packed) * 2 // 3])
    cut = list(iter_records([str(packed_path)]))
    assert cut[-1].error[0] == "truncated_input" and len(cut) - 1 < 301  # bz2 blocks: maybe none kept
    assert [(r.id, r.text) for r in cut[:-1]] == [(i, t) for i, t, _, _ in expected[:len(cut) - 1]]


def test_a_file_that_is_not_zstd_is_one_error_record(tmp_path):
    path = tmp_path / "dump.jsonl.zst"
    path.write_bytes(b"plain text, not zstd")
    records = list(iter_records([str(path)]))
    assert len(records) == 1 and records[0].error[0] == "truncated_input"
