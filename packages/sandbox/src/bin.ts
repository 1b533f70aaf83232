#!/usr/bin/env node
import { runSandboxProgram } from './sandbox-program';

// The sandbox program: speaks the sandbox protocol on stdin/stdout, diagnostics on stderr.
// In the image it runs as `tini -- /opt/ngb/sandbox/node /opt/ngb/sandbox/bin.js` with the
// defaults of `runSandboxProgram`; both binaries are execute-only, which keeps the processes out of
// the tools' reach.

process.on('SIGTERM', () => process.exit(143));
runSandboxProgram({
  args: process.argv.slice(2),
  input: process.stdin,
  output: process.stdout,
  log: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
}).then((code) => process.exit(code));
