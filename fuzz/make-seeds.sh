#!/usr/bin/env bash
# Rebuilds fuzz/seeds/ (the committed seed corpus) from the shipped rules,
# the examples, the rule sets in fuzz/rulesets/ and the conformance cases
# (../../shared/conformance/cases, when present).
set -euo pipefail
cd "$(dirname "$0")"
cases=../../shared/conformance/cases
rm -rf seeds && mkdir -p seeds/compile seeds/records seeds/evaluate

# compile: every rules text.
for f in ../rules/*.rules; do cp "$f" "seeds/compile/$(basename "$f")"; done
for f in rulesets/*.rules rulesets/*/*.rules; do
  cp "$f" "seeds/compile/$(echo "${f#rulesets/}" | tr / _)"
done
# The contract's §1 example, as written there.
if [ -f ../../shared/spec/language.md ]; then
  awk '/^```$/ && !inside && seen==0 {inside=1; next} /^```$/ && inside {inside=0; seen=1} inside' \
    ../../shared/spec/language.md > seeds/compile/spec-section-1.rules
fi

# records: a selector byte (the index of the rule set in src/rulesets.rs),
# then the data.
seed() { # selector file name
  { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "seeds/records/$3"
}
seed 0 ../examples/nghe-an-2022-02-09.ndjson nghe-an.ndjson
seed 0 ../examples/nghe-an-2022-02-09.csv nghe-an.csv
if [ -d "$cases" ]; then
  i=2
  for dir in "$cases"/*/; do
    name=$(basename "$dir")
    [ "$name" = 11-compile-type-conflict ] && sel=0 || { sel=$i; i=$((i + 1)); }
    for data in "$dir"data.*; do seed "$sel" "$data" "$name.${data##*.}"; done
  done
fi
printf '\001{"b": true, "i": 3, "d": 1.5, "s": "a", "t": "07:30", "dt": "2022-02-09", "du": "1h30m", "tags": ["urgent"], "nums": [3], "emp": {"unit": "UBND", "id": 7, "boss": {"ok": false}}}\n\n{"i": "x"}\n' \
  > seeds/records/all-types.ndjson
printf '\001b,i,d,s,t,dt,du,tags,nums,emp.unit\ntrue,3,1.5,a,07:30,2022-02-09,1h30m,"[""x""]",[3],UBND\n1,x,,"q ""uoted""",25:00,2022-02-30,-2d,[,,\n' \
  > seeds/records/all-types.csv

# evaluate: its input is decoded by the generator, any bytes will do.
cp seeds/records/* seeds/evaluate/
chmod -R u+w seeds
