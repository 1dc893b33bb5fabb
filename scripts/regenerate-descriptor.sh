#!/usr/bin/env bash
# Regenerate the descriptor layer from protobuf's release: the .proto files
# of the prost-types fork (third_party/prost-types/proto, taken from the
# protobuf-java jar; plugin.proto, which the jar lacks, is kept), the Rust
# types prost-build generates from them, the well-known types' descriptor
# set of the prost-reflect fork, and the feature defaults protoc writes
# (`--edition_defaults_out`, editions PROTO2 to 2024).
#
#   SCHEMACTL_PROTOC_JAVA=.../protoc-4.33.5-linux-x86_64.exe \
#   SCHEMACTL_PROTOBUF_JAVA_JAR=.../protobuf-java-4.33.5.jar \
#   scripts/regenerate-descriptor.sh
#
# scripts/test.sh caches both under ${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
# (protobuf-java-<version>/); the two must be of the same release. The
# crate's tests then check that the checked-in files are what this writes.
set -euo pipefail

log() { printf 'regenerate-descriptor.sh: %s\n' "$*" >&2; }
for var in SCHEMACTL_PROTOC_JAVA SCHEMACTL_PROTOBUF_JAVA_JAR; do
	if [[ -z ${!var:-} || ! -s ${!var} ]]; then
		log "missing: $var (run scripts/test.sh once: it installs protoc and protobuf-java from Maven Central)"
		exit 2
	fi
done
command -v unzip >/dev/null || {
	log "missing: unzip"
	exit 2
}

root="$(cd "$(dirname "$0")/.." && pwd)"
crate="$root/crates/schemactl-descriptor"
proto="$root/third_party/prost-types/proto"
log "$("$SCHEMACTL_PROTOC_JAVA" --version), $(basename "$SCHEMACTL_PROTOBUF_JAVA_JAR")"
for f in any api descriptor duration empty field_mask source_context struct timestamp type wrappers; do
	unzip -p "$SCHEMACTL_PROTOBUF_JAVA_JAR" "google/protobuf/$f.proto" >"$proto/google/protobuf/$f.proto"
done
"$SCHEMACTL_PROTOC_JAVA" -I"$proto" \
	--edition_defaults_out="$root/third_party/prost-reflect/src/descriptor/feature_set_defaults.binpb" \
	--edition_defaults_minimum=PROTO2 --edition_defaults_maximum=2024 \
	google/protobuf/descriptor.proto
cargo run -q -p schemactl-descriptor --example regenerate
log "done: review \`git diff crates/schemactl-descriptor third_party\` (a new edition also needs the tests' expected defaults, from \`protoc --decode=google.protobuf.FeatureSetDefaults\`)"
