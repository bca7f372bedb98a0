#!/usr/bin/env bash
# Deployment demo (docs/deployment.md): the default VAE job for a few rounds with one 'fedgen server' (TLS on) and two
# 'fedgen client' hosts of 5 ids each on 127.0.0.1, then the same job simulated by 'fedgen train'; the two final
# checkpoints are compared with cmp. Usage: scripts/grpc-demo.sh [WORKDIR] [ROUNDS] [TRAINING OPTIONS...]
# Training options go to both 'fedgen server' and 'fedgen train', e.g. --secure-aggregation (the client hosts then
# mask their own updates; docs/secure-aggregation.md). PORT (default 17080) and FEDGEN_JAVA_OPTS (default -Xmx3g) may
# be set in the environment, and FEDGEN (default ./fedgen of this checkout) to run another copy of the CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
F="${FEDGEN:-$here/fedgen}"
W="${1:-$(mktemp -d /tmp/grpc-demo.XXXX)}"
R="${2:-3}"
shift $(( $# < 2 ? $# : 2 ))
OPTS=("$@")
PORT="${PORT:-17080}"
mkdir -p "$W/deployed" "$W/simulated"
cd "$W"
export OMP_NUM_THREADS=1 FEDGEN_JAVA_OPTS="${FEDGEN_JAVA_OPTS:--Xmx3g}"
say() { echo "[demo $(date +%T)] $*"; }

"$F" split --clients 10 --seed 42 --out split | tail -n 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout server-key.pem -out server-cert.pem -days 7 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2> /dev/null
say "server: default VAE job, $R rounds, TLS, 10 clients ${OPTS[*]:-}"
(cd deployed && "$F" server --port $PORT --bind 127.0.0.1 --tls-cert ../server-cert.pem --tls-key ../server-key.pem \
  --rounds $R --out run "${OPTS[@]}" > server.log 2>&1) &
server=$!
"$F" client --server localhost:$PORT --ids 0-4 --data split --tls-ca server-cert.pem > deployed/host-a.log 2>&1 &
a=$!
"$F" client --server localhost:$PORT --ids 5-9 --data split --tls-ca server-cert.pem > deployed/host-b.log 2>&1 &
b=$!
wait $server
wait $a
wait $b
grep '^round' deployed/server.log
say "hosts: $(tail -n 1 deployed/host-a.log) / $(tail -n 1 deployed/host-b.log)"
say "simulation: fedgen train --rounds $R ${OPTS[*]:-}"
(cd simulated && "$F" train --rounds $R --out run "${OPTS[@]}" > train.log 2>&1)
grep '^round' simulated/train.log
if cmp deployed/run/checkpoint.fgs simulated/run/checkpoint.fgs; then
  say "final checkpoints byte-identical ($(stat -c %s deployed/run/checkpoint.fgs) bytes, cmp)"
else
  say "checkpoints DIFFER"; exit 1
fi
say "wire bytes per round (transport.csv):"
cat deployed/run/transport.csv
