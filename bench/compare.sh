#!/usr/bin/env bash
# Side-by-side benchmark: schemactl vs buf vs protoc on the Google APIs corpus
# (npm google-proto-files, prepared by bench/corpus.sh). See bench/README.md.
#
#   bench/compare.sh              # all sections (but serve)
#   BENCH_RUNS=3 bench/compare.sh
#   bench/compare.sh serve        # only the named sections
#
# Environment:
#   BENCH_RUNS            timed runs per command (default 5; +1 untimed warm-up)
#   BENCH_SECTIONS        sections to run, space separated (default: all but
#                         serve); arguments, when given, name them instead
#   BENCH_CACHE           cache for npm packages and corpora
#                         (default $HOME/.cache/schemactl-bench)
#   BENCH_CORPUS_VERSION  google-proto-files version (default 6.0.1)
#   BENCH_CORPUS          corpus directory (default under BENCH_CACHE); made or
#                         checked by corpus.sh, which keeps a finished one as is
#   BENCH_OUT_DIR         where the commands write their outputs (default /tmp)
#   BUF_VERSION           @bufbuild/buf version from npm (default 1.75.0)
#   SCHEMACTL_BIN         benchmark this binary instead of building
#                         target/release/schemactl
#   SCHEMACTL_BASELINE_BIN  also benchmark this binary (say, a build of the
#                         commit before a change) as the row `baseline`, right
#                         after schemactl in every section: before and after
#                         measured in one run, under the same load
#   BENCH_ALLOW_MISMATCH  1: outputs that hold different files only warn
#
# Adding a section: write `section_NAME() { section "title"; bench ...; end_section; }`
# and add NAME to ALL_SECTIONS below. In each section the first bench is the
# subject (schemactl); ratios compare it with every other row.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
CACHE=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
RUNS=${BENCH_RUNS:-5}
CORPUS_VERSION=${BENCH_CORPUS_VERSION:-6.0.1}
OUT_DIR=${BENCH_OUT_DIR:-/tmp}
BUF_VERSION=${BUF_VERSION:-1.75.0}
ALL_SECTIONS=(build lint check generate) # each NAME has a function section_NAME below
# run only when named: `serve` is bench/serve.sh (schemactl serve against
# nginx and against building every release tag; ~10 minutes)
EXTRA_SECTIONS=(serve)
export LC_ALL=C

