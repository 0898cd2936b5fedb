#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend assets (run after changing the pinned versions in
# package.json). The result is committed, so nothing is fetched when Haven runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../static/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/haven-govuk.scss" "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund)
pkg="$work/node_modules/govuk-frontend"
(cd "$work" && npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules haven-govuk.scss "$out/govuk-frontend.min.css")
cp "$pkg/dist/govuk/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
cp "$here/GOVUK-FRONTEND-LICENSE.txt" "$out/LICENSE.txt"
node -e 'console.log(require(process.argv[1]).version)' "$pkg/package.json" > "$out/VERSION"
