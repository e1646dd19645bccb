#!/usr/bin/env bash
# Peak memory and wall time of `cmltv features` on a generated log of 10 million transactions.
#
# The builder streams the log, so its memory should follow the number of customers (here
# 1,000,000), not the number of transactions or the size of the file. The log is generated
# deterministically (a fixed seed) in the CSV layout: customer id, ISO date, amount, quantity.
#
# Usage: benches/features_memory.sh [TRANSACTIONS] [CUSTOMERS]
#   CMLTV=path/to/cmltv   the binary (default: $CARGO_TARGET_DIR/release/cmltv, built if absent)
#   BENCH_DIR=dir         where the log and the table go (default: a temporary directory)
set -euo pipefail

transactions=${1:-10000000}
customers=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cmltv=${CMLTV:-$target/release/cmltv}
dir=${BENCH_DIR:-$(mktemp -d)}
log=$dir/transactions.csv
output=$dir/features.parquet

if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if [ ! -x "$cmltv" ]; then
    (cd "$root" && cargo build --release -p cmltv-cli)
fi

# Customers' activity is skewed (a few buy often), dates span 1997-01-01 .. 1998-06-30 and
# rows are written in date order, as logs usually are.
if [ ! -s "$log" ]; then
    python3 - "$transactions" "$customers" "$log" <<'PY'
import datetime, random, sys

rows, customers, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
start = datetime.date(1997, 1, 1)
days = 546
per_day = rows // days
with open(path, "w", buffering=1 << 20) as out:
    out.write("customer_id,date,amount,quantity\n")
    written = 0
    for day in range(days):
        date = (start + datetime.timedelta(days=day)).isoformat()
        count = per_day if day < days - 1 else rows - written
        lines = []
        for _ in range(count):
            customer = int(customers * rng.random() ** 2)
            amount = round(rng.lognormvariate(3.0, 0.8), 2)
            lines.append(f"{customer:07d},{date},{amount},{1 + int(rng.random() * 3)}\n")
        out.write("".join(lines))
        written += count
PY
fi

report=$dir/time.txt
/usr/bin/time -v "$cmltv" features --transactions "$log" --customer customer_id --time date \
    --amount amount --quantity quantity --calibration-end 1997-09-30 \
    --holdout-end 1998-06-30 --output "$output" 2> "$report" || { cat "$report"; exit 1; }

peak_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
grep -E '^wrote' "$report" || true
echo "transactions:       $transactions ($(wc -l < "$log") lines)"
echo "log size:           $(du -h "$log" | cut -f1)"
echo "feature table size: $(du -h "$output" | cut -f1)"
echo "peak RSS:           $((peak_kib / 1024)) MiB"
echo "wall time:          $wall"
