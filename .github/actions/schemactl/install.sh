#!/usr/bin/env bash
# Install a released schemactl binary for the action: download
# schemactl-<target>.tar.gz and its .sha256 from <download-url>/v<version>/,
# check the archive against the checksum, unpack it into $RUNNER_TEMP and
# add its directory to $GITHUB_PATH. On a checksum mismatch nothing is
# installed and the script exits 1.
#
# Environment (the action sets these from its inputs):
#   SCHEMACTL_VERSION       the release, `0.2.0` (a leading `v` is accepted)
#   SCHEMACTL_DOWNLOAD_URL  where releases are, without the trailing `/v<version>`
#   SCHEMACTL_TARGET        the Rust target triple; empty: this runner's
#                           (from RUNNER_OS and RUNNER_ARCH, else uname)
#   RUNNER_TEMP, GITHUB_PATH  set by GitHub Actions
set -euo pipefail

fail() {
	echo "error: $1" >&2
	if [[ -n ${2:-} ]]; then echo "hint: $2" >&2; fi
	exit 1
}

version=${SCHEMACTL_VERSION:?SCHEMACTL_VERSION is not set}
version=${version#v}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
	fail "\`$SCHEMACTL_VERSION\` is not a schemactl version" "give the action's \`version\` input as X.Y.Z, e.g. 0.2.0"
fi
base=${SCHEMACTL_DOWNLOAD_URL:-https://github.com/schemactl/schemactl/releases/download}
base=${base%/}
: "${RUNNER_TEMP:?RUNNER_TEMP is not set (run this inside GitHub Actions, or set it)}"
: "${GITHUB_PATH:?GITHUB_PATH is not set (run this inside GitHub Actions, or set it)}"

target=${SCHEMACTL_TARGET:-}
if [[ -z $target ]]; then
	os=${RUNNER_OS:-$(uname -s)}
	arch=${RUNNER_ARCH:-$(uname -m)}
	case $arch in
	X64 | x86_64 | amd64) arch=x86_64 ;;
	ARM64 | arm64 | aarch64) arch=aarch64 ;;
	*) fail "no schemactl release for the $arch architecture" "leave the action's \`version\` input empty to build schemactl from source" ;;
	esac
	case $os in
	Linux) target=$arch-unknown-linux-gnu ;;
	macOS | Darwin) target=$arch-apple-darwin ;;
	*) fail "no schemactl release for $os" "leave the action's \`version\` input empty to build schemactl from source" ;;
	esac
fi

archive=schemactl-$target.tar.gz
url=$base/v$version/$archive
# Everything is downloaded and unpacked in a staging directory, removed on
# any exit: only a verified binary is moved into place.
staging=$(mktemp -d "$RUNNER_TEMP/schemactl-download.XXXXXX")
trap 'rm -rf "$staging"' EXIT

download() {
	curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
		--output "$2" "$1" ||
		fail "cannot download $1" "check the action's \`version\` and \`download-url\` inputs: that release must have $archive and $archive.sha256"
}
echo "downloading $url"
download "$url" "$staging/$archive"
download "$url.sha256" "$staging/$archive.sha256"

# The .sha256 file is sha256sum's output: the hash, then the file name.
read -r expected _ <"$staging/$archive.sha256" || true
expected=$(tr '[:upper:]' '[:lower:]' <<<"${expected:-}")
if [[ ! $expected =~ ^[0-9a-f]{64}$ ]]; then
	fail "$url.sha256 holds no SHA-256 checksum" "the release is incomplete; publish $archive.sha256 as \`sha256sum $archive\` writes it"
fi
if command -v sha256sum >/dev/null; then
	read -r actual _ < <(sha256sum "$staging/$archive")
else
	read -r actual _ < <(shasum -a 256 "$staging/$archive")
fi
if [[ $actual != "$expected" ]]; then
	fail "checksum mismatch for $archive: expected $expected (from $archive.sha256), got $actual; nothing was installed" \
		"the download is corrupt or was tampered with; run the job again, and if it persists, report it to whoever publishes $base"
fi

mkdir "$staging/unpacked"
tar -xzf "$staging/$archive" -C "$staging/unpacked"
binary=$(find "$staging/unpacked" -maxdepth 2 -type f -name schemactl | head -n 1)
if [[ -z $binary ]]; then
	fail "$archive has no \`schemactl\` binary" "the release is incomplete; its archives must hold \`schemactl\`"
fi

bin=$RUNNER_TEMP/schemactl-$version/bin
mkdir -p "$bin"
mv -f "$binary" "$bin/schemactl"
chmod +x "$bin/schemactl"
echo "$bin" >>"$GITHUB_PATH"
"$bin/schemactl" --version
