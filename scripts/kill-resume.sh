#!/usr/bin/env bash
# Crash test of `fedgen train --resume` (issue 13): for each model family, run a small job straight, then run it again
# in the same directory, kill it with SIGKILL once metrics.csv has K rows (K random in 2..R-1), check that a plain
# rerun is refused, resume it with `./fedgen train --resume DIR`, and compare with the straight run: `cmp` of
# checkpoint.fgs, samples-idx3-ubyte and metrics.png, and metrics.csv without its time columns (names ending in _ms).
# The straight run uses the same --out as the killed one, because the checkpoint records the output directory.
#
# Usage: scripts/kill-resume.sh [WORKDIR [FAMILY...]]   (default /tmp/fedgen-kill-resume and every family: vae flgan
#        iflgan mdgan ddpm dp-seeded dp-record; needs fedgen-examples/target/fedgen.jar: mvn -B -q package -DskipTests).
#        Exit status 0 when every family matches.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/fedgen-kill-resume}"
rounds=6
export OMP_NUM_THREADS=1
# Small jobs: a small heap leaves memory for the other processes on a shared machine.
export FEDGEN_JAVA_OPTS="${FEDGEN_JAVA_OPTS:--Xmx2g}"
common=(--rounds "$rounds" --clients 4 --partition iid --batch-size 16 --eval-every 2 --quality-samples 0
  --samples 20 --workers 1)
declare -A jobs=(
  [vae]="--model vae --local-steps 20"
  [flgan]="--model gan --topology flgan --local-steps 10"
  [iflgan]="--model gan --topology iflgan --local-steps 10"
  [mdgan]="--model gan --topology mdgan --local-steps 10 --swap-epochs 1"
  [ddpm]="--model ddpm --mlp-width 64 --mlp-depth 1 --timesteps 50 --ddim-steps 5 --local-steps 20"
  [dp-seeded]="--model vae --local-steps 20 --dp-noise 0.8 --dp-clip 0.01 --dp-q 0.75 --dp-seeded-noise --dp-seeded-sampling"
  [dp-record]="--model vae --local-steps 5 --dp-unit record --dp-noise 1.0 --dp-clip 0.01 --dp-seeded-noise --dp-seeded-sampling"
)
order=(vae flgan iflgan mdgan ddpm dp-seeded dp-record)
if [ $# -gt 1 ]; then
  order=("${@:2}")
fi

fedgen() { "$here/fedgen" "$@"; }
# (The killed run is started without this function: $! must be the process that becomes the JVM.)
rows() { [ -f "$1/metrics.csv" ] && echo $(($(wc -l < "$1/metrics.csv") - 1)) || echo 0; }
untimed() {
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
keep = [i for i, h in enumerate(rows[0]) if not h.endswith("_ms")]
for r in rows:
    print(",".join(r[i] for i in keep))
PY
}

rm -rf "$work"
mkdir -p "$work"
failures=0
for name in "${order[@]}"; do
  # shellcheck disable=SC2206
  args=(${jobs[$name]} "${common[@]}")
  dir="$work/$name"
  log="$work/$name.log"
  k=$((2 + RANDOM % (rounds - 2)))
  echo "== $name: ./fedgen train ${args[*]} --out $dir (kill -9 after $k of $rounds rounds)"
  if ! fedgen train "${args[@]}" --out "$dir" > "$log.straight" 2>&1; then
    echo "   straight run failed, see $log.straight"; failures=$((failures + 1)); continue
  fi
  mv "$dir" "$dir.straight"
  "$here/fedgen" train "${args[@]}" --out "$dir" > "$log.killed" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2> /dev/null && [ "$(rows "$dir")" -lt "$k" ]; do
    sleep 0.05
  done
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  status=$?
  got=$(rows "$dir")
  echo "   killed: exit $status with $got metrics rows"
  if [ "$status" -ne 137 ] || [ "$got" -ge "$rounds" ] || grep -q "run ended" "$log.killed"; then
    echo "   the run was not killed mid-way"; failures=$((failures + 1)); continue
  fi
  fedgen train "${args[@]}" --out "$dir" > "$log.rerun" 2>&1
  echo "   plain rerun: exit $? ($(tail -n 1 "$log.rerun"))"
  if ! fedgen train --resume "$dir" > "$log.resumed" 2>&1; then
    echo "   resume failed, see $log.resumed"; failures=$((failures + 1)); continue
  fi
  echo "   resumed: $(grep -o 'resuming .* after round [0-9]*' "$log.resumed")"
  same=1
  for f in checkpoint.fgs samples-idx3-ubyte metrics.png; do
    if cmp -s "$dir.straight/$f" "$dir/$f"; then
      echo "   $f: identical ($(stat -c %s "$dir/$f") bytes)"
    else
      echo "   $f: DIFFERS"; same=0
    fi
  done
  if [ "$(untimed "$dir.straight/metrics.csv")" == "$(untimed "$dir/metrics.csv")" ]; then
    echo "   metrics.csv: $(rows "$dir") rows identical without the time columns"
  else
    echo "   metrics.csv: DIFFERS"; same=0
  fi
  [ "$same" -eq 1 ] || failures=$((failures + 1))
done
echo "families that did not match: $failures"
exit $((failures > 0))
