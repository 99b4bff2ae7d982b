#!/usr/bin/env node
'use strict';
// The `aiaas` command. The TypeScript sources are bundled into dist/ by `npm ci` (prepare) or
// `npm run build`; say so plainly if that has not happened.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'aiaas.js');
if (!fs.existsSync(entry)) {
  console.error(`aiaas: ${entry} is missing; run "npm ci" (or "npm run build") in ${path.dirname(__dirname)} first`);
  process.exit(1);
}
require(entry);
