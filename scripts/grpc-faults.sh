#!/usr/bin/env bash
# Fault drill of a deployed run with real processes on 127.0.0.1 (issue 15 acceptance):
#   A. a wrong token, a client claiming another id and garbage bytes on the port are sent while the run trains; kill -9
#      the server mid-run, restart it with --resume; the clients retry and carry on; the final checkpoint is compared
#      byte for byte (cmp) with the same run simulated by 'fedgen train' (so the refused probes left the model alone).
#   B. kill -9 one client mid-round: the round completes with the others. A probe then takes the killed client's id
#      and is given its tasks: it answers one with a stale-round update and one with an oversized chunk, each refused
#      with a logged reason (counted in transport.csv). The client is restarted and rejoins.
# Every probe prints one PASS or FAIL line; the script exits 1 if any failed.
# Usage: [PARTS=A|B|AB] scripts/grpc-faults.sh [WORKDIR]   (needs 'mvn -B -q package -DskipTests' and 'mvn test-compile' done)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
F="$here/fedgen"
W="${1:-$(mktemp -d /tmp/grpc-faults.XXXX)}"
mkdir -p "$W"
cd "$W"
export OMP_NUM_THREADS=1 FEDGEN_JAVA_OPTS="-Xmx2g"
JOB=(--clients 4 --local-steps 100 --batch-size 32 --quality-samples 0 --samples 0 --eval-every 100
     --workers 1 --seed 42)
PORT_A=17071
PORT_B=17072
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
say() { echo "[faults $(date +%T)] $*"; }
failures=0
verdict() { # verdict OK|NO TEXT
  if [ "$1" = OK ]; then say "PASS $2"; else say "FAIL $2"; failures=$((failures + 1)); fi
}
refused() { # refused LOG KIND NAME: PASS if the server logged a refusal of that kind (shows its reason)
  local line
  line=$(grep -o "refused (refused_$2): .*" "$1" | head -n 1 || true)
  if [ -n "$line" ]; then verdict OK "$3: $line"; else verdict NO "$3: no refused_$2 in $1"; fi
}
wait_for() { # wait_for FILE PATTERN SECONDS
  local end=$((SECONDS + $3))
  until grep -q -- "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt $end ] || { say "timed out waiting for '$2' in $1"; exit 1; }
    sleep 0.5
  done
}
start() { # start LOG CMD...: runs in the background, records its pid in $last
  local log=$1; shift
  "$@" > "$log" 2>&1 &
  last=$!
  pids+=("$last")
}

say "work directory $W"
[ -f split/split.json ] || "$F" split --clients 4 --seed 42 --out split | tail -n 1
for k in 0 1 2 3; do echo "$k $(printf 'token-%s' "$k" | sha256sum | cut -d' ' -f1)" ; done > tokens.txt

if [[ "${PARTS:-AB}" == *A* ]]; then
say "reference: the same job simulated in-process"
mkdir -p ref && (cd ref && "$F" train "${JOB[@]}" --rounds 5 --out run > train.log 2>&1)

say "A: deployed run; probes after round 1, kill -9 the server after round 2 or later, restart with --resume"
mkdir -p a
(cd a && start server1.log "$F" server --port $PORT_A --bind 127.0.0.1 --tokens ../tokens.txt "${JOB[@]}" --rounds 5 \
   --out run; echo $last > server.pid)
for k in 0 1 2 3; do
  start "a/client-$k.log" "$F" client --server 127.0.0.1:$PORT_A --id $k --data split/client-$k --token token-$k
done
wait_for a/server1.log "round   1" 600
# The refused probes run alongside the training (each is a JVM: slow to start on a loaded machine); a probe that
# reaches the server while it is down retries and is refused by the restarted one.
(rc=0; "$F" client --server 127.0.0.1:$PORT_A --id 3 --data split/client-3 --token wrong-token > a/wrong-token.log \
   2>&1 || rc=$?; echo "exit $rc" >> a/wrong-token.log) &
(rc=0; "$F" client --server 127.0.0.1:$PORT_A --id 3 --data split/client-3 --token token-0 > a/other-id.log 2>&1 \
   || rc=$?; echo "exit $rc" >> a/other-id.log) &
done_before=$(grep -c '^round' a/server1.log || true)
head -c 65536 /dev/urandom > /dev/tcp/127.0.0.1/$PORT_A || true
say "A: 64 KiB of garbage bytes sent to the port after $done_before rounds"
end=$((SECONDS + 600))
until [ "$(grep -c '^round' a/server1.log || true)" -gt "$done_before" ] || [ $SECONDS -ge $end ]; do sleep 0.5; done
if [ "$(grep -c '^round' a/server1.log || true)" -gt "$done_before" ]; then
  verdict OK "garbage bytes: the server went on serving ($(grep '^round' a/server1.log | tail -n 1 | cut -c1-40))"
else
  verdict NO "garbage bytes: no round completed after them"
fi
wait_for a/server1.log "round   2" 600
kill -9 "$(cat a/server.pid)"
say "A: server killed (SIGKILL) after: $(grep -c '^round' a/server1.log) rounds"
sleep 2
(cd a && start server2.log "$F" server --port $PORT_A --bind 127.0.0.1 --tokens ../tokens.txt --out run --resume
 echo $last > server.pid)
