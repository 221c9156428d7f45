#!/usr/bin/env bash
# Lighthouse audit of the home page, a paper page and a tag page of the site, built into a
# temporary folder and served on 127.0.0.1. Prints the four category scores per page and
# every audit that did not pass; full JSON reports go to tests/artifacts/lighthouse/.
# A benchmark-like audit (slow, machine-dependent), so not part of `make test`.
# Targets: performance >= 95, accessibility 100, best practices 100, SEO 100.
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES=${PAGES:-"/ /papers/galore/ /tags/kv-cache/"}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
TOOL=scripts/lighthouse
OUT=tests/artifacts/lighthouse
PYTHON=${PYTHON:-.venv/bin/python}

[ -x "$CHROME_PATH" ] || { echo "lighthouse: no chromium at $CHROME_PATH (apt-get install -y chromium)"; exit 1; }
# Exact versions from package-lock.json; 12.2.3 is the last Lighthouse that runs on Node 20.
[ -x "$TOOL/node_modules/.bin/lighthouse" ] || npm ci --prefix "$TOOL" --no-audit --no-fund --loglevel=error

WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$PYTHON" -m atlas site --site-dir "$WORK/site" >/dev/null
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PYTHON" scripts/serve_site.py "$WORK/site" "$PORT" &
SERVER=$!
for _ in $(seq 50); do
  "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
  sleep 0.1
done

mkdir -p "$OUT"
# Mobile is Lighthouse's default (simulated slow 4G and a 4x slower CPU); desktop is its
# desktop preset. Both are reported; FORM_FACTORS="mobile" runs one.
for form in ${FORM_FACTORS:-mobile desktop}; do
  preset=(); [ "$form" = desktop ] && preset=(--preset=desktop)
  reports=()
  for page in $PAGES; do
    name=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//'); name=${name:-home}
    "$TOOL/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$page" --quiet "${preset[@]}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$OUT/$form-$name.json"
    reports+=("$OUT/$form-$name.json")
  done
  echo "== $form"
  "$PYTHON" scripts/lighthouse_scores.py "${reports[@]}" || status=1
done
exit "${status:-0}"
