#!/usr/bin/env bash
# Benchmark of `schemactl serve` (see bench/README.md, "serve.sh"):
#
#   lookup   GET /api/v1/topics/billing.payment-captured.v1/versions/latest on
#            the example repository (schemas/ with two release tags), with
#            wrk, against nginx serving the same bytes as a static file.
#            Targets: schemactl/nginx requests/s >= 0.7, schemactl p99 < 5 ms.
#   startup  a git repository of google-proto-files@6.0.1 with 50 release
#            tags (3-6 files changed per tag): time until `schemactl serve`
#            is ready with all 50, against the sum of 50 from-scratch
#            `schemactl build --ref TAG`. Target: ratio <= 0.1. Also the
#            server's peak RSS (VmHWM) once loaded.
#
#   bench/serve.sh                       # both sections
#   BENCH_SECTIONS=lookup bench/serve.sh
#   bench/compare.sh serve               # the same, as a section of compare.sh
#
# Environment (as in compare.sh where the name is the same):
#   BENCH_RUNS            timed start-ups (default 3; +1 untimed warm-up)
#   BENCH_SECTIONS        sections to run, space separated (default: all)
#   BENCH_CACHE           cache for npm packages, corpora and the generated
#                         history repository (default $HOME/.cache/schemactl-bench)
#   BENCH_CORPUS_VERSION  google-proto-files version (default 6.0.1)
#   BENCH_CORPUS          corpus directory (default under BENCH_CACHE)
#   SCHEMACTL_BIN         benchmark this binary instead of building
#                         target/release/schemactl
#   SERVE_WRK_DURATION    seconds of each measured wrk run (default 15)
#   SERVE_WRK_WARMUP      seconds of the wrk warm-up run (default 5)
#   SERVE_TAGS            release tags in the generated history (default 50)
#   SERVE_SEED            seed of the generated history (default 1)
#   SERVE_RESULTS         results file (default bench/results-serve-DATE.txt;
#                         "none": do not write one)
#   BENCH_EMBEDDED        1: called by compare.sh; print only the sections on
#                         stdout (the results file still gets everything)
#
# Results mean something only on a quiet machine: wrk, the server and nginx
# share the machine's cores, and a `cargo build` beside them distorts every
# figure. The header prints the load average.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
CACHE=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
RUNS=${BENCH_RUNS:-3}
CORPUS_VERSION=${BENCH_CORPUS_VERSION:-6.0.1}
WRK_DURATION=${SERVE_WRK_DURATION:-15}
WRK_WARMUP=${SERVE_WRK_WARMUP:-5}
NTAGS=${SERVE_TAGS:-50}
SEED=${SERVE_SEED:-1}
ALL_SECTIONS=(lookup startup) # each NAME has a function section_NAME below
TOPIC=billing.payment-captured.v1
LOOKUP_PATH=/api/v1/topics/$TOPIC/versions/latest
# Targets (SPEC: the registry answers lookups near static-file speed and
# starts from its history incrementally)
TARGET_RPS_RATIO=0.7
TARGET_P99_MS=5
TARGET_STARTUP_RATIO=0.1
export LC_ALL=C

