import { describe, expect, it } from 'vitest';
import { encodeFrame, parseHostFrame, parseSandboxFrame, SANDBOX_PROTOCOL_VERSION } from './protocol';

describe('sandbox protocol frames', () => {
  it('reads a request and a cancel', () => {
    expect(parseHostFrame('{"type":"request","id":"a","tool":"bash","input":{"command":"ls"},"timeoutMs":5}')).toEqual({
      ok: true,
      frame: { type: 'request', id: 'a', tool: 'bash', input: { command: 'ls' }, timeoutMs: 5 },
    });
    expect(parseHostFrame('{"type":"cancel","id":"a"}')).toEqual({ ok: true, frame: { type: 'cancel', id: 'a' } });
  });

  it.each([
    ['not JSON', '{"type":', null, /not JSON/],
    ['a JSON array', '[1,2]', null, /./],
    ['no id', '{"type":"request","tool":"bash","input":{}}', null, /id/],
    ['an unknown frame type', '{"type":"launch","id":"x"}', 'x', /type/],
    ['an unknown key', '{"type":"request","id":"y","tool":"bash","input":{},"sudo":true}', 'y', /sudo/],
    ['a negative timeout', '{"type":"request","id":"z","tool":"bash","input":{},"timeoutMs":-1}', 'z', /timeoutMs/],
    ['an empty tool name', '{"type":"request","id":"w","tool":"","input":{}}', 'w', /tool/],
  ])('refuses %s, keeping the id when there is one', (_name, line, id, message) => {
    const parsed = parseHostFrame(line);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.id).toBe(id);
    expect(parsed.message).toMatch(message);
  });

  it('round-trips the frames the sandbox sends', () => {
    const hello = {
      type: 'hello' as const,
      protocol: SANDBOX_PROTOCOL_VERSION,
      tools: ['bash'],
      pid: 7,
      workspaceRoot: '/workspace',
      workingDirectory: '/workspace/agent',
    };
    const line = encodeFrame(hello);
    expect(line.endsWith('\n')).toBe(true);
    expect(parseSandboxFrame(line.trim())).toEqual({ ok: true, frame: hello });
    const failure = {
      type: 'response' as const,
      id: null,
      ok: false as const,
      error: { code: 'protocol' as const, message: 'bad' },
    };
    expect(parseSandboxFrame(JSON.stringify(failure))).toEqual({ ok: true, frame: failure });
  });

  it('refuses a response with an error code it does not know', () => {
    const parsed = parseSandboxFrame('{"type":"response","id":"1","ok":false,"error":{"code":"meltdown","message":"x"}}');
    expect(parsed.ok).toBe(false);
  });
});
