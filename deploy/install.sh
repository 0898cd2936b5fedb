#!/bin/sh
# The image's install step (deploy/Dockerfile runs it in /app after copying the sources):
# every workspace member -- contracts, runtime, the four services, every shipped plugin --
# installed non-editable into /app/.venv, exactly as uv.lock pins them, without dev tools.
# Kept in a script so tests/test_image_install.py can run the very same step without Docker.
set -eu
cd "$(dirname "$0")/.."
uv sync --frozen --no-dev --no-editable
