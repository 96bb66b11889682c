#!/usr/bin/env bash
# npm run lint: Biome's recommended lint rules less those the code deliberately departs from
# (biome.json says which), warnings included; then the line-width limit (tests/line-width.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
npx biome lint --error-on-warnings
node tests/line-width.mjs 200
