import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';

const ipCommand = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((candidate) => existsSync(candidate));

function namespaceSupport(): { ok: boolean; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'network namespaces need root' };
  if (ipCommand === undefined) return { ok: false, why: 'the `ip` command (iproute2) is missing' };
  return { ok: true, why: '' };
}

/**
 * `describe` for tests that make network namespaces. Off CI, without root or `ip`, they are skipped
 * with one line saying why; under CI=true they fail.
 */
export function describeWithNamespaces(name: string, body: () => void): void {
  const support = namespaceSupport();
  if (support.ok) {
    describe(name, body);
    return;
  }
  if (process.env.CI !== 'true') {
    try {
      openSync(path.join(os.tmpdir(), `ngb-netns-skip-notice-${process.ppid}`), 'wx');
      console.log(`[@ngb/runtime tests] skipping the egress tests through a network namespace: ${support.why}`);
    } catch {}
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    it('needs root and iproute2 to make a network namespace', () => {
      throw new Error(`${support.why}; run the tests as root with iproute2 installed (apt-get install iproute2)`);
    });
  });
}

/** A stand-in for a public host: an HTTP server in its own network namespace, reached over a veth pair. */
export interface StandInHost {
  /** Its address (in 203.0.113.0/24, documentation space the egress proxy treats as public). */
  address: string;
  /** Stops the server and removes the namespace and the veth pair. */
  remove(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync(ipCommand as string, args, { stdio: ['ignore', 'ignore', 'pipe'] });

// Answers every request on ports 80 and 443 in plain HTTP (the proxy only relays bytes).
const serverSource = `
const http = require('node:http');
let ready = 0;
for (const port of [80, 443]) {
  http.createServer((request, response) => response.end('stand-in public host, port ' + port + ': ' + request.method + ' ' + request.url + ' host ' + request.headers.host + '\\n'))
    .listen(port, '0.0.0.0', () => { ready += 1; if (ready === 2) console.log('ready'); });
}
`;

/**
 * Makes a network namespace named uniquely, a veth pair to it from this host (a /30 at a random
 * place in 203.0.113.0/24), and runs a tiny HTTP server inside it on ports 80 and 443.
 */
export async function createStandInHost(scratchFolder: string): Promise<StandInHost> {
  const suffix = randomBytes(3).toString('hex');
  const namespace = `ngb-egress-${process.pid}-${suffix}`;
  const hostSide = `ngbh${suffix}`;
  const namespaceSide = `ngbn${suffix}`;
  const block = 4 * (1 + Math.floor(Math.random() * 62));
  const hostAddress = `203.0.113.${block + 1}`;
  const address = `203.0.113.${block + 2}`;
  let server: ChildProcess | undefined;
  const remove = async () => {
    server?.kill('SIGKILL');
    try {
      ip('link', 'del', hostSide);
    } catch {}
    try {
      ip('netns', 'del', namespace);
    } catch {}
  };
  try {
    ip('netns', 'add', namespace);
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', namespaceSide);
    ip('link', 'set', namespaceSide, 'netns', namespace);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    ip('link', 'set', hostSide, 'up');
    ip('netns', 'exec', namespace, ipCommand as string, 'addr', 'add', `${address}/30`, 'dev', namespaceSide);
    ip('netns', 'exec', namespace, ipCommand as string, 'link', 'set', namespaceSide, 'up');
    ip('netns', 'exec', namespace, ipCommand as string, 'link', 'set', 'lo', 'up');
    const script = path.join(scratchFolder, `stand-in-${suffix}.cjs`);
    await writeFile(script, serverSource);
    server = spawn(ipCommand as string, ['netns', 'exec', namespace, process.execPath, script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = server;
    await new Promise<void>((resolve, reject) => {
      let errors = '';
      started.stderr?.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      started.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`the stand-in host's server exited with ${code}: ${errors}`)));
    });
    return { address, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
