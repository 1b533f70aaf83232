import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let server: FakeLlmServer;
beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
});
afterAll(() => server?.close());

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const secret = ['ghp_', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('');

describe('agents.<folder>.mcpServers in the config', { timeout: 60_000 }, () => {
  it('refuses a secret in a server’s settings before anything runs, naming the key and never the value', async () => {
    const project = await createProject('mcp-secret', (config) => {
      config.agents = { main: { mcpServers: [{ name: 'gh', command: 'node', args: ['gh-mcp.mjs'], env: { GH: secret } }] } };
    });
    try {
      for (const args of [['run', '-p', 'hello'], ['serve']]) {
        const result = await runCli(args, { cwd: project.dir, env: { OPENAI_BASE_URL: `${server.url}/v1` } });
        expect(result.code, args[0]).toBe(1);
        expect(result.stderr).toMatch(
          /key "agents\.main\.mcpServers": `mcpServers`\[0\]\.env: the value of "GH" looks like a GitHub token/,
        );
        expect(result.stderr + result.stdout).not.toContain(secret);
      }
      expect(server.requests()).toHaveLength(0);
    } finally {
      project.remove();
    }
  });

  it('refuses a remote server whose host the network does not allow, saying to add the domain', async () => {
    const project = await createProject('mcp-remote', (config) => {
      config.agents = { main: { mcpServers: [{ name: 'remote', url: 'https://mcp.example.com/mcp' }] } };
    });
    try {
      const result = await runCli(['run', '-p', 'hello'], { cwd: project.dir, env: { OPENAI_BASE_URL: `${server.url}/v1` } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /key "agents\.main\.mcpServers": `mcpServers`\[0\] \("remote"\) is a remote MCP server, reached only through the egress proxy, and the network is "none"; allow its host/,
      );
    } finally {
      project.remove();
    }
  });

  it('refuses a remote server whose header names a variable the environment lacks, naming both', async () => {
    const project = await createProject('mcp-remote-header', (config) => {
      config.agents = {
        main: {
          network: { allow: ['mcp.example.com'] },
          mcpServers: [
            {
              name: 'remote',
              url: 'https://mcp.example.com/mcp',
              headers: { Authorization: 'Bearer ${NGB_TEST_MISSING_TOKEN}' },
            },
          ],
        },
      };
    });
    try {
      const result = await runCli(['run', '-p', 'hello'], { cwd: project.dir, env: { OPENAI_BASE_URL: `${server.url}/v1` } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /key "agents\.main\.mcpServers\.0\.headers\.Authorization" names \$\{NGB_TEST_MISSING_TOKEN\}, which is not set: set NGB_TEST_MISSING_TOKEN in the gateway's environment/,
      );
    } finally {
      project.remove();
    }
  });
});
