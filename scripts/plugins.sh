#!/usr/bin/env bash
# Install the code generation plugins the example repository (schemas/)
# names in its `generate:` section, pinned, and print the line that puts
# them on PATH:
#
#   eval "$(scripts/plugins.sh)"
#
# - protoc-gen-go v1.36.12, with `go install` from the Go module proxy;
# - protoc-gen-es 2.17.0 (with the @bufbuild/protobuf runtime and the
#   TypeScript compiler), from npm;
# - protoc (Debian's protobuf-compiler, for protoc's built-in Python
#   generators), with apt-get when missing.
#
# Everything is cached under ${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
# (shared with scripts/test.sh); a second run installs nothing. Progress goes
# to stderr, the `export PATH=...` line to stdout.
set -euo pipefail

log() { printf 'plugins.sh: %s\n' "$*" >&2; }
cache=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
bin="$cache/plugins-bin"
mkdir -p "$bin"

if ! command -v protoc >/dev/null; then
	if [[ $(id -u) -eq 0 ]]; then
		as_root=()
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		as_root=(sudo -n) # GitHub's runners
	else
		log "missing: protoc (install Debian's protobuf-compiler with apt-get, or run as root)"
		exit 2
	fi
	log "installing protobuf-compiler"
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends protobuf-compiler libprotobuf-dev >&2
fi

protoc_gen_go_version=v1.36.12
go_bin="$cache/go-bin"
if [[ $("$go_bin/protoc-gen-go" --version 2>/dev/null) != "protoc-gen-go $protoc_gen_go_version" ]]; then
	if ! command -v go >/dev/null; then
		log "missing: the Go toolchain (go), to install protoc-gen-go"
		exit 2
	fi
	log "installing protoc-gen-go $protoc_gen_go_version"
	GOBIN="$go_bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$protoc_gen_go_version" >&2
fi
ln -sf "$go_bin/protoc-gen-go" "$bin/protoc-gen-go"

protobuf_es_version=2.17.0
typescript_version=5.9.3
es_dir="$cache/protoc-gen-es-$protobuf_es_version-ts-$typescript_version"
if [[ ! -x $es_dir/node_modules/.bin/protoc-gen-es || ! -x $es_dir/node_modules/.bin/tsc || ! -d $es_dir/node_modules/@bufbuild/protobuf ]]; then
	if ! command -v npm >/dev/null; then
		log "missing: npm (Node.js), to install protoc-gen-es"
		exit 2
	fi
	log "installing protoc-gen-es $protobuf_es_version and typescript $typescript_version from npm"
	mkdir -p "$es_dir"
	npm install --silent --no-audit --no-fund --prefix "$es_dir" \
		"@bufbuild/protoc-gen-es@$protobuf_es_version" "@bufbuild/protobuf@$protobuf_es_version" \
		"typescript@$typescript_version" >&2
fi
ln -sf "$es_dir/node_modules/.bin/protoc-gen-es" "$bin/protoc-gen-es"
ln -sf "$es_dir/node_modules/.bin/tsc" "$bin/tsc"

printf 'export PATH=%q:"$PATH"\n' "$bin"
