#!/usr/bin/env node
// The CLI is bundled by tools/scripts/build-cli.mjs (run on install by `npm ci`).
import '../dist/lstmc.mjs';
