#!/usr/bin/env bash
# Page Medic's one entry point.
#   ./build.sh          install what the build lacks, build the core and both extensions into dist/
#   ./build.sh test     the same, then every test: Rust, wasm, JS, end to end in Chromium and Firefox
#   ./build.sh source   the sources a reviewer needs to rebuild the packages, in dist/
# Running it again reinstalls nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

# Each step says when it began, in seconds since build.sh started (where CI's time goes).
log() { printf '\033[1m==> %s\033[0m (at %d s)\n' "$*" "$SECONDS" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen CLI must be the crate's exact pin, or wasm-pack downloads one (no internet here).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || die "Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=X.Y.Z\")"
WASM_PACK_VERSION=0.15.1

export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Reproducible packages: two builds in different folders at different times give the same zips.
# Every file in them carries one time (the last commit's; in the source package, the time it
# records), their entries are sorted and their modes fixed, and no path of this machine's reaches
# the wasm: a crate's source is named from its own folder on (`/crates/js-sys-0.3.106/src/…`), as the
# standard library's are from /rustc/, not by where Cargo keeps it (whose registry folder's name
# changes with Cargo's version). The wasm32 flags of .cargo/config.toml are repeated here: these
# take their place (`wasm_flags`, once the crates are fetched).
CARGO_REGISTRY="${CARGO_HOME:-$HOME/.cargo}/registry"
wasm_flags() {
  cargo fetch --locked --quiet --target wasm32-unknown-unknown
  local flags="-C target-feature=+simd128" index
  for index in "$CARGO_REGISTRY"/cache/*/; do
    flags+=" --remap-path-prefix=$CARGO_REGISTRY/src/$(basename "$index")=/crates"
  done
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
}
source_date_epoch() {
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    echo "$SOURCE_DATE_EPOCH"
  elif [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$ROOT" ]; then
    git log -1 --format=%ct
  elif [ -f SOURCE_DATE_EPOCH ]; then
    cat SOURCE_DATE_EPOCH
  else
    die "no commit to date the packages by: set SOURCE_DATE_EPOCH (seconds since 1970)"
  fi
}

# zip_dir DIR ZIP: DIR's files in ZIP, sorted, each with the one time and a fixed mode (755 for
# a program, 644 for the rest).
zip_dir() {
  local dir=$1 zip=$2 stamp
  stamp=$(TZ=UTC date -d "@$(source_date_epoch)" +%Y%m%d%H%M.%S)
  find "$dir" -type d -exec chmod 755 {} + -o -type f -perm /111 -exec chmod 755 {} + -o -type f -exec chmod 644 {} +
  find "$dir" -exec env TZ=UTC touch -h -t "$stamp" {} +
  rm -f "$zip"
  (cd "$dir" && find . -type f | LC_ALL=C sort | TZ=UTC zip -q -X -D "$zip" -@)
}

# --- set-up -------------------------------------------------------------------------------------

ensure_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
    cargo install --locked --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
    log "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
    cargo install --locked --force wasm-pack --version "$WASM_PACK_VERSION"
  fi
}

ensure_npm() {
  command -v npm >/dev/null || ensure_debs nodejs npm
  # Reinstall only when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# --- build --------------------------------------------------------------------------------------

build() {
  ensure_debs zip
  ensure_rust
  ensure_npm
  wasm_flags
  log "building the core (wasm-pack, release)"
  # wasm-opt comes from the npm package binaryen (node_modules/.bin is first on PATH): Debian's
  # older binaryen writes modules that fail at init.
  WASM_PACK_CACHE="$ROOT/target/wasm-pack-cache" \
    wasm-pack --quiet build --release --target web --out-dir pkg --no-pack --mode no-install

  log "checking the extension's scripts parse"
  find extension -name '*.js' -print0 | xargs -0 -n1 node --check

  log "assembling dist/chrome and dist/firefox"
  rm -rf dist && mkdir -p dist
  for browser in chrome firefox; do
    local out="dist/$browser"
    mkdir -p "$out/core"
    cp -r extension/. "$out/"
    rm -f "$out"/manifest.*.json
    cp pkg/page_medic.js pkg/page_medic_bg.wasm "$out/core/"
    # The panel (a frame over a failed page) as one classic script and its stylesheet in the page:
    # each file a frame loads adds to the time before its help shows (docs/performance-notes.md).
    esbuild extension/panel/panel.js --bundle --format=iife --target=chrome120,firefox140 \
      --log-level=warning --outfile="$out/panel/panel.js" --allow-overwrite
    node tools/inline-style.mjs "$out/panel/panel.html"
    node tools/manifest.mjs "$browser" extension "$out"
    zip_dir "$out" "$ROOT/dist/page-medic-$browser.zip"
  done
  # `node --check` reads one file at a time: an import of a name no module exports would stop the
  # background only when loaded. esbuild follows every entry point's imports (nothing is kept).
  log "checking every import names an export"
  local bundles; bundles=$(mktemp -d)
  esbuild dist/chrome/background/background.js dist/chrome/pages/*.js --bundle --format=esm \
    --outdir="$bundles" --log-level=error || { rm -rf "$bundles"; die "an import names no export (above)"; }
  rm -rf "$bundles"
  log "built: $(cd dist && ls -d chrome firefox page-medic-*.zip | tr '\n' ' ')"
}

# What the add-ons site's reviewers need to rebuild the packages (the wasm is compiled code):
# dist/page-medic-source.zip, whose README says how (README.md, "Building from source").
SOURCE_FILES=(Cargo.toml Cargo.lock .cargo src extension tools/inline-style.mjs tools/manifest.mjs
  build.sh package.json package-lock.json README.md PRIVACY.md)
source_package() {
  ensure_debs zip
  local epoch dir
  epoch=$(source_date_epoch)
  dir=$(mktemp -d)
  git ls-files -z -- "${SOURCE_FILES[@]}" | xargs -0 cp --parents -t "$dir"
  echo "$epoch" > "$dir/SOURCE_DATE_EPOCH"
  mkdir -p dist
  SOURCE_DATE_EPOCH=$epoch zip_dir "$dir" "$ROOT/dist/page-medic-source.zip"
  rm -rf "$dir"
  log "built: dist/page-medic-source.zip ($(git ls-files -- "${SOURCE_FILES[@]}" | wc -l) files)"
}

# --- tests --------------------------------------------------------------------------------------

# One browser's end-to-end suite: e2e_suite BROWSER ISOLATED (true: in a network namespace).
e2e_suite() {
  local run=(node --test --test-concurrency=1 --test-timeout=600000 tests/e2e/)
  if $2; then
    BROWSERS=$1 unshare -n sh -c 'ip link set lo up &&
      ip link add pm0 type veth peer name pm1 && ip addr add 192.0.2.1/32 dev pm0 &&
      ip link set pm1 up && ip link set pm0 up && exec "$@"' e2e "${run[@]}"
  else
    BROWSERS=$1 "${run[@]}"
  fi
}

# failing_tests < TAP: every "not ok" line (a test's, its suite's, its file's) with its report, up to
# the report's closing "..." (node --test's TAP: the report is indented two more than its line).
failing_tests() {
  awk '
    /^\[[a-z]+\] +not ok / { match($0, /^\[[a-z]+\] +/); end = substr($0, 1, RLENGTH) "  ..."; on = 1 }
    on { print; if ($0 == end) on = 0 }'
}

run_tests() {
  # fonts-wqy-microhei: Chinese text in the screenshots (the browsers ship no CJK font).
  # haproxy ... nghttp2-proxy (nghttpx): real gateways besides nginx (tests/e2e/gateways.test.js).
  # xvfb, xdotool: a person's click in Firefox's toolbar popup (tests/e2e/popup.test.js).
  ensure_debs chromium chromium-driver firefox-esr nginx iproute2 fonts-wqy-microhei libnss3-tools openssl \
    haproxy varnish apache2 caddy squid lighttpd trafficserver h2o nghttp2-proxy xvfb xdotool
  log "rustfmt (rustfmt.toml)"
  cargo fmt --check
  log "cargo test"
  cargo test --quiet
  log "wasm boundary test (node)"
  WASM_PACK_CACHE="$ROOT/target/wasm-pack-cache" wasm-pack test --node --mode no-install
  log "JS unit tests"
  node --test tests/unit/
  log "reproducible packages (the source package built again in another folder)"
  ensure_debs unzip
  node --test tests/packages/
  log "end to end in Chromium and Firefox ESR, side by side"
  # One suite a browser, both at once: most of an end-to-end test's time is waiting for the
  # browser (retry countdowns, page loads), not work. Each suite runs in a network namespace of its
  # own where the machine allows it, so that nothing the browsers do can leave the machine and
  # neither suite meets the other's servers (the status page on port 443). Besides loopback a
  # namespace has one veth pair that leads nowhere: Chromium counts itself offline
  # (navigator.onLine false) when loopback is its only interface. Each line says whose it is.
  local isolated=false browser failed=() status browsers=${BROWSERS:-chromium,firefox}
  if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
    isolated=true
  else
    log "(no network namespace here: the browsers share the machine's network, one after the other)"
  fi
  status=$(mktemp -d)
  for browser in ${browsers//,/ }; do
    { local rc=0; e2e_suite "$browser" "$isolated" || rc=$?; echo "$rc" > "$status/$browser"; } 2>&1 \
      | sed -u "s/^/[$browser] /" | tee "$status/$browser.log" &
    $isolated || wait $!
  done
  wait
  for browser in ${browsers//,/ }; do
    [ "$(cat "$status/$browser" 2>/dev/null)" = 0 ] || failed+=("$browser")
  done
  if [ ${#failed[@]} -gt 0 ]; then
    # The suites' lines are interleaved and a CI log may keep only its tail: each failing test's
    # report is repeated here, last, whole.
    log "what failed"
    for browser in "${failed[@]}"; do failing_tests < "$status/$browser.log" >&2; done
  fi
  rm -rf "$status"
  [ ${#failed[@]} -eq 0 ] || die "end-to-end tests failed in: ${failed[*]}"
  log "every test passed"
}

# Re-records tests/fixtures/captured.json from real servers (not part of `test`, which uses the
# committed fixtures). Extra arguments pick servers: ./build.sh capture nginx squid
capture() {
  ensure_npm
  ensure_debs nginx haproxy varnish apache2 squid caddy lighttpd trafficserver h2o nghttp2-proxy tinyproxy privoxy iproute2
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    unshare -n sh -c 'ip link set lo up && exec node tests/capture/capture.mjs "$@"' capture "$@"
  else
    die "capture runs its servers in a network namespace of its own: run it as root"
  fi
}

# A local site behind a real nginx that fails with 502 and recovers, in a browser with the built
# extension (screenshots in dist/demo/<browser>/ where there is no display).
demo() {
  ensure_debs chromium firefox-esr nginx fonts-wqy-microhei
  node tools/demo.mjs "${1:-chromium}"
}

# Benchmarks (not part of `test`: timings never fail a run): writes docs/benchmarks.md.
bench() {
  ensure_debs chromium firefox-esr nginx iproute2
  mkdir -p target/bench docs
  log "core cost natively; retry-storm simulation"
  cargo run -q --release --example core_cost > target/bench/core_cost.txt
  cargo run -q --release --example storm -- docs/storm.svg > target/bench/storm.md
  SWEEP=1 cargo run -q --release --example storm > target/bench/storm-sweep.md
  log "browsers (in a network namespace of their own)"
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    unshare -n sh -c 'ip link set lo up &&
      ip link add pm0 type veth peer name pm1 && ip addr add 192.0.2.1/32 dev pm0 &&
      ip link set pm1 up && ip link set pm0 up && exec node tools/bench.mjs'
  else
    node tools/bench.mjs
  fi
}

case "${1:-build}" in
  build) build ;;
  test) build; run_tests ;;
  capture) shift; capture "$@" ;;
  demo) shift; build; demo "$@" ;;
  bench) build; bench ;;
  source) source_package ;;
  *) die "usage: ./build.sh [build|test|source|bench|capture [server...]|demo [chromium|firefox]]" ;;
esac
