#!/usr/bin/env bash
# The CDNOW benchmark: features from the transaction log, the standard split, and CMLTV
# against ZILN, two-stage, MSE, BG/NBD x Gamma-Gamma and Pareto/NBD x Gamma-Gamma.
#
#   examples/cdnow.sh PATH/TO/CDNOW_master.txt [OUTPUT_DIR] [SEEDS]
#
# Windows: calibration 1997-01-01 .. 1997-09-30, holdout 1997-10-01 .. 1998-06-30 (273 days).
# Test customers: integer id divisible by 5 (4,714 of 23,570). Writes OUTPUT_DIR/cdnow.csv
# (features and label), OUTPUT_DIR/comparison/{comparison.md,comparison.json} and, when the
# binary has `report`, OUTPUT_DIR/report.html. Set CMLTV to a built binary to skip cargo.
set -euo pipefail

log="${1:?usage: examples/cdnow.sh PATH/TO/CDNOW_master.txt [OUTPUT_DIR] [SEEDS]}"
out="${2:-cdnow-results}"
seeds="${3:-5}"
if [[ -z "${CMLTV:-}" ]]; then
    cd "$(dirname "$0")/.."
    cargo build --release --quiet -p cmltv-cli
    CMLTV="${CARGO_TARGET_DIR:-target}/release/cmltv"
fi
mkdir -p "$out"

# One row per customer of the calibration window, the holdout spend as label.
"$CMLTV" features --quiet --transactions "$log" \
    --customer customer_id --time date --amount dollar_value --quantity number_of_cds \
    --calibration-end 1997-09-30 --holdout-end 1998-06-30 --output "$out/features.csv"

# The deterministic split: test = id % 5 == 0 (ids are the first column).
awk -F, 'NR == 1 { print $0 ",split"; next }
         { print $0 "," (($1 + 0) % 5 == 0 ? "test" : "train") }' \
    "$out/features.csv" > "$out/cdnow.csv.tmp"
mv "$out/cdnow.csv.tmp" "$out/cdnow.csv"
rm "$out/features.csv"

# Every model on that split, the neural ones once per seed.
"$CMLTV" compare --quiet --data "$out/cdnow.csv" --label holdout_spend --id customer_id \
    --split-column split --horizon-days 273 --seeds "$seeds" \
    --models cmltv,ziln,two-stage,mse,bgnbd,pareto-nbd --output "$out/comparison"

if "$CMLTV" report --help > /dev/null 2>&1; then
    "$CMLTV" report --quiet --compare "$out/comparison" --output "$out/report.html"
fi
