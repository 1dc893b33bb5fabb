#!/usr/bin/env bash
# Build the cargo-fuzz targets (fuzz/) and run each for a fixed budget.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60, every target)
#
# Needs the nightly toolchain (rustup's `nightly`; it is on the project's
# machines) and installs cargo-fuzz from crates.io when missing. Each target
# starts from its seeds (fuzz/seeds/T, checked in) and its regressions
# (fuzz/regressions/T), plus what earlier runs found (fuzz/corpus/T, not
# checked in). An input that panics, aborts, overflows the stack, runs over
# 10 s or needs over 2 GiB is copied to fuzz/regressions/T/ — commit it with
# the fix: crates/schemactl-fuzz/tests/regressions.rs replays it on stable —
# and the script exits 1. It prints executions per target.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/fuzz"

budget=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
	targets=(compile config image validate confluent http)
fi

log() { printf 'fuzz.sh: %s\n' "$*" >&2; }

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
	log "the nightly toolchain is missing (rustup toolchain install nightly); cargo-fuzz needs it"
	exit 2
fi
cargo_fuzz_version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
	log "installing cargo-fuzz $cargo_fuzz_version"
	cargo install --quiet --locked cargo-fuzz --version "$cargo_fuzz_version"
fi

# No sanitizer: the code is safe Rust (unsafe is forbidden in the
# workspace); what is looked for is panics, stack overflows, hangs and
# memory blow-ups, which libFuzzer catches by itself.
log "building ${targets[*]}"
cargo +nightly fuzz build --sanitizer none 2>&1 | grep -v '^\s*Compiling' >&2 || true
for t in "${targets[@]}"; do
	[[ -x target/x86_64-unknown-linux-gnu/release/$t ]] || {
		log "target $t did not build"
		exit 2
	}
done

status=0
printf '%-10s %12s %8s %s\n' target executions seconds result
for t in "${targets[@]}"; do
	mkdir -p "corpus/$t" "artifacts/$t" "regressions/$t" "seeds/$t"
	out=$(mktemp)
	set +e
	extra=()
	# The example repository's files seed the compile target (libFuzzer
	# reads directories recursively).
	[[ $t == compile ]] && extra=(../schemas)
	"target/x86_64-unknown-linux-gnu/release/$t" "corpus/$t" "seeds/$t" "regressions/$t" "${extra[@]}" \
		-max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$out" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)
	result=ok
	if ((rc != 0)); then
		result="FOUND (exit $rc)"
		status=1
		for a in "artifacts/$t"/*; do
			[[ -f $a ]] || continue
			cp "$a" "regressions/$t/"
			log "$t: $(basename "$a") copied to fuzz/regressions/$t/"
		done
		tail -40 "$out" >&2
	fi
	printf '%-10s %12s %8s %s\n' "$t" "${execs:-?}" "$budget" "$result"
	rm -f "$out"
done
exit $status
