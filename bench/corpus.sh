#!/usr/bin/env bash
# Prepare the Google APIs benchmark corpus.
#
#   bench/corpus.sh VERSION DEST
#
# Fetches the npm package google-proto-files@VERSION (with `npm pack`, cached
# under ${BENCH_CACHE:-$HOME/.cache/schemactl-bench}) and lays out in DEST a
# flat proto root (DEST/google/..., DEST/grafeas/..., ...) holding exactly the
# .proto files that protoc compiles, so that
#
#   protoc -I DEST --descriptor_set_out=/dev/null --include_imports \
#       $(cat DEST/.corpus-files)
#
# succeeds in ONE invocation. Left out, each with its reason in
# DEST/.corpus-excluded:
#   - google/protobuf/**: the well-known types are built into every compiler
#     (protoc, buf, schemactl); the folder also holds protobuf's own test and
#     editions protos;
#   - files declaring `edition = ...`;
#   - files protoc fails to compile, and every file that imports them.
#
# Also written: DEST/.corpus-files (kept files, sorted, relative paths),
# DEST/.corpus-version (VERSION; written last, marks a finished corpus) and
# DEST/.corpus-LICENSE (the package's licence).
# Idempotent: nothing is done when DEST already holds a finished corpus of
# VERSION. A DEST that holds anything else than a corpus made by this script
# is refused rather than overwritten.
#
# Environment:
#   BENCH_CACHE  cache directory (default $HOME/.cache/schemactl-bench)
#   BENCH_JOBS   parallel protoc runs while hunting failures (default 2)
#   CORPUS_SRC   use this already unpacked package directory instead of
#                `npm pack` (offline use, tests)
set -euo pipefail

