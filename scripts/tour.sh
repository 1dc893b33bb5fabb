#!/usr/bin/env bash
# Make the throwaway schema repository that README.md's tour runs in:
#
#   scripts/tour.sh DIR
#
# DIR (new, or empty) becomes a git repository holding a copy of schemas/,
# committed and tagged v1.0.0 (the first release), then one additive change
# committed on top: a new field in billing.payment-captured.v1's message. So
# `breaking --against v1.0.0` is clean, `diff --from v1.0.0` shows the field
# and `release --dry-run` proposes v1.1.0. The generated code under
# schemas/gen is regenerated for the change (`schemactl generate`, so
# schemactl and the plugins of scripts/plugins.sh must be on PATH) and
# committed with it, as a real change would be. Commits and the tag are made as
# "schemactl tour" and never signed, whatever the git configuration says.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: scripts/tour.sh DIR   (a new or empty directory)" >&2
  exit 2
fi
dir=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "error: \`$dir\` exists and is not empty" >&2
  echo "hint: pass a new directory, e.g. \`scripts/tour.sh /tmp/acme-tour\`" >&2
  exit 2
fi
command -v git >/dev/null || {
  echo "error: the tour needs git on PATH" >&2
  exit 2
}
command -v schemactl >/dev/null || {
  echo "error: the tour needs schemactl on PATH" >&2
  echo "hint: cargo build --release -p schemactl && export PATH=\"\$PWD/target/release:\$PATH\"" >&2
  exit 2
}

mkdir -p "$dir"
cp -R "$root/schemas" "$dir/schemas"
cd "$dir"

g() {
  git -c user.name="schemactl tour" -c user.email=tour@example.com \
    -c commit.gpgsign=false -c tag.gpgsign=false "$@"
}
g init -q
g symbolic-ref HEAD refs/heads/main
g add schemas
g commit -q -m "schemas as released in v1.0.0"
g tag -a v1.0.0 -m "schema release v1.0.0"

file=schemas/proto/acme/billing/v1/payment_captured.proto
anchor='acme.common.v1.Money provider_fee = 10;'
if ! grep -qF "$anchor" "$file"; then
  echo "error: \`$file\` no longer has \`$anchor\`: update scripts/tour.sh" >&2
  exit 2
fi
awk -v anchor="$anchor" '
  { print }
  index($0, anchor) {
    print "  // Id of the payment provider'\''s payout that settled this capture, e.g."
    print "  // \"po_1NvJ2e\"; empty until the payout is made."
    print "  string payout_id = 11;"
  }
' "$file" >"$file.new"
mv "$file.new" "$file"
if ! schemactl generate schemas >&2; then
  echo "error: \`schemactl generate schemas\` failed: are the plugins on PATH?" >&2
  echo "hint: eval \"\$(scripts/plugins.sh)\" installs them and puts them on PATH" >&2
  exit 2
fi
g add schemas
g commit -q -m "billing: payout id on PaymentCaptured"


echo "tour repository ready in $dir: v1.0.0 plus one added field (HEAD)" >&2
