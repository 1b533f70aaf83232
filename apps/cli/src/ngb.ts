#!/usr/bin/env node
// The `ngb` command, built as CommonJS: `ngb --help` and `ngb --version` answer without starting Node's
// ES module loader (about a quarter of their time), and every other command imports the CLI (`bin.js`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };
import { topLevelHelp } from './command-summaries';

const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;
if (only === '--version') process.stdout.write(`${packageJson.version}\n`);
else if (argv.length === 0 || only === '--help' || only === '-h' || only === 'help') {
  process.stdout.write(topLevelHelp(packageJson.version));
} else void import(pathToFileURL(join(__dirname, 'bin.js')).href);
