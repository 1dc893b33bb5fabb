#!/usr/bin/env bash
# Attack-mix benchmark of `schemactl serve` (issue 9): does the server stay
# up, fast and bounded while hostile clients hammer it?
#
#   good     wrk on GET /subjects/<subject>/versions/latest (the lookup a
#            Confluent deserializer makes) for ATTACK_DURATION seconds
#   attacks  at the same time, in loops (bench/attack.py): option
#            aggregates nested 3,000 levels, a 60 KB `package a.a.a...`,
#            34,000 enum values with options, slow-loris connections,
#            bad base64 and "proto9"/"editions" descriptors
#
# Reports wrk's requests/s and p99 for the good requests, their non-2xx
# count and socket errors, each attack's answers, the server's peak RSS
# (VmHWM) and whether it stayed up ("server died" otherwise, never a hang).
# Targets: the server stays up, good p99 < 50 ms, no non-2xx good answer.
#
#   bench/attack.sh
#
# Environment:
#   SCHEMACTL_BIN     benchmark this binary instead of building
#                     target/release/schemactl
#   ATTACK_DURATION   seconds of the run (default 20)
#   ATTACK_LORIS      slow-loris connections held (default 300)
#   ATTACK_SERVE_ARGS extra `schemactl serve` flags, e.g. "--max-connections
#                     200" (fewer slots than slow-loris sockets)
#   ATTACK_SKIP       attacks to leave out, e.g. "deep longname" (default:
#                     none; names: deep longname enums badb64 slowloris)
#   ATTACK_RESULTS    results file (default bench/results-attack-DATE.txt;
#                     "none": do not write one)
#
# As for bench/serve.sh, figures mean something only on a quiet machine.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DURATION=${ATTACK_DURATION:-20}
LORIS=${ATTACK_LORIS:-300}
SKIP=${ATTACK_SKIP:-}
read -r -a SERVE_ARGS <<<"${ATTACK_SERVE_ARGS:-}"
SUBJECT=billing.payment-captured.v1-value
GOOD_PATH=/subjects/$SUBJECT/versions/latest
TARGET_P99_MS=50
export LC_ALL=C

log() { printf 'attack.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "ATTACK_DURATION must be a positive integer, not '$DURATION'"
[[ $LORIS =~ ^[0-9]+$ ]] || die "ATTACK_LORIS must be a non-negative integer, not '$LORIS'"
for tool in wrk curl git python3; do
	command -v "$tool" >/dev/null || die "missing $tool (Debian: apt-get install $tool)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/schemactl-attack-bench.XXXXXX")
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n ${SCHEMACTL_BIN:-} ]]; then
	SCHEMACTL=$SCHEMACTL_BIN
