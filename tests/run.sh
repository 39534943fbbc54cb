#!/usr/bin/env bash
# Runs every test of the workspace against real clients.
#
# The tests start the server themselves (on ephemeral ports, in temporary directories);
# they also drive it with the AWS CLI and boto3, and use moto_server as an external S3.
# Those come from PyPI into ./.venv, created on first use; the console's browser tests use
# Debian's chromium and chromium-driver, installed with apt-get when missing. Extra
# arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! .venv/bin/python -c "import awscli, boto3, moto, flask_cors" 2>/dev/null; then
  echo "tests/run.sh: installing the AWS CLI, boto3 and moto into .venv" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi
export PATH="$PWD/.venv/bin:$PATH"

# The console's browser tests drive Debian's headless Chromium through chromedriver.
if ! command -v chromedriver >/dev/null || [ ! -x /usr/bin/chromium ]; then
  echo "tests/run.sh: installing chromium and chromium-driver (Debian packages)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }
  install || { $sudo apt-get update >/dev/null && install; }
fi

cargo test --workspace "$@"
