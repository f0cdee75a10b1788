#!/usr/bin/env bash
# Set up what the browser tests (tests/browser/) need, once; called by `make test` (and .ci/run).
#
#   Debian packages, when missing: chromium (/usr/bin/chromium, driven by Playwright; with fonts), a Java runtime
#   (default-jre-headless, for the Nu Html Checker) and npm; installed with apt-get when we are root.
#   npm packages, pinned: axe-core, vnu-jar and decap-server (the web editor's local backend), into
#   tests/browser/.npm/ (git-ignored), and the package decap-cms (only its browser bundle, from `npm pack`), which
#   the vendored copy in kkssite/vendor/decap-cms/ is compared with; redone only when the pins below change.
#
# Nothing here stops `make test`: what cannot be installed is reported, and the browser tests then fail
# with a message that names the missing tool (they never skip).
set -uo pipefail
cd "$(dirname "$0")/.."

AXE_CORE=4.14.1
VNU_JAR=26.9.27
DECAP_SERVER=3.11.3
DECAP_CMS=3.16.3  # as DECAP_VERSION in kkssite/cms.py
NPM_DIR=tests/browser/.npm
NPM_STAMP=$NPM_DIR/.installed
WANT="axe-core@$AXE_CORE vnu-jar@$VNU_JAR decap-server@$DECAP_SERVER"

say() { echo "test-deps: $*" >&2; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)  # its fonts are only recommended
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        say "cannot install ${missing[*]}: not root (install them with apt-get); the browser tests will fail"
    elif ! command -v apt-get >/dev/null 2>&1; then
        say "cannot install ${missing[*]}: no apt-get; the browser tests will fail"
    else
        say "installing ${missing[*]} with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt=(apt-get -q -o DPkg::Lock::Timeout=600)
        "${apt[@]}" update >/dev/null || say "apt-get update failed; trying the install all the same"
        if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
            say "apt-get install ${missing[*]} failed; the browser tests will fail"
        fi
    fi
fi

if [ "$(cat "$NPM_STAMP" 2>/dev/null)" != "$WANT decap-cms@$DECAP_CMS" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        say "cannot install $WANT: no npm; the browser tests will fail"
    else
        say "installing $WANT and decap-cms@$DECAP_CMS (its bundle) into $NPM_DIR"
        rm -rf "$NPM_DIR"
        mkdir -p "$NPM_DIR/decap-cms"
        # shellcheck disable=SC2086
        if npm install --prefix "$NPM_DIR" --no-save --no-audit --no-fund --no-update-notifier --loglevel=error \
            $WANT >&2 \
            && npm pack --silent --pack-destination "$NPM_DIR" "decap-cms@$DECAP_CMS" >/dev/null \
            && tar -xzf "$NPM_DIR/decap-cms-$DECAP_CMS.tgz" -C "$NPM_DIR/decap-cms" --strip-components=2 \
                package/dist/decap-cms.js package/dist/decap-cms.js.LICENSE.txt \
            && rm "$NPM_DIR/decap-cms-$DECAP_CMS.tgz"; then
            echo "$WANT decap-cms@$DECAP_CMS" >"$NPM_STAMP"
        else
            say "npm install $WANT (or npm pack decap-cms@$DECAP_CMS) failed; the browser tests will fail"
        fi
    fi
fi
exit 0
