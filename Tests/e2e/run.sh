#!/usr/bin/env bash
# End-to-end tests in headless Chromium against a fresh `opora demo`.
#
#   Tests/e2e/run.sh [path/to/opora]     (default: $(swift build --show-bin-path)/opora)
#
# Builds nothing: build first with `swift build --product opora`. Needs python3 with selenium 4,
# chromium and chromedriver (/usr/bin/chromedriver, or $CHROMEDRIVER). Starts the demo on a free
# 127.0.0.1 port with a temporary database, runs Tests/e2e/e2e.py, stops the server, and exits
# non-zero when any step fails. Screenshots and page sources of failed steps stay in the folder printed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

binary="${1:-}"
if [[ -z "$binary" ]]; then
  binary="$(cd "$root" && swift build --show-bin-path)/opora"
fi
if [[ ! -x "$binary" ]]; then
  echo "e2e: no opora binary at $binary (build it with: swift build --product opora)" >&2
  exit 2
fi
python3 -c 'import selenium, openpyxl' 2>/dev/null || { echo "e2e: python3 needs selenium and openpyxl (pip install selenium openpyxl)" >&2; exit 2; }
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
[[ -x "$CHROMEDRIVER" ]] || { echo "e2e: no chromedriver at $CHROMEDRIVER (apt-get install chromium chromium-driver)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/opora-e2e.XXXXXX")"
export E2E_WORKDIR="$work"
export E2E_ARTIFACTS="$work/artifacts"
mkdir -p "$E2E_ARTIFACTS"
export E2E_PASSWORD="e2e-demo-password"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export E2E_BASE_URL="http://127.0.0.1:$port"

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

echo "== e2e: opora demo on $E2E_BASE_URL (database $work/e2e.sqlite)"
"$binary" demo --db "$work/e2e.sqlite" --host 127.0.0.1 --port "$port" --demo-password "$E2E_PASSWORD" \
  > "$work/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if python3 -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('$E2E_BASE_URL/health', timeout=2).read() == b'ok' else 1)" 2>/dev/null; then
    ready=1; break
  fi
  sleep 1
done
if [[ -z "$ready" ]]; then
  echo "e2e: the demo did not answer /health within 120 s; its log:" >&2
  tail -50 "$work/server.log" >&2
  exit 1
fi

set +e
python3 "$here/e2e.py"
status=$?
set -e
stop_server

if [[ $status -ne 0 ]]; then
  echo "e2e: FAILED; server log: $work/server.log; screenshots and page sources: $E2E_ARTIFACTS" >&2
  echo "---- last lines of the server log" >&2
  tail -30 "$work/server.log" >&2
  exit "$status"
fi
rm -rf "$work"
exit 0