log() { printf 'corpus.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

if [[ $# -ne 2 || -z $1 || -z $2 ]]; then
	echo "usage: $0 VERSION DEST" >&2
	exit 2
fi
VERSION=$1
DEST=$2
CACHE=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
JOBS=${BENCH_JOBS:-2}
export LC_ALL=C

if [[ -f $DEST/.corpus-files && -f $DEST/.corpus-version &&
	"$(cat "$DEST/.corpus-version")" == "$VERSION" ]]; then
	log "$DEST already holds google-proto-files@$VERSION" \
		"($(wc -l <"$DEST/.corpus-files") files kept); nothing to do"
	exit 0
fi
if [[ -e $DEST ]]; then
	[[ -d $DEST ]] || die "$DEST exists and is not a directory"
	if [[ ! -e $DEST/.corpus-version && ! -e $DEST/.corpus-files &&
		-n "$(ls -A "$DEST")" ]]; then
		die "$DEST exists, is not empty and was not made by corpus.sh; refusing to replace it"
	fi
fi

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

command -v protoc >/dev/null || apt_install protobuf-compiler libprotobuf-dev
[[ -n ${CORPUS_SRC:-} ]] || command -v npm >/dev/null || apt_install npm

WORK=$(mktemp -d "${TMPDIR:-/tmp}/corpus-work.XXXXXX")
STAGE=
cleanup() {
	rm -rf "$WORK"
	if [[ -n $STAGE ]]; then rm -rf "$STAGE"; fi
}
trap cleanup EXIT

# `probe_import PATH` succeeds when protoc resolves the import PATH on its own
# (without the corpus), i.e. the file is built into / shipped with protoc.
mkdir "$WORK/probe"
probe_import() {
	printf 'syntax = "proto3";\nimport "%s";\n' "$1" >"$WORK/probe/probe.proto"
	(cd "$WORK/probe" && protoc -I . --descriptor_set_out=/dev/null probe.proto) \
		>/dev/null 2>&1
}
# Debian's protoc takes the well-known types from libprotobuf-dev
# (/usr/include/google/protobuf), which is only "Recommends".
probe_import google/protobuf/descriptor.proto || {
	apt_install libprotobuf-dev
	probe_import google/protobuf/descriptor.proto ||
		die "protoc does not find the well-known types (google/protobuf/descriptor.proto)"
}
PROTOC_VERSION=$(protoc --version)

# --- source package ----------------------------------------------------------
if [[ -n ${CORPUS_SRC:-} ]]; then
	SRC=$CORPUS_SRC
	[[ -d $SRC ]] || die "CORPUS_SRC=$SRC is not a directory"
else
	SRC=$CACHE/npm-pack/google-proto-files-$VERSION
	if [[ ! -f $SRC/.unpacked ]]; then
		mkdir -p "$CACHE/npm-pack"
		tmp=$WORK/pack
		mkdir -p "$tmp"
		log "npm pack google-proto-files@$VERSION"
		(cd "$tmp" && npm pack --silent "google-proto-files@$VERSION" >/dev/null) ||
			die "npm pack google-proto-files@$VERSION failed"
		tgz=$(find "$tmp" -maxdepth 1 -name 'google-proto-files-*.tgz' -print -quit)
		[[ -n $tgz ]] || die "npm pack produced no tarball"
		mkdir "$tmp/x"
		tar -xzf "$tgz" -C "$tmp/x"
		got=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' \
			"$tmp/x/package/package.json" | head -n1)
		[[ $got == "$VERSION" ]] ||
			die "npm resolved google-proto-files@$VERSION to version '$got'; give an exact version"
		rm -rf "$SRC"
		mv "$tmp/x/package" "$SRC"
		mv "$tgz" "$CACHE/npm-pack/"
		touch "$SRC/.unpacked"
	fi
fi

# --- candidate files and static filters ----------------------------------------
declare -A KEEP=() EXCL=()
exclude() { # exclude FILE REASON
	if [[ -n ${KEEP[$1]:-} ]]; then
		unset "KEEP[$1]"
		EXCL[$1]=$2
	fi
}

(cd "$SRC" && find . \( -path ./node_modules -o -path ./build \) -prune -o \
	-type f -name '*.proto' -print) | sed 's|^\./||' | sort >"$WORK/all"
[[ -s $WORK/all ]] || die "no .proto files in $SRC"
while IFS= read -r f; do
	if [[ $f == google/protobuf/* ]]; then
		EXCL[$f]="google/protobuf: well-known types are built into every compiler; the rest are protobuf's own test/editions protos"
	else
		KEEP[$f]=1
	fi
done <"$WORK/all"

printf '%s\n' "${!KEEP[@]}" | sort >"$WORK/cand"
# files declaring an edition (protoc 3.21 predates editions)
(cd "$SRC" && xargs -r -d '\n' awk '/^[[:space:]]*edition[[:space:]]*=/ { print FILENAME; nextfile }' \
	<"$WORK/cand") >"$WORK/editions"
while IFS= read -r f; do
	exclude "$f" "editions: declares 'edition = ...'"
done <"$WORK/editions"

# import graph: "FILE<TAB>IMPORTED" lines
printf '%s\n' "${!KEEP[@]}" | sort >"$WORK/cand"
# shellcheck disable=SC2016 # awk program
(cd "$SRC" && xargs -r -d '\n' awk '
	/^[[:space:]]*import[[:space:]]/ {
		if (match($0, /"[^"]+"/)) print FILENAME "\t" substr($0, RSTART + 1, RLENGTH - 2)
	}' <"$WORK/cand") >"$WORK/edges"

# imports outside the candidates (well-known types, ...): protoc's own copy
# is used when it has one
declare -A BUILTIN=()
while IFS= read -r imp; do
	if probe_import "$imp"; then BUILTIN[$imp]=1; fi
done < <(cut -f2 "$WORK/edges" | sort -u | while IFS= read -r i; do
	[[ -n ${KEEP[$i]:-} ]] || printf '%s\n' "$i"
done)

# propagate: drop every kept file that imports an excluded or missing file,
# until nothing changes
propagate() {
	local changed=1 f imp
	while [[ -n $changed ]]; do
		changed=
		while IFS=$'\t' read -r f imp; do
			[[ -n ${KEEP[$f]:-} && -z ${KEEP[$imp]:-} && -z ${BUILTIN[$imp]:-} ]] || continue
			if [[ -n ${EXCL[$imp]:-} ]]; then
				exclude "$f" "excluded-import: imports excluded file $imp"
			else
				exclude "$f" "missing-import: imports $imp, neither in the package nor known to protoc"
			fi
			changed=1
		done <"$WORK/edges"
	done
}
propagate

# --- stage the kept files ------------------------------------------------------
mkdir -p "$(dirname "$DEST")"
STAGE=$(mktemp -d "$(dirname "$DEST")/.corpus-stage.XXXXXX")
printf '%s\n' "${!KEEP[@]}" | sort >"$WORK/kept"
tar -C "$SRC" -cf - -T "$WORK/kept" | tar -C "$STAGE" -xf -

# remove from the stage whatever is no longer kept
sync_stage() {
	local f
	for f in "${!EXCL[@]}"; do
		if [[ -e $STAGE/$f ]]; then rm -f "$STAGE/$f"; fi
	done
	printf '%s\n' "${!KEEP[@]}" | sort >"$WORK/kept"
}

# `culprits LOG` prints the kept files a failed protoc run blames: the files
# its errors name (warnings aside), except those that merely failed to import
# a broken file (they go with it); failing that, the files whose imports were
# not found.
culprits() {
	local f found=''
	local -A dependent=()
	while IFS= read -r f; do
		dependent[$f]=1
	done < <(grep 'was not found or had errors\.$' "$1" |
		sed -n 's/^\([^:]*\.proto\):.*/\1/p' | sort -u)
	while IFS= read -r f; do
		if [[ -n ${KEEP[$f]:-} && -z ${dependent[$f]:-} ]]; then
			printf '%s\n' "$f"
			found=1
		fi
	done < <(grep -v -e ': warning: ' -e 'was not found or had errors\.$' "$1" |
		sed -n 's/^\([^:]*\.proto\):.*/\1/p' | sort -u)
	[[ -z $found ]] || return 0
	for f in "${!dependent[@]}"; do
		[[ -z ${KEEP[$f]:-} ]] || printf '%s\n' "$f"
	done
}
# first error line about FILE in LOG, for the reason column
first_error() {
	awk -v f="$1:" 'index($0, f) == 1 && !/: warning: / { print; exit }' "$2"
}
# `exclude_culprits LOG...` drops the files that the failed runs blame (all
# judged against the same kept set); fails when none could be blamed
exclude_culprits() {
	local log f msg
	local -A blamed=()
	for log in "$@"; do
		while IFS= read -r f; do
			[[ -n $f && -z ${blamed[$f]:-} ]] || continue
			msg=$(first_error "$f" "$log")
			blamed[$f]=${msg:-fails to compile}
		done < <(culprits "$log")
	done
	[[ ${#blamed[@]} -gt 0 ]] || return 1
	for f in "${!blamed[@]}"; do
		exclude "$f" "protoc-error: ${blamed[$f]}"
	done
}

compile_all() { # LOG
	local -a files
	mapfile -t files <"$WORK/kept"
	[[ ${#files[@]} -gt 0 ]] || die "no file left to compile"
	(cd "$STAGE" && protoc -I . --descriptor_set_out=/dev/null --include_imports \
		"${files[@]}") >"$1" 2>&1
}

# parallel protoc over list files: each LIST gets LIST.fail when it fails
# (its output in LIST.log)
compile_lists() {
	# shellcheck disable=SC2016 # the inner script expands its own arguments
	xargs -d '\n' -P "$JOBS" -n 1 bash -c '
		mapfile -t files <"$2"
		cd "$1" && protoc -I . --descriptor_set_out=/dev/null "${files[@]}" \
			>"$2.log" 2>&1 || touch "$2.fail"' _ "$STAGE"
}

sync_stage
log "google-proto-files@$VERSION: $(wc -l <"$WORK/kept") candidate files; compiling them with $PROTOC_VERSION"
if compile_all "$WORK/all.log"; then
	log "the whole set compiles in one protoc invocation"
else
	# Failures: protoc stops at the first input file with errors, so find
	# them per directory (in parallel), then per file in failing directories.
	log "the whole set fails to compile; hunting failures per directory ($JOBS jobs)"
	mkdir "$WORK/groups" "$WORK/files"
	awk -v dir="$WORK/groups" '{
		d = $0; sub(/\/[^\/]*$/, "", d); if (d == $0) d = ".";
		if (!(d in id)) id[d] = ++n;
		print > (dir "/" id[d] ".list")
	}' "$WORK/kept"
	find "$WORK/groups" -name '*.list' | compile_lists
	nfail=0
	for g in "$WORK"/groups/*.list; do
		[[ -e $g.fail ]] || continue
		nfail=$((nfail + 1))
		while IFS= read -r f; do
			printf '%s\n' "$f" >"$WORK/files/$(printf '%s' "$f" | tr '/' '~').list"
		done <"$g"
	done
	log "$nfail of $(find "$WORK/groups" -name '*.list' | wc -l) directories fail; compiling their files one by one"
	if [[ $nfail -gt 0 ]]; then
		find "$WORK/files" -name '*.list' | compile_lists
		logs=()
		for l in "$WORK"/files/*.list; do
			if [[ -e $l.fail ]]; then logs+=("$l.log"); fi
		done
		if [[ ${#logs[@]} -gt 0 ]]; then exclude_culprits "${logs[@]}" || true; fi
	fi
	propagate
	sync_stage
	# Whatever only fails together with other files (e.g. a symbol defined
	# twice) shows up in whole-set runs: blame, drop, repeat.
	round=0
	until compile_all "$WORK/all.log"; do
		round=$((round + 1))
		[[ $round -le 500 ]] || die "still failing after $round rounds; see protoc output above"
		if ! exclude_culprits "$WORK/all.log"; then
			head -n 20 "$WORK/all.log" >&2
			die "protoc fails but no kept file can be blamed"
		fi
		propagate
		sync_stage
	done
	log "the remaining $(wc -l <"$WORK/kept") files compile in one protoc invocation"
fi

# --- finish ----------------------------------------------------------------------
cp "$WORK/kept" "$STAGE/.corpus-files"
for f in "${!EXCL[@]}"; do
	printf '%s\t%s\n' "$f" "${EXCL[$f]}"
done | sort >"$STAGE/.corpus-excluded"
if [[ -f $SRC/LICENSE ]]; then cp "$SRC/LICENSE" "$STAGE/.corpus-LICENSE"; fi
printf '%s\n' "$VERSION" >"$STAGE/.corpus-version"
rm -rf "$DEST"
mv "$STAGE" "$DEST"
STAGE=
chmod 755 "$DEST"

log "google-proto-files@$VERSION -> $DEST: kept $(wc -l <"$DEST/.corpus-files") files," \
	"excluded $(wc -l <"$DEST/.corpus-excluded"):"
cut -f2 "$DEST/.corpus-excluded" | sed 's/:.*//' | sort | uniq -c |
	while read -r n why; do log "  $n  $why"; done
if grep -q $'\tprotoc-error:' "$DEST/.corpus-excluded"; then
	log "  files protoc rejects (with their first error):"
	grep $'\tprotoc-error:' "$DEST/.corpus-excluded" | head -n 20 |
		while IFS=$'\t' read -r f why; do log "    $f: ${why#protoc-error: }"; done
fi
