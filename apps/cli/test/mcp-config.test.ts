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

  it('refuses a remote server when the config loads: it needs the egress proxy', async () => {
    const project = await createProject('mcp-remote', (config) => {
      config.agents = { main: { mcpServers: [{ name: 'remote', url: 'https://mcp.example.com/mcp' }] } };
    });
    try {
      const result = await runCli(['run', '-p', 'hello'], { cwd: project.dir, env: { OPENAI_BASE_URL: `${server.url}/v1` } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /key "agents\.main\.mcpServers\.0\.url" is a remote MCP server \(streamable HTTP\), which needs the egress proxy/,
      );
    } finally {
      project.remove();
    }
  });
});