log() { printf 'serve.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[[ $NTAGS =~ ^[1-9][0-9]*$ && $NTAGS -ge 2 ]] || die "SERVE_TAGS must be an integer >= 2, not '$NTAGS'"
[[ $SEED =~ ^[0-9]+$ ]] || die "SERVE_SEED must be a non-negative integer, not '$SEED'"
[[ $WRK_DURATION =~ ^[1-9][0-9]*$ && $WRK_WARMUP =~ ^[1-9][0-9]*$ ]] ||
	die "SERVE_WRK_DURATION and SERVE_WRK_WARMUP must be positive integers (seconds)"
read -r -a SECTIONS <<<"${BENCH_SECTIONS:-${ALL_SECTIONS[*]}}"
for s in "${SECTIONS[@]}"; do
	[[ " ${ALL_SECTIONS[*]} " == *" $s "* ]] || die "unknown section '$s' (have: ${ALL_SECTIONS[*]})"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/schemactl-serve-bench.XXXXXX")
PIDS=() # servers started by this script, stopped on exit
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------
APT_UPDATED=
apt_install() {
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		die "missing $*; install it (Debian: apt-get install $*)"
	fi
	if [[ -z $APT_UPDATED ]]; then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		APT_UPDATED=1
	fi
	log "apt-get install -y $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
[[ -x /usr/bin/time ]] || apt_install time
command -v curl >/dev/null || apt_install curl
command -v git >/dev/null || apt_install git
command -v python3 >/dev/null || apt_install python3
command -v wrk >/dev/null || apt_install wrk
# nginx lives in /usr/sbin, which a non-root PATH may lack
NGINX=$(command -v nginx || true)
[[ -n $NGINX || ! -x /usr/sbin/nginx ]] || NGINX=/usr/sbin/nginx
if [[ -z $NGINX ]]; then
	# Debian starts the packaged service unless policy-rc.d says no; this
	# script runs its own nginx, so the service is stopped again if it started.
	apt_install nginx
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	if command -v service >/dev/null; then service nginx stop >/dev/null 2>&1 || true; fi
fi
[[ -x $NGINX ]] || die "no nginx binary"
command -v protoc >/dev/null || apt_install protobuf-compiler libprotobuf-dev

# schemactl
if [[ -n ${SCHEMACTL_BIN:-} ]]; then
	SCHEMACTL=$SCHEMACTL_BIN
	log "using SCHEMACTL_BIN=$SCHEMACTL (not building)"
else
	log "cargo build --release -p schemactl"
	(cd "$ROOT" && cargo build --release -p schemactl) >&2
	SCHEMACTL=${CARGO_TARGET_DIR:-$ROOT/target}/release/schemactl
	[[ $SCHEMACTL == /* ]] || SCHEMACTL=$ROOT/$SCHEMACTL
fi
[[ -x $SCHEMACTL ]] || die "no schemactl binary at $SCHEMACTL"

# --- helpers -------------------------------------------------------------------
REPORT=

median() { # numbers on stdin -> median
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.10g\n", m }'
}

ratio() { # A B -> A/B with 2 decimals (3 below 0.1), or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) { r = a / b; printf (r < 0.1 ? "%.3f" : "%.2f"), r } else print "n/a" }'
}

verdict() { # VALUE OP LIMIT -> "met" / "MISSED"
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == ">=") ? (v >= l) : (op == "<=") ? (v <= l) : (op == "<") ? (v < l) : 0
		print (v == "n/a" ? "n/a" : ok ? "met" : "MISSED") }'
}

now() { printf '%s\n' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

section() { # TITLE
	SECTION_TITLE=$1
	log "== $SECTION_TITLE"
}

# Appends stdin to the report (and shows it).
report() {
	local text
	text=$(cat)
	REPORT+=$text$'\n'
	printf '%s\n' "$text" >&2
}

# start_schemactl LOG REPO ARGS... : starts `schemactl serve REPO` on a free
# port; sets SERVE_PID and SERVE_URL (from the "listening on" line).
start_schemactl() {
	local logf=$1 repo=$2 i addr=''
	shift 2
	"$SCHEMACTL" serve "$repo" --addr 127.0.0.1:0 --poll 0 "$@" >/dev/null 2>"$logf" </dev/null &
	SERVE_PID=$!
	PIDS+=("$SERVE_PID")
	for ((i = 0; i < 2000; i++)); do
		addr=$(sed -n 's|^schemactl serve: listening on \(http://[^ ]*\)$|\1|p' "$logf" | head -n 1)
		[[ -z $addr ]] || break
		kill -0 "$SERVE_PID" 2>/dev/null || {
			cat "$logf" >&2
			die "schemactl serve exited"
		}
		sleep 0.01
	done
	[[ -n $addr ]] || die "schemactl serve did not say where it listens: $(cat "$logf")"
	SERVE_URL=$addr
}

stop_pid() { # PID: SIGTERM, wait
	local pid=$1 p
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	local -a rest=()
	for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || rest+=("$p"); done
	PIDS=("${rest[@]}")
}

# readyz URL -> "STATUS RELEASES ERRORS" (HTTP status, releases loaded,
# release errors), "000 0 0" while nothing answers
readyz() {
	local body code
	body=$WORK/readyz.json
	code=$(curl -s -o "$body" -w '%{http_code}' --max-time 5 "$1/readyz" 2>/dev/null) || code=000
	if [[ $code == 200 ]]; then
		python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(sys.argv[2], j.get("releases", 0), len(j.get("release_errors") or []))' "$body" "$code"
	else
		echo "$code 0 0"
	fi
}

# --- section lookup: schemactl vs nginx on one cached body ------------------------
# The example repository as a git repository with release tags v1.0.0 and
# v1.1.0 (v1.1.0 adds PaymentCaptured.card_nickname), like fixture_repo() of
# crates/schemactl/tests/cli/common/serve.rs.
fixture_repo() { # DIR
	local repo=$1 file=proto/acme/billing/v1/payment_captured.proto
	cp -r "$ROOT/schemas" "$repo"
	git -C "$repo" init -q -b main
	git -C "$repo" add -A
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m schemas
	git -C "$repo" tag v1.0.0
	# before the closing brace of the top-level message PaymentCaptured
	awk '
		/^message PaymentCaptured / { inside = 1 }
		inside && $0 == "}" {
			print "  // A name the customer gave the card."
			print "  string card_nickname = 99;"
			inside = 0
		}
		{ print }' "$repo/$file" >"$WORK/pc.proto"
	cmp -s "$WORK/pc.proto" "$repo/$file" && die "could not add a field to PaymentCaptured in $file"
	mv "$WORK/pc.proto" "$repo/$file"
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -am PaymentCaptured.card_nickname
	git -C "$repo" tag v1.1.0
}

# nginx serving DOCROOT on 127.0.0.1:PORT, 2 workers (as many as the tokio
# runtime of schemactl has threads on this machine: one per CPU), as the
# current user, everything it writes in DIR. Sets NGINX_PID.
start_nginx() { # DIR DOCROOT PORT
	local dir=$1 docroot=$2 port=$3 user='' i
	mkdir -p "$dir/tmp"
	# a master running as root would hand the workers to `nobody`
	if [[ $(id -u) -eq 0 ]]; then user="user $(id -un) $(id -gn);"; fi
	cat >"$dir/nginx.conf" <<EOF
# bench/serve.sh: a static file server as the baseline of the lookup section
$user
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 75s;
	keepalive_requests 1000000;
	open_file_cache max=16;
	client_body_temp_path $dir/tmp/client;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		root $docroot;
	}
}
EOF
	"$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >&2 ||
		die "nginx rejects $dir/nginx.conf: $(cat "$dir/error.log" 2>/dev/null)"
	"$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >/dev/null 2>"$dir/stderr.log" </dev/null &
	NGINX_PID=$!
	PIDS+=("$NGINX_PID")
	for ((i = 0; i < 500; i++)); do
		if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then return 0; fi
		kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$dir/error.log" "$dir/stderr.log")"
		sleep 0.01
	done
	die "nginx does not answer on port $port: $(cat "$dir/error.log")"
}

# wrk_latency_ms VALUE_WITH_UNIT -> milliseconds
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") n = -1
		printf "%.3f", n }'
}

# bench_http NAME URL: a warm-up wrk run, then the measured one; records
# requests/s and latency percentiles of the measured run. Any socket error
# or non-2xx response stops the benchmark.
H_NAME=() H_RPS=() H_P50=() H_P99=() H_REQS=()
bench_http() {
	local name=$1 url=$2 out=$WORK/wrk.$1 rps p50 p99 reqs
	log "$name: wrk warm-up ${WRK_WARMUP}s"
	wrk -t2 -c64 "-d${WRK_WARMUP}s" "$url" >"$out.warmup" 2>&1 || die "wrk failed: $(cat "$out.warmup")"
	log "$name: wrk -t2 -c64 -d${WRK_DURATION}s --latency $url"
	wrk -t2 -c64 "-d${WRK_DURATION}s" --latency "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
	cat "$out" >&2
	if grep -q -e 'Non-2xx or 3xx responses' -e 'Socket errors' "$out"; then
		die "$name: errors under load (see wrk's output above)"
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	reqs=$(awk '/ requests in / { print $1 }' "$out")
	[[ $rps =~ ^[0-9.]+$ && $p99 =~ ^[0-9.]+$ && $p50 =~ ^[0-9.]+$ && $reqs =~ ^[0-9]+$ ]] ||
		die "$name: cannot read wrk's output"
	H_NAME+=("$name") H_RPS+=("$rps") H_P50+=("$p50") H_P99+=("$p99") H_REQS+=("$reqs")
}

section_lookup() {
	local repo=$WORK/fixture www=$WORK/www port body_s body_n i
	section "lookup: GET $LOOKUP_PATH, wrk -t2 -c64 -d${WRK_DURATION}s (after a ${WRK_WARMUP}s warm-up), schemactl serve vs nginx serving the same bytes as a static file"
	fixture_repo "$repo"
	start_schemactl "$WORK/serve-lookup.log" "$repo"
	for ((i = 0; i < 600; i++)); do
		[[ $(readyz "$SERVE_URL") != 200\ * ]] || break
		sleep 0.1
	done
	[[ $(readyz "$SERVE_URL") == 200\ * ]] || die "schemactl serve not ready: $(cat "$WORK/serve-lookup.log")"

	body_s=$WORK/body.schemactl
	[[ $(curl -s -o "$body_s" -w '%{http_code}' "$SERVE_URL$LOOKUP_PATH") == 200 ]] ||
		die "GET $LOOKUP_PATH: $(cat "$body_s")"
	mkdir -p "$www$(dirname "$LOOKUP_PATH")"
	cp "$body_s" "$www$LOOKUP_PATH"
	port=$(free_port)
	start_nginx "$WORK/nginx" "$www" "$port"
	body_n=$WORK/body.nginx
	[[ $(curl -s -o "$body_n" -w '%{http_code}' "http://127.0.0.1:$port$LOOKUP_PATH") == 200 ]] ||
		die "nginx GET $LOOKUP_PATH: $(cat "$body_n")"
	cmp -s "$body_s" "$body_n" || die "the bodies of schemactl and nginx differ"
	log "bodies are byte-identical ($(stat -c %s "$body_s") bytes)"

	H_NAME=() H_RPS=() H_P50=() H_P99=() H_REQS=()
	bench_http schemactl "$SERVE_URL$LOOKUP_PATH"
	bench_http nginx "http://127.0.0.1:$port$LOOKUP_PATH"
	# the body must not have changed under load
	cmp -s "$body_s" <(curl -s "$SERVE_URL$LOOKUP_PATH") || die "schemactl's body changed during the run"
	stop_pid "$NGINX_PID"
	stop_pid "$SERVE_PID"

	{
		printf '\n== %s\n' "$SECTION_TITLE"
		printf 'body: %d bytes, byte-identical from both (checked with curl before and after)\n' "$(stat -c %s "$body_s")"
		printf '%-10s %12s %10s %10s %12s\n' server "requests/s" "p50 ms" "p99 ms" requests
		for i in "${!H_NAME[@]}"; do
			printf '%-10s %12s %10s %10s %12s\n' "${H_NAME[$i]}" "${H_RPS[$i]}" "${H_P50[$i]}" "${H_P99[$i]}" "${H_REQS[$i]}"
		done
		local r
		r=$(ratio "${H_RPS[0]}" "${H_RPS[1]}")
		printf 'ratio (> 1: schemactl serves more requests/s)\n'
		printf '%-20s %10s   target >= %s: %s\n' "schemactl/nginx" "$r" "$TARGET_RPS_RATIO" "$(verdict "$r" ">=" "$TARGET_RPS_RATIO")"
		printf '%-20s %10s   target < %s ms: %s\n' "schemactl p99 ms" "${H_P99[0]}" "$TARGET_P99_MS" "$(verdict "${H_P99[0]}" "<" "$TARGET_P99_MS")"
	} >"$WORK/section"
	report <"$WORK/section" # not a pipe: report sets REPORT
}

# --- section startup: 50 release tags, incremental vs from scratch ----------------
# The topics of the generated repository: real messages of the corpus, each
# top-level in its file, in files few others import.
HISTORY_TOPICS='
pubsub.pubsub-message.v1 google.pubsub.v1.PubsubMessage google/pubsub/v1/pubsub.proto
audit.audit-log.v1 google.cloud.audit.AuditLog google/cloud/audit/audit_log.proto
logging.log-entry.v2 google.logging.v2.LogEntry google/logging/v2/log_entry.proto
tasks.task.v2 google.cloud.tasks.v2.Task google/cloud/tasks/v2/task.proto
storage.object.v2 google.storage.v2.Object google/storage/v2/storage.proto
iam.policy.v1 google.iam.v1.Policy google/iam/v1/policy.proto
spanner.mutation.v1 google.spanner.v1.Mutation google/spanner/v1/mutation.proto
firestore.document.v1 google.firestore.v1.Document google/firestore/v1/document.proto
pubsublite.message.v1 google.cloud.pubsublite.v1.PubSubMessage google/cloud/pubsublite/v1/common.proto
monitoring.time-series.v3 google.monitoring.v3.TimeSeries google/monitoring/v3/metric.proto
asset.asset.v1 google.cloud.asset.v1.Asset google/cloud/asset/v1/assets.proto
scheduler.job.v1 google.cloud.scheduler.v1.Job google/cloud/scheduler/v1/job.proto
container.cluster.v1 google.container.v1.Cluster google/container/v1/cluster_service.proto
dataproc.job.v1 google.cloud.dataproc.v1.Job google/cloud/dataproc/v1/jobs.proto
functions.function.v2 google.cloud.functions.v2.Function google/cloud/functions/v2/functions.proto
grafeas.occurrence.v1 grafeas.v1.Occurrence grafeas/v1/grafeas.proto
bigquery.append-rows-request.v1 google.cloud.bigquery.storage.v1.AppendRowsRequest google/cloud/bigquery/storage/v1/storage.proto
securitycenter.finding.v1 google.cloud.securitycenter.v1.Finding google/cloud/securitycenter/v1/finding.proto
cloudbuild.build.v1 google.devtools.cloudbuild.v1.Build google/devtools/cloudbuild/v1/cloudbuild.proto
run.service.v2 google.cloud.run.v2.Service google/cloud/run/v2/service.proto
'

# Writes the history repository into DIR (a new directory). Deterministic:
# the same corpus, tag count and seed give the same commits, byte for byte
# (fixed identities and dates), so the cache key below names it.
#
# Tag 1 (v1.0.0) is the corpus as it is plus schemactl.yaml (one root, like
# `schemactl build CORPUS` without a config in compare.sh, and the topics
# above). Each next tag (v1.N.0) changes 3-6 files picked by a seeded PRNG:
# with probability 1/2 one of them is a topic's file, where a field is added
# to the topic's message; the others are any corpus file, where either a
# field is added to a top-level message or a comment is added. Every changed
# file is compiled with protoc (with its imports) before the commit; a change
# protoc rejects is replaced by a comment.
# shellcheck disable=SC2016 # python program
generate_history() { # CORPUS DIR TAGS SEED
	python3 - "$@" <<'PY'
import os, random, re, subprocess, sys

corpus, repo, ntags, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
topics = [l.split() for l in os.environ["HISTORY_TOPICS"].strip().splitlines()]
files = open(os.path.join(corpus, ".corpus-files")).read().split()
rng = random.Random(seed)
env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com", TZ="UTC")

def git(*args, date=None):
    e = dict(env)
    if date:
        e["GIT_AUTHOR_DATE"] = e["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                   cwd=repo, env=e, check=True, stdout=subprocess.DEVNULL)

def commit_and_tag(n, message):
    date = "2026-01-01T00:00:00Z" if n == 0 else f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00Z"
    git("add", "-A")
    git("commit", "-q", "-m", message, date=date)
    git("tag", "-a", f"v1.{n}.0", "-m", f"v1.{n}.0", date=date)

def read(f):
    with open(os.path.join(repo, f), encoding="utf-8") as fh:
        return fh.read()

def write(f, text):
    with open(os.path.join(repo, f), "w", encoding="utf-8") as fh:
        fh.write(text)

def top_messages(lines):
    """(name, first line, closing line) of the top-level messages written
    `message Name {` ... `}` in the Google style (closing brace alone at
    column 0), skipping those whose numbers a new field could clash with."""
    out = []
    for i, l in enumerate(lines):
        m = re.match(r"message (\w+) \{$", l)
        if not m:
            continue
        for j in range(i + 1, len(lines)):
            if lines[j] == "}":
                body = "\n".join(lines[i:j])
                if not re.search(r"\bextensions\b|\bmax\b|message_set_wire_format", body):
                    out.append((m.group(1), i, j))
                break
    return out

def add_field(text, tag, k, message=None):
    lines = text.split("\n")
    msgs = top_messages(lines)
    if message is not None:
        msgs = [m for m in msgs if m[0] == message]
    if not msgs:
        return None
    name, start, end = msgs[0] if message is not None else rng.choice(msgs)
    label = "" if re.search(r'^syntax\s*=\s*"proto3"', text, re.M) else "optional "
    field = [f"  // Added in v1.{tag}.0 (bench/serve.sh).",
             f"  {label}string bench_rev_{tag}_{k} = {400000 + tag * 10 + k};"]
    return "\n".join(lines[:end] + field + lines[end:])

def add_comment(text, tag, k):
    lines = text.split("\n")
    msgs = top_messages(lines)
    note = f"// Revision note of v1.{tag}.0, change {k} (bench/serve.sh)."
    if not msgs:
        return text.rstrip("\n") + "\n\n" + note + "\n"
    _, start, _ = rng.choice(msgs)
    return "\n".join(lines[:start] + [note, ""] + lines[start:])

def compiles(changed):
    r = subprocess.run(["protoc", "-I", ".", "--descriptor_set_out=/dev/null", *changed],
                       cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0

os.makedirs(repo)
subprocess.run(f'cd "{corpus}" && tar cf - -T .corpus-files | (cd "{repo}" && tar xf -)',
               shell=True, check=True)
yaml = ["# bench/serve.sh: google-proto-files as a schema repository with release tags.",
        "version: v1", "roots: [.]", "topics:"]
for name, message, f in topics:
    yaml += [f"  {name}:", f"    message: {message}", "    owners: [bench]"]
write("schemactl.yaml", "\n".join(yaml) + "\n")
git("init", "-q", "-b", "main")
commit_and_tag(0, "google-proto-files as released")

counts = {"field": 0, "comment": 0, "topic-field": 0, "rejected": 0}
for tag in range(1, ntags):
    n = rng.randint(3, 6)
    picks = []
    if rng.random() < 0.5:
        t = rng.choice(topics)
        picks.append((t[2], t[1].rsplit(".", 1)[1]))
    while len(picks) < n:
        f = rng.choice(files)
        if f not in [p[0] for p in picks]:
            picks.append((f, None))
    before = {}
    for k, (f, message) in enumerate(picks):
        text = read(f)
        before[f] = text
        if message is not None:
            new, kind = add_field(text, tag, k, message), "topic-field"
        elif rng.random() < 0.5:
            new, kind = add_field(text, tag, k), "field"
        else:
            new, kind = None, "comment"
        if new is None:
            new, kind = add_comment(text, tag, k), "comment"
        write(f, new)
        counts[kind] += 1
    changed = [p[0] for p in picks]
    if not compiles(changed):
        for k, f in enumerate(changed):
            if not compiles([f]):
                write(f, add_comment(before[f], tag, k))
                counts["rejected"] += 1
        if not compiles(changed):
            sys.exit(f"v1.{tag}.0 does not compile with protoc: {changed}")
    commit_and_tag(tag, f"v1.{tag}.0: change " + ", ".join(changed))
print(f"{ntags} tags; changes: {counts['topic-field']} fields added to topic messages, "
      f"{counts['field']} fields added to other messages, {counts['comment']} comments "
      f"({counts['rejected']} field(s) protoc rejected, made comments)")
PY
}

HISTORY_SUMMARY=
history_repo() {
	local key dir
	key=$(
		{
			printf '%s\n' "$CORPUS_VERSION" "$NTAGS" "$SEED" "$HISTORY_TOPICS"
			declare -f generate_history
		} | sha256sum | cut -c1-12
	)
	dir=$CACHE/serve-history/google-proto-files-$CORPUS_VERSION-${NTAGS}tags-seed$SEED-$key
	if [[ ! -f $dir/.git/bench-done ]]; then
		log "generating the history repository ($NTAGS tags, seed $SEED) in $dir"
		rm -rf "$dir"
		mkdir -p "$(dirname "$dir")"
		HISTORY_TOPICS=$HISTORY_TOPICS generate_history "$CORPUS" "$dir" "$NTAGS" "$SEED" >"$WORK/history.txt" ||
			die "generating the history repository failed"
		cp "$WORK/history.txt" "$dir/.git/bench-done"
	fi
	HISTORY_SUMMARY=$(cat "$dir/.git/bench-done")
	HISTORY=$dir
}

section_startup() {
	local i t0 t1 st rel err pid hwm line
	CORPUS=${BENCH_CORPUS:-$CACHE/corpus/google-proto-files-$CORPUS_VERSION}
	"$BENCH_DIR/corpus.sh" "$CORPUS_VERSION" "$CORPUS"
	history_repo
	mapfile -t TAGS < <(git -C "$HISTORY" tag -l 'v*' --sort=v:refname)
	[[ ${#TAGS[@]} -eq $NTAGS ]] || die "$HISTORY has ${#TAGS[@]} tags, expected $NTAGS"
	section "startup: google-proto-files@$CORPUS_VERSION ($(wc -l <"$CORPUS/.corpus-files") files) as a git repository with $NTAGS release tags; schemactl serve until ready with all $NTAGS vs schemactl build of each tag from scratch"

	# (a) serve: from the process start until /readyz says 200 with every tag
	local -a walls=() hwms=() compiled=()
	for ((i = 0; i <= RUNS; i++)); do
		t0=$(now)
		start_schemactl "$WORK/serve-startup.log" "$HISTORY"
		pid=$SERVE_PID
		while :; do
			read -r st rel err < <(readyz "$SERVE_URL")
			if [[ $st == 200 && $((rel + err)) -ge $NTAGS ]]; then break; fi
			kill -0 "$pid" 2>/dev/null || die "schemactl serve exited: $(cat "$WORK/serve-startup.log")"
			sleep 0.05
		done
		t1=$(now)
		[[ $err -eq 0 && $rel -eq $NTAGS ]] ||
			die "schemactl serve loaded $rel releases and reports $err release errors: $(cat "$WORK/serve-startup.log")"
		hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
		line=$(grep -m 1 'release(s).*loaded; compiled' "$WORK/serve-startup.log" || true)
		stop_pid "$pid"
		if ((i == 0)); then
			log "serve: warm-up $(elapsed "$t0" "$t1")s, VmHWM $hwm MiB ($line)"
		else
			log "serve: run $i/$RUNS $(elapsed "$t0" "$t1")s, VmHWM $hwm MiB ($line)"
			walls+=("$(elapsed "$t0" "$t1")")
			hwms+=("$hwm")
			compiled+=("$(sed -n 's/.*compiled [0-9]* in \([0-9.]*\)s.*/\1/p' <<<"$line")")
		fi
	done
	local serve_wall serve_min serve_max serve_hwm serve_compile
	serve_wall=$(printf '%s\n' "${walls[@]}" | median)
	serve_min=$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)
	serve_max=$(printf '%s\n' "${walls[@]}" | sort -g | tail -n 1)
	serve_hwm=$(printf '%s\n' "${hwms[@]}" | median)
	serve_compile=$(printf '%s\n' "${compiled[@]}" | median 2>/dev/null || echo '?')

	# (b) build: every tag from scratch, one process each, summed
	local tag kib sum=0 tf=$WORK/time maxkib=0
	local -a per=()
	log "build: warm-up ${TAGS[0]}"
	"$SCHEMACTL" build "$HISTORY" --ref "${TAGS[0]}" -o - >/dev/null 2>"$WORK/build.log" ||
		die "schemactl build --ref ${TAGS[0]} failed: $(tail -n 20 "$WORK/build.log")"
	for tag in "${TAGS[@]}"; do
		# -o -: the image is encoded and written as with -o FILE (to stdout);
		# not -o /dev/null, which build.rs writes through a temporary file
		# renamed over the target (see bench/README.md)
		t0=$(now)
		/usr/bin/time -f '%M' -o "$tf" "$SCHEMACTL" build "$HISTORY" --ref "$tag" -o - >/dev/null 2>"$WORK/build.log" ||
			die "schemactl build --ref $tag failed: $(tail -n 20 "$WORK/build.log")"
		t1=$(now)
		kib=$(tail -n 1 "$tf")
		if ((kib > maxkib)); then maxkib=$kib; fi
		per+=("$(elapsed "$t0" "$t1")")
		log "build --ref $tag: ${per[-1]}s $((kib / 1024)) MiB"
	done
	sum=$(printf '%s\n' "${per[@]}" | awk '{ s += $1 } END { printf "%.2f", s }')

	local r
	r=$(ratio "$serve_wall" "$sum")
	{
		printf '\n== %s\n' "$SECTION_TITLE"
		printf 'history: %s  [%s]\n' "$HISTORY_SUMMARY" "$HISTORY"
		printf '%-34s %12s %16s %14s\n' "" "wall s" "wall s min-max" "RSS MiB"
		printf '%-34s %12s %16s %14s\n' "serve: ready with $NTAGS tags" "$serve_wall" "$serve_min-$serve_max" "$serve_hwm"
		printf '%-34s %12s %16s %14s\n' "build --ref TAG, $NTAGS tags summed" "$sum" \
			"$(printf '%s\n' "${per[@]}" | sort -g | head -n 1)-$(printf '%s\n' "${per[@]}" | sort -g | tail -n 1)" \
			"$(awk -v k="$maxkib" 'BEGIN { printf "%.1f", k / 1024 }')"
		printf '  (serve: median of %d start-ups, its refresh log says "compiled %d in %ss"; RSS = VmHWM once loaded.\n' "$RUNS" "$NTAGS" "$serve_compile"
		printf '   build: min-max is per tag, median per tag %ss; RSS = largest peak of one build)\n' "$(printf '%s\n' "${per[@]}" | median)"
		printf 'ratio (< 1: serve is faster than building every tag)\n'
		printf '%-20s %10s   target <= %s: %s\n' "serve/build-sum" "$r" "$TARGET_STARTUP_RATIO" "$(verdict "$r" "<=" "$TARGET_STARTUP_RATIO")"
	} >"$WORK/section"
	report <"$WORK/section" # not a pipe: report sets REPORT
}

# --- run -------------------------------------------------------------------------
for s in "${SECTIONS[@]}"; do "section_$s"; done

RESULTS=${SERVE_RESULTS:-$BENCH_DIR/results-serve-$(date -u +%F).txt}
[[ $RESULTS != none ]] || RESULTS=/dev/null
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1) ]]; then rev+=" (uncommitted changes)"; fi
{
	echo "schemactl serve benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine:   $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "schemactl: $("$SCHEMACTL" --version 2>/dev/null | head -n 1 || echo '?')  [$SCHEMACTL, repo $rev]"
	echo "wrk:       $(wrk -v 2>&1 | head -n 1)"
	echo "nginx:     $("$NGINX" -v 2>&1 | head -n 1)  [$NGINX]"
	echo "method:    lookup: one wrk warm-up run, then one measured run per server; startup: $RUNS timed start-ups after 1 untimed warm-up, each tag built once after 1 untimed warm-up build"
	printf '%s' "$REPORT"
} >"$WORK/results"
if [[ ${BENCH_EMBEDDED:-} == 1 ]]; then
	printf '%s' "$REPORT"
	cp "$WORK/results" "$RESULTS"
else
	tee "$RESULTS" <"$WORK/results"
fi
[[ $RESULTS == /dev/null ]] || log "results written to $RESULTS"