log() { printf 'compare.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
if [[ $# -gt 0 ]]; then BENCH_SECTIONS="$*"; fi
read -r -a SECTIONS <<<"${BENCH_SECTIONS:-${ALL_SECTIONS[*]}}"
for s in "${SECTIONS[@]}"; do
	[[ " ${ALL_SECTIONS[*]} ${EXTRA_SECTIONS[*]} " == *" $s "* ]] ||
		die "unknown section '$s' (have: ${ALL_SECTIONS[*]} ${EXTRA_SECTIONS[*]})"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/schemactl-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

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
command -v protoc >/dev/null || apt_install protobuf-compiler libprotobuf-dev
command -v npm >/dev/null || apt_install npm
command -v node >/dev/null || apt_install nodejs

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
BASELINE=${SCHEMACTL_BASELINE_BIN:-}
[[ -z $BASELINE || -x $BASELINE ]] || die "no baseline binary at $BASELINE"

# corpus
CORPUS=${BENCH_CORPUS:-$CACHE/corpus/google-proto-files-$CORPUS_VERSION}
"$BENCH_DIR/corpus.sh" "$CORPUS_VERSION" "$CORPUS"
mapfile -t CORPUS_FILES <"$CORPUS/.corpus-files"

# buf: the native binary from npm (@bufbuild/buf-<platform>), not the Node.js
# launcher in @bufbuild/buf, so that buf is not charged Node's start-up
BUF_PREFIX=$CACHE/buf-$BUF_VERSION
find_buf() {
	local b
	for b in "$BUF_PREFIX"/node_modules/@bufbuild/buf-*/bin/buf; do
		if [[ -x $b ]] && "$b" --version >/dev/null 2>&1; then
			printf '%s\n' "$b"
			return 0
		fi
	done
	return 1
}
if ! BUF=$(find_buf); then
	log "npm install @bufbuild/buf@$BUF_VERSION into $BUF_PREFIX"
	mkdir -p "$BUF_PREFIX"
	npm install --prefix "$BUF_PREFIX" --no-audit --no-fund --loglevel=error \
		"@bufbuild/buf@$BUF_VERSION" >&2
	BUF=$(find_buf) || die "no native buf binary for this platform in $BUF_PREFIX"
fi
[[ $("$BUF" --version 2>&1) == "$BUF_VERSION" ]] ||
	die "$BUF reports version $("$BUF" --version 2>&1), expected $BUF_VERSION"

# --- measuring -----------------------------------------------------------------
# Results of the current section, one entry per bench, and the report so far.
R_NAME=() R_WALL=() R_WMIN=() R_WMAX=() R_RSS=() R_OUT=()
SECTION_TITLE=
REPORT=
CHECK_FAILED=

median() { # numbers on stdin -> median
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.10g\n", m }'
}

section() { # TITLE
	SECTION_TITLE=$1
	R_NAME=() R_WALL=() R_WMIN=() R_WMAX=() R_RSS=() R_OUT=()
	log "== $SECTION_TITLE"
}

# bench NAME [--out FILE] [--exit CODE] [--clean DIR] -- CMD...
#   Runs CMD once untimed (warm-up: page cache, lazy loading), then BENCH_RUNS
#   times under /usr/bin/time, and records the median wall time and peak RSS.
#   Every run, warm-up included, must exit with CODE (default 0) and, with
#   --out, leave FILE non-empty (it is deleted before each run); otherwise
#   the benchmark stops with the command's output. With --clean, DIR is
#   deleted before each run (untimed): a generator then writes every file.
bench() {
	local name=$1 out='' want=0 clean=''
	shift
	while [[ $# -gt 0 && $1 != -- ]]; do
		case $1 in
		--out) out=$2 && shift 2 ;;
		--exit) want=$2 && shift 2 ;;
		--clean) clean=$2 && shift 2 ;;
		*) die "bench $name: unknown option $1" ;;
		esac
	done
	[[ ${1:-} == -- && $# -ge 2 ]] || die "bench $name: expected -- CMD..."
	shift
	local i rc wall kib runlog tf=$WORK/time
	local -a walls=() rsss=()
	for ((i = 0; i <= RUNS; i++)); do
		runlog=$WORK/run.log
		if [[ -n $out ]]; then rm -f "$out"; fi
		if [[ -n $clean ]]; then rm -rf "$clean"; fi
		rc=0
		(cd "$WORK" && /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$runlog" 2>&1 </dev/null) || rc=$?
		if [[ $rc -ne $want ]]; then
			log "$name: exit status $rc, expected $want: $*"
			tail -n 30 "$runlog" >&2
			die "$name failed"
		fi
		if [[ -n $out && ! -s $out ]]; then
			tail -n 30 "$runlog" >&2
			die "$name exited $rc but wrote nothing to $out"
		fi
		read -r wall kib < <(tail -n 1 "$tf")
		[[ $wall =~ ^[0-9]+(\.[0-9]+)?$ && $kib =~ ^[0-9]+$ ]] ||
			die "$name: cannot read /usr/bin/time output: $(cat "$tf")"
		if ((i == 0)); then
			log "$name: warm-up ${wall}s $((kib / 1024)) MiB"
		else
			log "$name: run $i/$RUNS ${wall}s $((kib / 1024)) MiB"
			walls+=("$wall")
			rsss+=("$kib")
		fi
	done
	R_NAME+=("$name")
	R_WALL+=("$(printf '%s\n' "${walls[@]}" | median)")
	R_WMIN+=("$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)")
	R_WMAX+=("$(printf '%s\n' "${walls[@]}" | sort -g | tail -n 1)")
	R_RSS+=("$(printf '%s\n' "${rsss[@]}" | median | awk '{ printf "%.1f", $1 / 1024 }')")
	R_OUT+=("$out")
}

# bench_ours [OPTIONS] -- CMD...
#   `bench schemactl`, and `bench baseline` when SCHEMACTL_BASELINE_BIN is
#   set, with every @BIN@ in the options and CMD replaced by that binary and
#   every @NAME@ by the row's name (for per-row output files).
bench_ours() {
	local name bin
	for name in schemactl baseline; do
		bin=$SCHEMACTL
		if [[ $name == baseline ]]; then
			[[ -n $BASELINE ]] || continue
			bin=$BASELINE
		fi
		local -a args=()
		local a
		for a in "$@"; do
			a=${a//@BIN@/$bin}
			args+=("${a//@NAME@/$name}")
		done
		bench "$name" "${args[@]}"
	done
}

# The section's outputs are findings, not descriptor sets: nothing for
# check_outputs to compare.
no_outputs() {
	local i
	R_OUT=()
	for i in "${!R_NAME[@]}"; do R_OUT+=(""); done
}

ratio() { # A B -> A/B with 2 decimals, or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

# FileDescriptorSet -> line 1 "FILES FILES_WITH_SOURCE_INFO", then the file
# names, sorted (a small protobuf wire-format reader; no decoding of the rest)
descset_files() {
	node -e '
const b = require("fs").readFileSync(process.argv[1]);
function varint(p) { let v = 0, m = 1, c; do { c = b[p++]; v += (c & 0x7f) * m; m *= 128; } while (c & 0x80); return [v, p]; }
function skip(p, wt) {
  if (wt === 0) return varint(p)[1];
  if (wt === 1) return p + 8;
  if (wt === 5) return p + 4;
  if (wt === 2) { const [l, q] = varint(p); return q + l; }
  throw new Error("unsupported wire type " + wt);
}
let p = 0, info = 0; const names = [];
while (p < b.length) {
  let k; [k, p] = varint(p);
  if (k !== 0x0a) { p = skip(p, k & 7); continue; }
  let len; [len, p] = varint(p);
  const end = p + len; let q = p, name = "", has = false;
  while (q < end) {
    let f; [f, q] = varint(q);
    if (f === 0x0a) { let l; [l, q] = varint(q); name = b.toString("utf8", q, q + l); q += l; }
    else { if (f === ((9 << 3) | 2)) has = true; q = skip(q, f & 7); }
  }
  if (q !== end) throw new Error("malformed FileDescriptorProto");
  names.push(name); if (has) info++;
  p = end;
}
if (p !== b.length) throw new Error("truncated FileDescriptorSet");
console.log(names.length + " " + info);
names.sort(); for (const n of names) console.log(n);
' "$1"
}

# Checks that the outputs of the section hold the same files, all of the
# corpus among them; prints one line per output.
check_outputs() {
	local i first='' out list nfiles ninfo missing
	printf '%s\n' "${CORPUS_FILES[@]}" | sort >"$WORK/corpus.sorted"
	for i in "${!R_NAME[@]}"; do
		out=${R_OUT[$i]}
		[[ -n $out ]] || continue
		list=$WORK/files.$i
		descset_files "$out" >"$list" || die "${R_NAME[$i]}: $out is not a readable FileDescriptorSet"
		read -r nfiles ninfo <"$list"
		tail -n +2 "$list" >"$list.names"
		printf '  %-10s %s: %d files (%d with source info), %.1f MiB\n' "${R_NAME[$i]}" \
			"$out" "$nfiles" "$ninfo" "$(awk -v s="$(stat -c %s "$out")" 'BEGIN { print s / 1048576 }')"
		if [[ $ninfo -ne $nfiles ]]; then
			printf '  NOTE: %s has no source info for %d of its %d files\n' "${R_NAME[$i]}" \
				"$((nfiles - ninfo))" "$nfiles"
		fi
		missing=$(comm -23 "$WORK/corpus.sorted" "$list.names" | wc -l)
		if [[ $missing -gt 0 ]]; then
			printf '  MISMATCH: %s lacks %d corpus files, e.g. %s\n' "${R_NAME[$i]}" "$missing" \
				"$(comm -23 "$WORK/corpus.sorted" "$list.names" | head -n 1)"
			CHECK_FAILED=1
		fi
		if [[ -z $first ]]; then
			first=$i
		elif ! cmp -s "$WORK/files.$first.names" "$list.names"; then
			printf '  MISMATCH: %s and %s hold different files: %d only in %s (e.g. %s), %d only in %s (e.g. %s)\n' \
				"${R_NAME[$first]}" "${R_NAME[$i]}" \
				"$(comm -23 "$WORK/files.$first.names" "$list.names" | wc -l)" "${R_NAME[$first]}" \
				"$(comm -23 "$WORK/files.$first.names" "$list.names" | head -n 1)" \
				"$(comm -13 "$WORK/files.$first.names" "$list.names" | wc -l)" "${R_NAME[$i]}" \
				"$(comm -13 "$WORK/files.$first.names" "$list.names" | head -n 1)"
			CHECK_FAILED=1
		fi
	done
}

end_section() {
	local i has_out=''
	{
		printf '\n== %s\n' "$SECTION_TITLE"
		printf '%-10s %14s %16s %16s\n' command "wall s median" "wall s min-max" "peak RSS MiB"
		for i in "${!R_NAME[@]}"; do
			printf '%-10s %14s %16s %16s\n' "${R_NAME[$i]}" "${R_WALL[$i]}" \
				"${R_WMIN[$i]}-${R_WMAX[$i]}" "${R_RSS[$i]}"
			if [[ -n ${R_OUT[$i]} ]]; then has_out=1; fi
		done
		if [[ ${#R_NAME[@]} -gt 1 ]]; then
			printf 'ratio (< 1: %s is faster / smaller)\n' "${R_NAME[0]}"
			printf '%-20s %10s %16s\n' "" wall "peak RSS"
			for ((i = 1; i < ${#R_NAME[@]}; i++)); do
				printf '%-20s %10s %16s\n' "${R_NAME[0]}/${R_NAME[$i]}" \
					"$(ratio "${R_WALL[0]}" "${R_WALL[$i]}")" "$(ratio "${R_RSS[0]}" "${R_RSS[$i]}")"
			done
		fi
		if [[ -n $has_out ]]; then
			printf 'outputs (last run):\n'
			check_outputs
		fi
	} >"$WORK/section" # not $(...): check_outputs sets CHECK_FAILED
	REPORT+=$(cat "$WORK/section")$'\n'
	cat "$WORK/section" >&2
}

# --- sections ------------------------------------------------------------------
section_build() {
	section "build: compile ${#CORPUS_FILES[@]} files of google-proto-files@$CORPUS_VERSION to a FileDescriptorSet (imports + source info)"
	bench_ours --out "$OUT_DIR/out-@NAME@.binpb" -- \
		@BIN@ build "$CORPUS" -o "$OUT_DIR/out-@NAME@.binpb"
	bench buf --out "$OUT_DIR/out-buf.binpb" -- \
		"$BUF" build "$CORPUS" -o "$OUT_DIR/out-buf.binpb"
	bench protoc --out "$OUT_DIR/out-protoc.binpb" -- \
		protoc -I "$CORPUS" --include_imports --include_source_info \
		"--descriptor_set_out=$OUT_DIR/out-protoc.binpb" "${CORPUS_FILES[@]}"
	end_section
}

# shellcheck disable=SC2016 # the sh -c scripts expand their own arguments
section_lint() {
	section "lint: Buf's default lint rules (no config file: v1 defaults) on ${#CORPUS_FILES[@]} files of google-proto-files@$CORPUS_VERSION"
	# Both exit non-zero because the corpus has findings: 1 for schemactl, 100 for buf.
	bench_ours --exit 1 --out "$OUT_DIR/lint-@NAME@.json" -- \
		sh -c '"$1" lint "$2" --error-format json >"$3"' sh @BIN@ "$CORPUS" "$OUT_DIR/lint-@NAME@.json"
	bench buf --exit 100 --out "$OUT_DIR/lint-buf.json" -- \
		sh -c '"$1" lint "$2" --error-format json >"$3"' sh "$BUF" "$CORPUS" "$OUT_DIR/lint-buf.json"
	no_outputs # compared per rule below
	end_section
	same_findings lint
	lint_counts "$OUT_DIR/lint-schemactl.json" "$OUT_DIR/lint-buf.json"
}

# A git repository with google-proto-files 5.0.3 committed and tagged
# v5.0.3, then 6.0.1 committed on top (the files protoc compiles of each).
breaking_repo() {
	local repo=$CACHE/breaking-repo old=$CACHE/corpus-5.0.3
	if [[ -f $repo/.done ]]; then
		echo "$repo"
		return
	fi
	"$ROOT/bench/corpus.sh" 5.0.3 "$old" >&2
	rm -rf "$repo"
	mkdir -p "$repo"
	git -C "$repo" init -q
	(cd "$old" && tar cf - -T .corpus-files) | (cd "$repo" && tar xf -)
	git -C "$repo" add -A
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m "google-proto-files 5.0.3"
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com tag -a v5.0.3 -m v5.0.3
	git -C "$repo" rm -q -r .
	(cd "$CORPUS" && tar cf - "${CORPUS_FILES[@]}") | (cd "$repo" && tar xf -)
	git -C "$repo" add -A
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m "google-proto-files $CORPUS_VERSION"
	touch "$repo/.done"
	echo "$repo"
}

# shellcheck disable=SC2016 # the sh -c scripts expand their own arguments
section_check() {
	local repo
	repo=$(breaking_repo)
	section "check: lint + breaking of google-proto-files@$CORPUS_VERSION against the tag v5.0.3 in git (Buf: buf lint + buf breaking --against .git#tag=v5.0.3)"
	bench_ours --exit 1 --out "$OUT_DIR/check-@NAME@.json" -- \
		sh -c 'cd "$2" && "$1" check . --against v5.0.3 --error-format json >"$3"' sh @BIN@ "$repo" "$OUT_DIR/check-@NAME@.json"
	bench buf --out "$OUT_DIR/check-buf.json" -- \
		sh -c 'cd "$2" && { "$1" lint . --error-format json; "$1" breaking . --against ".git#tag=v5.0.3" --error-format json; } >"$3"; exit 0' \
		sh "$BUF" "$repo" "$OUT_DIR/check-buf.json"
	no_outputs
	end_section
	same_findings check
	lint_counts "$OUT_DIR/check-schemactl.json" "$OUT_DIR/check-buf.json"
}

# With a baseline: its findings must be byte-identical to schemactl's (a
# change measured for speed must not change what is found).
same_findings() { # SECTION
	[[ -n $BASELINE ]] || return 0
	local line
	if cmp -s "$OUT_DIR/$1-schemactl.json" "$OUT_DIR/$1-baseline.json"; then
		line="findings: schemactl and baseline wrote identical output"
	else
		line="MISMATCH: schemactl and baseline findings differ ($OUT_DIR/$1-schemactl.json, $OUT_DIR/$1-baseline.json)"
		CHECK_FAILED=1
	fi
	REPORT+=$line$'\n'
	log "$line"
}

# Findings per rule, side by side, from two files of Buf-shaped JSON lines.
lint_counts() { # OURS THEIRS
	local table
	table=$(
		{
			grep -o '"type":"[A-Z_]*"' "$1" | sed 's/.*:"\(.*\)"/\1 ours/'
			grep -o '"type":"[A-Z_]*"' "$2" | sed 's/.*:"\(.*\)"/\1 theirs/'
		} | awk '{ n[$1, $2]++; rules[$1] = 1 }
			END {
				for (r in rules) {
					o = n[r, "ours"] + 0; t = n[r, "theirs"] + 0
					printf "%-40s %10d %10d %8s\n", r, o, t, (o == t ? "" : o - t)
				}
			}' | sort
	)
	local total
	total=$(awk '{ o += $2; t += $3 } END { printf "%-40s %10d %10d %8s", "TOTAL", o, t, (o == t ? "" : o - t) }' <<<"$table")
	table=$(printf '%-40s %10s %10s %8s\n%s\n%s' "findings per rule" schemactl buf diff "$table" "$total")
	REPORT+=$table$'\n'
	printf '%s\n' "$table" >&2
}

# protoc-gen-go, pinned, from the Go module proxy into the cache (where
# scripts/test.sh puts it too)
PROTOC_GEN_GO_VERSION=v1.36.12
protoc_gen_go() {
	local bin=$CACHE/go-bin/protoc-gen-go
	if [[ $("$bin" --version 2>/dev/null) != "protoc-gen-go $PROTOC_GEN_GO_VERSION" ]]; then
		command -v go >/dev/null || die "missing: the Go toolchain (go), to install protoc-gen-go"
		log "go install google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
		GOBIN=$CACHE/go-bin go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION" >&2
	fi
	printf '%s\n' "$bin"
}

# Both tools read the same buf.gen.yaml (v2) next to a copy of the corpus and
# run the same local protoc-gen-go once per directory (Buf's default
# strategy), writing under gen/, deleted before every run. Two corpus files
# have no go_package; `M` options give them the import path of their
# directory's other files.
# shellcheck disable=SC2016 # the sh -c script expands its own arguments
section_generate() {
	local plugin name dir i
	plugin=$(protoc_gen_go)
	for name in schemactl baseline buf; do
		[[ $name != baseline || -n $BASELINE ]] || continue
		dir=$WORK/generate/$name
		mkdir -p "$dir"
		(cd "$CORPUS" && tar cf - "${CORPUS_FILES[@]}") | (cd "$dir" && tar xf -)
		cat >"$dir/buf.gen.yaml" <<-EOF
			version: v2
			plugins:
			  - local: $plugin
			    out: gen
			    opt:
			      - paths=source_relative
			      - Mgoogle/cloud/common_resources.proto=google.golang.org/genproto/googleapis/cloud/common;common
			      - Mgoogle/maps/weather/v1/public_alerts_enums.proto=cloud.google.com/go/maps/weather/apiv1/weatherpb;weatherpb
		EOF
	done
	section "generate: protoc-gen-go $PROTOC_GEN_GO_VERSION on ${#CORPUS_FILES[@]} files of google-proto-files@$CORPUS_VERSION (one run per directory; output deleted before each run; schemactl cold: no response cache; cached: every plugin response from its cache, nothing changed)"
	bench_ours --clean "$WORK/generate/@NAME@/gen" -- env SCHEMACTL_NO_CACHE=1 @BIN@ generate "$WORK/generate/@NAME@"
	bench buf --clean "$WORK/generate/buf/gen" -- \
		sh -c 'cd "$1" && exec "$2" generate' sh "$WORK/generate/buf" "$BUF"
	# The untimed warm-up run fills the cache; the timed runs read it.
	rm -rf "$WORK/generate/cache"
	bench cached --clean "$WORK/generate/schemactl/gen" -- \
		env SCHEMACTL_CACHE_DIR="$WORK/generate/cache" "$SCHEMACTL" generate "$WORK/generate/schemactl"
	no_outputs # compared file by file below
	end_section
	local buf_row cached_row line
	for i in "${!R_NAME[@]}"; do
		case ${R_NAME[$i]} in buf) buf_row=$i ;; cached) cached_row=$i ;; esac
	done
	line="cached/buf (nothing changed)  wall $(ratio "${R_WALL[$cached_row]}" "${R_WALL[$buf_row]}")"
	REPORT+=$line$'\n'
	log "$line"
	same_generated schemactl buf
	if [[ -n $BASELINE ]]; then same_generated schemactl baseline; fi
}

# The Go files two rows generated must be the same (bench/generated-diff.cjs:
# apart from the compiler version line and protox's known difference).
same_generated() { # OURS OTHER
	local line
	if line=$(node "$BENCH_DIR/generated-diff.cjs" "$WORK/generate/$1/gen" "$WORK/generate/$2/gen" "$1" "$2"); then
		line="generated files, $1 vs $2: $line"
	else
		line="MISMATCH: generated files, $1 vs $2: $line"
		CHECK_FAILED=1
	fi
	REPORT+=$line$'\n'
	log "$line"
}

# schemactl serve: lookups against nginx, start-up over 50 release tags
# against building each (bench/serve.sh, which also writes its own
# bench/results-serve-DATE.txt)
section_serve() {
	local out
	out=$(SCHEMACTL_BIN=$SCHEMACTL BENCH_CORPUS=$CORPUS BENCH_CORPUS_VERSION=$CORPUS_VERSION \
		BENCH_CACHE=$CACHE BENCH_RUNS=${BENCH_RUNS:-3} BENCH_EMBEDDED=1 "$BENCH_DIR/serve.sh") ||
		die "bench/serve.sh failed"
	REPORT+=$out$'\n'
}

# --- run -------------------------------------------------------------------------
for s in "${SECTIONS[@]}"; do "section_$s"; done

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1) ]]; then rev+=" (uncommitted changes)"; fi
{
	echo "schemactl benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine:   $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "schemactl: $("$SCHEMACTL" --version 2>/dev/null | head -n 1 || echo '?')  [$SCHEMACTL, repo $rev]"
	if [[ -n $BASELINE ]]; then
		echo "baseline:  $("$BASELINE" --version 2>/dev/null | head -n 1 || echo '?')  [$BASELINE]"
	fi
	echo "buf:       $("$BUF" --version 2>&1)  [$BUF]"
	echo "protoc:    $(protoc --version)  [$(command -v protoc)]"
	echo "corpus:    google-proto-files@$CORPUS_VERSION, ${#CORPUS_FILES[@]} files  [$CORPUS]"
	echo "method:    $RUNS timed runs per command after 1 untimed warm-up; /usr/bin/time -f '%e %M' (wall s, peak RSS)"
	printf '%s' "$REPORT"
} | tee "$WORK/report"
if [[ -n $CHECK_FAILED ]]; then
	if [[ ${BENCH_ALLOW_MISMATCH:-} == 1 ]]; then
		log "warning: outputs differ (see MISMATCH above); BENCH_ALLOW_MISMATCH=1"
	else
		die "outputs differ (see MISMATCH above); set BENCH_ALLOW_MISMATCH=1 to only warn"
	fi
fi