wait_for a/server2.log "outputs in" 900
for k in 0 1 2 3; do wait_for "a/client-$k.log" "run complete" 60; done
say "A: clients after the restart: $(grep -h 'retrying' a/client-*.log | wc -l) retries logged, all 4 said 'run complete'"
wait_for a/wrong-token.log "^exit" 600
wait_for a/other-id.log "^exit" 600
say "A: wrong token -> $(tail -n 1 a/wrong-token.log): $(grep -o 'fedgen: .*' a/wrong-token.log | head -n 1)"
say "A: client 0's token for id 3 -> $(tail -n 1 a/other-id.log): $(grep -o 'fedgen: .*' a/other-id.log | head -n 1)"
tokens=$(cat a/server1.log a/server2.log | grep -c 'refused (refused_token): a wrong token for client 3' || true)
[ "$tokens" -ge 1 ] && verdict OK "wrong token: $(cat a/server1.log a/server2.log | grep -o 'refused (refused_token): .*' | head -n 1)" \
  || verdict NO "wrong token: not refused"
[ "$tokens" -ge 2 ] && [ "$(tail -n 1 a/other-id.log)" = "exit 1" ] \
  && verdict OK "another id's token: refused as a wrong token for client 3" || verdict NO "another id's token: not refused"
if cmp a/run/checkpoint.fgs ref/run/checkpoint.fgs; then
  verdict OK "A: final checkpoint byte-identical to the simulation (cmp), after the server's kill -9 and the probes"
else
  verdict NO "A: checkpoints differ"
fi
fi

if [[ "${PARTS:-AB}" == *B* ]]; then
say "B: deployed run with a client killed mid-round, refusals probed"
mkdir -p b
(cd b && start server.log "$F" server --port $PORT_B --bind 127.0.0.1 --tokens ../tokens.txt --min-clients 3 \
   "${JOB[@]}" --rounds 12 --out run)
start b/host-012.log "$F" client --server 127.0.0.1:$PORT_B --ids 0-2 --data split --token token-0
# one token for ids 0-2 is refused for ids 1 and 2: the host of 0-2 needs its ids' tokens
wait_for b/host-012.log "fedgen: " 120
say "B: host with one token for 0-2: $(grep -o 'fedgen: .*' b/host-012.log | head -n 1)"
for k in 0 1 2; do
  start "b/client-$k.log" "$F" client --server 127.0.0.1:$PORT_B --id $k --data split/client-$k --token token-$k
done
start b/client-3.log "$F" client --server 127.0.0.1:$PORT_B --id 3 --data split/client-3 --token token-3
pid3=$last
wait_for b/server.log "round   1" 600
sleep 1
kill -9 "$pid3"
say "B: client 3 killed (SIGKILL) during round 2"
wait_for b/server.log "round   2" 600
r2=$(python3 -c "import csv;r=list(csv.DictReader(open('b/run/metrics.csv')))[1];print(r['accepted'],r['failed'])")
[ "$r2" = "3.0 1.0" ] || [ "$r2" = "3 1" ] && verdict OK "client killed mid-round: round 2 completed with the other 3 (accepted, failed: $r2)" \
  || verdict NO "client killed mid-round: round 2 accepted, failed = $r2"
# The probe takes id 3 (the killed client's): it is given id 3's tasks, answers the first with an update for the
# previous round and the second with an oversized chunk, then hangs up.
cp="$here/fedgen-grpc/target/test-classes:$here/fedgen-grpc/target/classes:$here/fedgen-examples/target/lib/*"
n3=$(python3 -c "import json;print(json.load(open('split/split.json'))['clientData'][3]['train'])")
java -cp "$cp" org.fedgen.grpc.ProbeMain 127.0.0.1:$PORT_B 3 token-3 "$n3" > b/probe.log 2>&1 || true
grep '^probe' b/probe.log | sed 's/^/[probe] /' || true
refused b/server.log task "stale-round update"
refused b/server.log oversized "oversized chunk"
full=$(grep -c 'clients  4/4' b/server.log || true)
start b/client-3-again.log "$F" client --server 127.0.0.1:$PORT_B --id 3 --data split/client-3 --token token-3
wait_for b/client-3-again.log "joined the run" 600
end=$((SECONDS + 900))
until [ "$(grep -c 'clients  4/4' b/server.log || true)" -gt "$full" ] || grep -q "outputs in" b/server.log; do
  [ $SECONDS -lt $end ] || break
  sleep 1
done
if [ "$(grep -c 'clients  4/4' b/server.log || true)" -gt "$full" ]; then
  verdict OK "client 3 restarted and rejoined: $(grep 'clients  4/4' b/server.log | tail -n 1 | cut -c1-40)"
else
  verdict NO "client 3 restarted but took part in no round before the run ended"
fi
wait_for b/server.log "outputs in" 900
say "B: refusals logged by the server:"
grep -o 'refused (refused_[a-z]*): .*' b/server.log | sed 's/^/    /'
say "B: metrics per round (round, accepted, failed):"
python3 - <<'PY2'
import csv
rows = list(csv.DictReader(open('b/run/metrics.csv')))
for r in rows:
    print('    round %s accepted %s failed %s' % (r['round'], r['accepted'], r['failed']))
PY2
say "B: transport.csv:"
sed 's/^/    /' b/run/transport.csv
fi
say "done: $failures failed"
[ "$failures" -eq 0 ]
