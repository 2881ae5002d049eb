#!/usr/bin/env bash
# Whole-process figures of the README's "Performance" section, each beside
# its baseline in one run: civrules against the hand-written Rust yardstick
# (../shared/bench/native_baseline: serde_json's default features, borrowed
# fields, one reused line buffer) on the shared workload, one core against
# two, and peak memory for 200,000 against 2,000,000 records in every
# output format.
#
#   benches/whole_process.sh [RUNS]
#
# Needs hyperfine (Debian: apt-get install hyperfine) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
rules=../shared/bench/workload.rules
data=target/bench-data
mkdir -p "$data"
for n in 200000 2000000; do
    for format in ndjson csv; do
        file="$data/$n.$format"
        [ -s "$file" ] || python3 ../shared/bench/gen_records.py "$n" --format "$format" --out "$file"
    done
done
cargo build --release --quiet --bin civrules
# The yardstick is built in a target folder of its own (../shared is
# read-only in CI), with its own Cargo.lock and features.
cargo build --release --quiet --manifest-path ../shared/bench/native_baseline/Cargo.toml \
    --target-dir target/native_baseline
civrules=target/release/civrules
baseline=target/native_baseline/release/native_baseline

# Each comparison twice: hyperfine's batches (means), then the two commands
# run alternately, whose per-round ratio drifts less with the machine.
compare() {
    hyperfine -N -i -w 3 -r "$runs" "$1" "$2"
    benches/alternate.py "$runs" "$1" "$2"
}

echo "## One core: civrules against the hand-written yardstick (NDJSON, 200,000 records)"
compare "$baseline $data/200000.ndjson" \
    "$civrules check $rules $data/200000.ndjson --format summary --jobs 1"

for format in ndjson csv; do
    echo "## Two cores against one ($format, 200,000 records)"
    compare "$civrules check $rules $data/200000.$format --format summary --jobs 2" \
        "$civrules check $rules $data/200000.$format --format summary --jobs 1"
done

echo "## Peak resident memory (KB)"
for output in summary ndjson json table; do
    for format in ndjson csv; do
        for jobs in 1 2; do
            line="--format $output, $format, --jobs $jobs:"
            for n in 200000 2000000; do
                # civrules exits 1 when it finds violations, as it does here.
                kb=$( { /usr/bin/time -f "%M" "$civrules" check "$rules" "$data/$n.$format" \
                    --format "$output" --jobs "$jobs" >/dev/null || true; } 2>&1 | tail -1)
                line="$line $n records $kb"
            done
            echo "$line"
        done
    done
done
