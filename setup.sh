#!/usr/bin/env bash
# Set jiazheng up on a fresh Debian/Ubuntu machine, then run the offline demo.
#   bash setup.sh            install everything, then `jiazheng demo` (writes demo-out/leads.csv)
#   bash setup.sh --no-demo  install only (used by test.sh and CI)
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need_apt+=(fonts-noto-cjk)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)  # scale-out and its test
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)  # packet PDF checks in tests
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)  # RFC 3161 test TSA
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "== apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Chromium refuses its sandbox as root: run as root, jiazheng starts the browser as this
# unprivileged user instead (leads/egress/chromium_as_user.sh), never with --no-sandbox.
if [ "$(id -u)" -eq 0 ] && ! getent passwd jiazheng-browser >/dev/null; then
  echo "== creating the unprivileged user jiazheng-browser (runs Chromium when jiazheng runs as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin jiazheng-browser
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
echo "== installing jiazheng and its dependencies into .venv"
.venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
.venv/bin/python -m pip install -q -e '.[test]'

if [ "${1:-}" != "--no-demo" ]; then
  echo "== running the offline demo"
  .venv/bin/jiazheng demo --out-dir demo-out
fi