else
	log "cargo build --release -p schemactl"
	(cd "$ROOT" && cargo build --release -p schemactl) >&2
	SCHEMACTL=${CARGO_TARGET_DIR:-$ROOT/target}/release/schemactl
	[[ $SCHEMACTL == /* ]] || SCHEMACTL=$ROOT/$SCHEMACTL
fi
[[ -x $SCHEMACTL ]] || die "no schemactl binary at $SCHEMACTL"

# The example repository with tags v1.0.0 and v1.1.0, as bench/serve.sh.
fixture_repo() { # DIR
	local repo=$1 file=proto/acme/billing/v1/payment_captured.proto
	cp -r "$ROOT/schemas" "$repo"
	git -C "$repo" init -q -b main
	git -C "$repo" add -A
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m schemas
	git -C "$repo" tag v1.0.0
	awk '
		/^message PaymentCaptured / { inside = 1 }
		inside && $0 == "}" {
			print "  // A name the customer gave the card."
			print "  string card_nickname = 99;"
			inside = 0
		}
		{ print }' "$repo/$file" >"$WORK/pc.proto"
	mv "$WORK/pc.proto" "$repo/$file"
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -am PaymentCaptured.card_nickname
	git -C "$repo" tag v1.1.0
}

to_ms() { # wrk latency with unit -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") n = -1
		printf "%.3f", n }'
}

alive() { kill -0 "$SERVE_PID" 2>/dev/null; }
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$SERVE_PID/status" 2>/dev/null || true; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/serve.log" # read below before the server may have opened it
repo=$WORK/fixture
fixture_repo "$repo"
"$SCHEMACTL" serve "$repo" --addr 127.0.0.1:0 --poll 0 "${SERVE_ARGS[@]}" >/dev/null 2>"$WORK/serve.log" </dev/null &
SERVE_PID=$!
PIDS+=("$SERVE_PID")
URL=
for ((i = 0; i < 3000; i++)); do
	URL=$(sed -n 's|^schemactl serve: listening on \(http://[^ ]*\)$|\1|p' "$WORK/serve.log" | head -n 1) || true
	[[ -n $URL ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/readyz") == 200 ]] && break
	alive || die "schemactl serve exited: $(cat "$WORK/serve.log")"
	sleep 0.02
done
[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/readyz") == 200 ]] || die "schemactl serve not ready"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$URL$GOOD_PATH") == 200 ]] || die "GET $GOOD_PATH is not 200"
log "server $SERVE_PID at $URL; RSS after load $(peak_rss_kb) kB"

# The attacks and wrk run side by side; the server is sampled every 100 ms
# for liveness and peak RSS (VmHWM is gone once the process is).
python3 "$BENCH_DIR/attack.py" "$URL" "$SUBJECT" "$DURATION" "$LORIS" "$WORK/attacks.json" "$SKIP" 2>"$WORK/attack.err" &
ATTACK_PID=$!
PIDS+=("$ATTACK_PID")
sleep 1 # let the attacks start first
log "wrk -t2 -c32 -d${DURATION}s --latency $URL$GOOD_PATH"
wrk -t2 -c32 "-d${DURATION}s" --timeout 10s --latency "$URL$GOOD_PATH" >"$WORK/wrk.out" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
PEAK=$(peak_rss_kb)
DIED_AT=
START=$SECONDS
while kill -0 "$WRK_PID" 2>/dev/null || kill -0 "$ATTACK_PID" 2>/dev/null; do
	if alive; then
		rss=$(peak_rss_kb)
		[[ -z $rss ]] || PEAK=$rss
	elif [[ -z $DIED_AT ]]; then
		DIED_AT=$((SECONDS - START))
		log "SERVER DIED after ${DIED_AT}s"
	fi
	((SECONDS - START < DURATION + 60)) || {
		log "clients still running after $((DURATION + 60))s; stopping them"
		kill "$WRK_PID" "$ATTACK_PID" 2>/dev/null || true
		break
	}
	sleep 0.1
done
wait "$WRK_PID" 2>/dev/null || true
wait "$ATTACK_PID" 2>/dev/null || true
cat "$WORK/wrk.out" >&2
if alive; then
	rss=$(peak_rss_kb)
	[[ -z $rss ]] || PEAK=$rss
	# still answering after the attacks?
	after=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL$GOOD_PATH" || echo 000)
	METRICS=$(curl -s --max-time 5 "$URL/metrics" | grep -E '^schemactl_(jobs_total|panics_total|connections_total|connections_evicted_total)' || true)
	STATE="stayed up; GET after the attacks: $after"
else
	wait "$SERVE_PID" 2>/dev/null && code=0 || code=$?
	STATE="server died after ${DIED_AT:-?}s (exit status $code); last log lines: $(tail -n 3 "$WORK/serve.log" | tr '\n' ' ')"
	METRICS="(none: the server is gone)"
fi

rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.out")
p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.out")
p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.out")
p50=$([[ -n $p50 ]] && to_ms "$p50" || echo n/a)
p99=$([[ -n $p99 ]] && to_ms "$p99" || echo n/a)
reqs=$(awk '/ requests in / { print $1 }' "$WORK/wrk.out")
non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk.out")
sockerr=$(grep -E '^ +Socket errors:' "$WORK/wrk.out" | sed 's/^ *//' || true)
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "n/a"; else print (v + 0 < l + 0) ? "met" : "MISSED" }'; }

RESULTS=${ATTACK_RESULTS:-$BENCH_DIR/results-attack-$(date -u +%Y-%m-%d).txt}
{
	printf '== attack mix: %ss, wrk -t2 -c32 on GET %s while attack.py runs (%s slow-loris sockets)\n' "$DURATION" "$GOOD_PATH" "$LORIS"
	printf 'date: %s; machine: %s cores, load average before: %s\n' "$(date -u +%FT%TZ)" "$(nproc)" "$LOAD_BEFORE"
	printf 'schemactl: %s\n' "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
	printf 'server: %s\n' "$STATE"
	printf 'peak RSS (VmHWM): %s kB%s\n' "${PEAK:-n/a}" "$([[ -n $DIED_AT ]] && echo ' (last sample before it died)')"
	printf 'attacks left out: %s; serve flags: %s\n' "${SKIP:-none}" "${ATTACK_SERVE_ARGS:-(defaults)}"
	printf 'good requests: %s in %ss, %s requests/s, p50 %s ms, p99 %s ms (target < %s ms: %s)\n' \
		"${reqs:-0}" "$DURATION" "${rps:-n/a}" "$p50" "$p99" "$TARGET_P99_MS" "$(verdict "$p99" "$TARGET_P99_MS")"
	printf 'good non-2xx: %s; %s\n' "${non2xx:-0}" "${sockerr:-no socket errors}"
	printf 'attacks (sent, answers by status, connection errors):\n'
	if [[ -s $WORK/attacks.json ]]; then
		python3 -c '
import json, sys
for name, s in sorted(json.load(open(sys.argv[1])).items()):
    print("  %-10s sent %5d  %s  errors %d" % (name, s["sent"], json.dumps(s["status"], sort_keys=True), s["errors"]))' "$WORK/attacks.json"
	else
		printf '  (attack.py wrote nothing: %s)\n' "$(tail -n 3 "$WORK/attack.err" | tr '\n' ' ')"
	fi
	printf 'server metrics after the run:\n%s\n' "$(sed 's/^/  /' <<<"$METRICS")"
} >"$WORK/report"
cat "$WORK/report"
if [[ $RESULTS != none ]]; then
	cp "$WORK/report" "$RESULTS"
	log "results in $RESULTS"
fi
