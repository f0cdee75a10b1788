#!/usr/bin/env bash
# Vendor Decap CMS's browser bundle into kkssite/vendor/decap-cms/ (the web editor at /admin/, see cms.py).
#
#   bash scripts/vendor-decap.sh 3.16.3
#
# Fetches the npm package decap-cms@VERSION with `npm pack` (npm checks it against the registry's integrity
# hash), copies dist/decap-cms.js and its licence file, and prints the line to put into kkssite/cms.py
# (DECAP_VERSION, DECAP_SHA256); scripts/test-deps.sh must then pin the same version (DECAP_CMS), whose package
# the browser test compares the vendored copy with.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: bash scripts/vendor-decap.sh VERSION}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" "decap-cms@$version" >/dev/null
tar -xzf "$work/decap-cms-$version.tgz" -C "$work" package/dist/decap-cms.js package/dist/decap-cms.js.LICENSE.txt
target=kkssite/vendor/decap-cms
mkdir -p "$target"
cp "$work/package/dist/decap-cms.js" "$work/package/dist/decap-cms.js.LICENSE.txt" "$target/"
digest=$(sha256sum "$target/decap-cms.js" | cut -d' ' -f1)
echo "kkssite/cms.py: DECAP_VERSION = \"$version\"; DECAP_SHA256 = \"$digest\""
echo "scripts/test-deps.sh: DECAP_CMS=$version"
