#!/usr/bin/env bash
# Reading through a source (contract §8), each figure beside its baselines
# in one run: the hand-written program (../shared/bench/native_baseline, on
# NDJSON), civrules on the workload's CSV as it is, and civrules on the same
# CSV through benches/workload.source (every column named, dates and times
# through formats, yes/no and "no value" words); then the same data as a
# 200,000-row .xlsx through the source, with its peak memory.
#
#   benches/sources.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
rules=../shared/bench/workload.rules
data=target/bench-data
mkdir -p "$data"
for format in ndjson csv; do
    file="$data/200000.$format"
    [ -s "$file" ] || python3 ../shared/bench/gen_records.py 200000 --format "$format" --out "$file"
done
cargo build --release --quiet --bin civrules --example csv_to_xlsx
cargo build --release --quiet --manifest-path ../shared/bench/native_baseline/Cargo.toml \
    --target-dir target/native_baseline
[ -s "$data/200000.xlsx" ] || target/release/examples/csv_to_xlsx "$data/200000.csv" "$data/200000.xlsx"
civrules=target/release/civrules
native=target/native_baseline/release/native_baseline

echo "## CSV through a source against the same CSV without one (200,000 records, one core)"
benches/alternate.py "$rounds" \
    "$native $data/200000.ndjson" \
    "$civrules check $rules $data/200000.csv --format summary --jobs 1" \
    "$civrules check $rules $data/200000.csv --source benches/workload.source --format summary --jobs 1"

echo "## .xlsx through the source (200,000 rows): wall time, peak memory (KB)"
for _ in 1 2 3; do
    { /usr/bin/time -f "%e s %M KB" "$civrules" check "$rules" "$data/200000.xlsx" \
        --source benches/workload.source --format summary >/dev/null || true; } 2>&1 | tail -1
done
