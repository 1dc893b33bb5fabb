#!/usr/bin/env bash
# Fetch the release history of a real multi-module schema repository: the
# .proto files of several published versions of Google's common protos
# (Maven Central `com.google.api.grpc:proto-google-common-protos`, whose jars
# carry the .proto text next to the Java classes).
#
#   scripts/history-corpus.sh DEST
#
# Lays out DEST/<version>/google/... (only the .proto files of each jar) and
# DEST/versions (the versions, oldest first, one a line; written last, marks
# a finished corpus). The differential test
# crates/schemactl/tests/cli/buf_history.rs (SCHEMACTL_HISTORY_CORPUS=DEST)
# makes a git repository of it, one commit and tag per version.
# Idempotent: nothing is done when DEST/versions already lists exactly the
# pinned versions. A DEST holding anything else is refused.
#
# Needs `mvn` (Maven fetches from Maven Central into ~/.m2) and `unzip`.
set -euo pipefail

log() { printf 'history-corpus.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 DEST" >&2
	exit 2
fi
DEST=$1
export LC_ALL=C

ARTIFACT=com.google.api.grpc:proto-google-common-protos
# Pinned: twelve releases spread over five years (eleven release pairs).
VERSIONS=(2.0.0 2.3.2 2.7.4 2.9.6 2.14.3 2.22.1 2.30.0 2.41.0 2.50.0 2.60.0 2.70.0 2.82.0)
WANT=$(printf '%s\n' "${VERSIONS[@]}")

if [[ -f $DEST/versions && "$(cat "$DEST/versions")" == "$WANT" ]]; then
	log "$DEST already holds ${#VERSIONS[@]} versions of $ARTIFACT; nothing to do"
	exit 0
fi
if [[ -e $DEST ]]; then
	[[ -d $DEST ]] || die "$DEST exists and is not a directory"
	if [[ ! -e $DEST/.history-corpus && -n "$(ls -A "$DEST")" ]]; then
		die "$DEST exists, is not empty and was not made by history-corpus.sh; refusing to replace it"
	fi
fi
for tool in mvn unzip; do
	command -v "$tool" >/dev/null || die "missing: $tool (Debian: apt-get install maven unzip)"
done

mkdir -p "$DEST"
touch "$DEST/.history-corpus"
rm -f "$DEST/versions"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/history-corpus.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

for v in "${VERSIONS[@]}"; do
	if [[ -f $DEST/$v/.done ]]; then continue; fi
	log "fetching $ARTIFACT:$v from Maven Central"
	# Maven prints its errors on stdout, and colour codes even with -q.
	if ! out=$(cd "$WORK" && mvn -q -B dependency:copy -DoutputDirectory=. \
		-Dartifact="$ARTIFACT:$v" 2>&1); then
		printf '%s\n' "$out" >&2
		die "mvn could not fetch $ARTIFACT:$v"
	fi
	jar=$WORK/proto-google-common-protos-$v.jar
	[[ -s $jar ]] || die "mvn produced no $jar"
	rm -rf "$DEST/$v" "$WORK/x"
	mkdir -p "$WORK/x"
	unzip -q "$jar" '*.proto' -d "$WORK/x" || die "$jar holds no .proto file"
	[[ -d $WORK/x/google ]] || die "$jar has no google/ directory of .proto files"
	mv "$WORK/x" "$DEST/$v"
	touch "$DEST/$v/.done"
	rm -f "$jar"
done
printf '%s\n' "$WANT" >"$DEST/versions"
for v in "${VERSIONS[@]}"; do
	log "  $v: $(find "$DEST/$v" -name '*.proto' | wc -l) .proto files"
done
