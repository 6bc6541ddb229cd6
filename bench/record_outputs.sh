#!/usr/bin/env bash
# Record the JSONL of every article we have, to show that a change keeps the output bytes:
#   bench/record_outputs.sh OUT_BEFORE   (at the old commit)
#   bench/record_outputs.sh OUT_AFTER    (at the new one)
#   for f in OUT_BEFORE/*.jsonl; do cmp "$f" "OUT_AFTER/$(basename "$f")"; done
# Inputs: corpora/jnews, tests/data (plain news, eval corpus, dates), seeds, and when
# ../shared/data is beside the checkout 3,000 Stockmark sentences + the GSD dev texts; each
# with --entities fast and accurate, plus a --keywords-df batch run and a 2-worker run.
# Run it from the checkout with the package installed (JNEWS overrides the command).
set -euo pipefail
out=${1:?usage: bench/record_outputs.sh OUTDIR}
jnews=${JNEWS:-jnews}
mkdir -p "$out"
run() { local name=$1; shift; $jnews summarize "$@" -q -o "$out/$name.jsonl"; }
inputs=()
texts="${TMPDIR:-/tmp}/jnews_record_texts.jsonl"  # one path for every run: source_path is in the output
if [[ -d ../shared/data ]]; then
  python3 - "$texts" <<'PY'
import glob, json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, item in enumerate(json.load(open("../shared/data/stockmark-ner-wikipedia/ner.json", encoding="utf-8"))[:3000]):
        out.write(json.dumps({"id": f"s{i}", "text": item["text"]}, ensure_ascii=False) + "\n")
    for path in sorted(glob.glob("../shared/data/*/dev.jsonl")):
        for j, line in enumerate(open(path, encoding="utf-8")):
            out.write(json.dumps({"id": f"g{j}", "text": json.loads(line)["text"]}, ensure_ascii=False) + "\n")
PY
  inputs=("$texts")
fi
for mode in fast accurate; do
  one=(--workers 1 --record-timeout 0 --entities "$mode")
  run "corpora_$mode" corpora/jnews/articles "${one[@]}"
  run "plain_$mode" tests/data/plain_news --reference-date 2025-06-01 "${one[@]}"
  run "seeds_$mode" seeds "${one[@]}"
  run "eval_corpus_$mode" tests/data/eval/corpus "${one[@]}"
  run "dates_negative_$mode" tests/data/dates/negative.txt "${one[@]}"
  if [[ ${#inputs[@]} -gt 0 ]]; then run "texts_$mode" "${inputs[@]}" "${one[@]}"; fi
done
run corpora_batch_df corpora/jnews/articles --workers 1 --record-timeout 0 --keywords-df batch --key-points 1 --keywords 3
run corpora_workers2 corpora/jnews/articles --workers 2
ls "$out"
