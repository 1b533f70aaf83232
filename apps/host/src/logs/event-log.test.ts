import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus, GatewayEvent, GatewayEventListener } from '@ngb/core';
import type { LogLevel } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordGatewayEvents } from './event-log';
import { openLogSink } from './log-sink';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-event-log-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

// A bus that hands every event to its listeners, as the core's does.
function createBus(): EventBus & { emitAll(events: GatewayEvent[]): void } {
  const listeners: GatewayEventListener[] = [];
  return {
    on: ((listener: GatewayEventListener) => {
      listeners.push(listener);
      return () => undefined;
    }) as EventBus['on'],
    emit(event) {
      for (const listener of listeners) listener({ ...event, at: Date.UTC(2026, 0, 1) } as never);
    },
    emitAll(events) {
      for (const event of events) this.emit(event);
    },
    since: () => ({ events: [], missed: false }),
    lastSeq: () => 0,
  };
}

const usage = { inputTokens: 1200, outputTokens: 34, cacheTokens: 0, costUsd: 0 };
const events: GatewayEvent[] = [
  { type: 'message.received', messageId: 'm1', channel: 'web', chatId: 'c1', senderId: 'ann', text: 'INBOUND-TEXT' },
  { type: 'text.delta', turnId: 't1', sessionId: 's1', text: 'DELTA-TEXT' },
  { type: 'tool.start', turnId: 't1', sessionId: 's1', callId: 'k1', name: 'bash', input: { command: 'TOOL-INPUT' } },
  {
    type: 'tool.end',
    turnId: 't1',
    sessionId: 's1',
    callId: 'k1',
    name: 'bash',
    durationMs: 5,
    isError: false,
    output: 'TOOL-OUTPUT',
  },
  {
    type: 'turn.end',
    turnId: 't1',
    sessionId: 's1',
    agentId: 'a1',
    status: 'succeeded',
    durationMs: 9,
    usage,
    text: 'REPLY-TEXT',
  },
];
const texts = ['INBOUND-TEXT', 'DELTA-TEXT', 'TOOL-INPUT', 'TOOL-OUTPUT', 'REPLY-TEXT'];

function record(level: LogLevel): Array<Record<string, unknown>> {
  const path = join(directory, `${level}.jsonl`);
  const sink = openLogSink(path, { level });
  const bus = createBus();
  recordGatewayEvents(bus, sink, { pid: 1, command: 'run' });
  bus.emitAll(events);
  sink.close();
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('recordGatewayEvents', () => {
  it('logs every egress request: allowed at info, refused at warn, with host, port, method, bytes and reason', () => {
    const path = join(directory, 'egress.jsonl');
    const sink = openLogSink(path, { level: 'info' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    const request = { sessionId: 's1', turnId: 't1', port: 443, bytesUp: 0, bytesDown: 0, startedAt: 1, durationMs: 2 };
    bus.emitAll([
      {
        type: 'egress.request',
        ...request,
        method: 'CONNECT',
        host: 'api.example.com',
        address: '203.0.113.9',
        allowed: true,
        bytesUp: 310,
        bytesDown: 5120,
      },
      {
        type: 'egress.request',
        ...request,
        method: 'GET',
        host: 'evil.example.net',
        allowed: false,
        reason: 'domain evil.example.net is not on the allowlist',
      },
    ]);
    sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'egress.request',
        method: 'CONNECT',
        host: 'api.example.com',
        port: 443,
        bytesUp: 310,
        bytesDown: 5120,
        allowed: true,
      }),
      expect.objectContaining({
        level: 'warn',
        event: 'egress.request',
        method: 'GET',
        host: 'evil.example.net',
        allowed: false,
        reason: 'domain evil.example.net is not on the allowlist',
      }),
    ]);
  });

  it('keeps what was said out of an info-level log, and keeps what happened', () => {
    const lines = record('info');
    const text = JSON.stringify(lines);
    for (const said of texts) expect(text).not.toContain(said);
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      ['info', 'message.received'],
      ['info', 'tool.start'],
      ['info', 'tool.end'],
      ['info', 'turn.end'],
    ]);
    expect(lines[0]).toMatchObject({ messageId: 'm1', channel: 'web', chatId: 'c1', senderId: 'ann', pid: 1, command: 'run' });
    expect(lines[3]).toMatchObject({ status: 'succeeded', usage });
  });

  it('writes an MCP server that failed or exited as a warning with its reason, and a ready one as info', () => {
    const path = join(directory, 'mcp.jsonl');
    const sink = openLogSink(path, { level: 'info' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    const base = { type: 'sandbox.mcp', sessionId: 's1', sandboxId: 'x1' } as const;
    bus.emitAll([
      { ...base, server: 'tiny', state: 'ready', tools: 7 },
      { ...base, server: 'silent', state: 'failed', tools: 0, problem: 'it did not start and list its tools within 1000 ms' },
      { ...base, server: 'tiny', state: 'exited', tools: 0, problem: 'it exited with code 3' },
    ]);
    sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.level, line.event, line.server, line.state])).toEqual([
      ['info', 'sandbox.mcp', 'tiny', 'ready'],
      ['warn', 'sandbox.mcp', 'silent', 'failed'],
      ['warn', 'sandbox.mcp', 'tiny', 'exited'],
    ]);
    expect(lines[1]).toMatchObject({ sessionId: 's1', problem: 'it did not start and list its tools within 1000 ms' });
  });

  it('writes that a channel waits for a QR login, at every level without the code itself', () => {
    const path = join(directory, 'login.jsonl');
    const sink = openLogSink(path, { level: 'debug' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    const login = { kind: 'qr', code: 'LOGIN-CODE-2@xyz', instructions: 'Link a device' } as const;
    bus.emit({ type: 'channel.status', channel: 'whatsapp', status: { state: 'connecting', login } });
    sink.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('LOGIN-CODE');
    expect(JSON.parse(text.trim())).toMatchObject({
      event: 'channel.status',
      channel: 'whatsapp',
      status: { state: 'connecting', login: { kind: 'qr', instructions: 'Link a device' } },
    });
  });

  it('writes the text at debug, with the ids of its event', () => {
    const lines = record('debug');
    const debug = lines.filter((line) => line.level === 'debug');
    expect(debug).toEqual([
      expect.objectContaining({
        event: 'message.received',
        messageId: 'm1',
        chatId: 'c1',
        senderId: 'ann',
        text: 'INBOUND-TEXT',
      }),
      expect.objectContaining({ event: 'text.delta', turnId: 't1', text: 'DELTA-TEXT' }),
      expect.objectContaining({ event: 'tool.start', callId: 'k1', input: { command: 'TOOL-INPUT' } }),
      expect.objectContaining({ event: 'tool.end', callId: 'k1', output: 'TOOL-OUTPUT' }),
      expect.objectContaining({ event: 'turn.end', turnId: 't1', sessionId: 's1', text: 'REPLY-TEXT' }),
    ]);
    for (const line of lines.filter((candidate) => candidate.level !== 'debug')) {
      for (const said of texts) expect(JSON.stringify(line)).not.toContain(said);
    }
  });

  it('writes a skipped skill at warn, with its path and reason', () => {
    const path = join(directory, 'warn.jsonl');
    const sink = openLogSink(path, { level: 'warn' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    bus.emitAll([
      ...events,
      {
        type: 'skill.invalid',
        scope: 'agent',
        agentId: 'a1',
        name: 'pdf',
        path: 'main/skills/pdf/SKILL.md',
        reason: 'main/skills/pdf/SKILL.md is a symbolic link; the skill is skipped',
      },
    ]);
    sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'skill.invalid',
        agentId: 'a1',
        path: 'main/skills/pdf/SKILL.md',
        reason: 'main/skills/pdf/SKILL.md is a symbolic link; the skill is skipped',
      }),
    ]);
  });

  it('writes a heartbeat a budget refused at warn, with its reason', () => {
    const path = join(directory, 'heartbeat.jsonl');
    const sink = openLogSink(path, { level: 'warn' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    bus.emit({ type: 'heartbeat', state: 'ok', agentId: 'a1', sessionId: 's1', turnId: 't1' });
    bus.emit({ type: 'heartbeat', state: 'refused', agentId: 'a1', sessionId: 's1', turnId: 't2', reason: 'budget spent' });
    sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', event: 'heartbeat', state: 'refused', reason: 'budget spent' }),
    ]);
  });

  it('writes a move to a fallback model at warn, with both models and the error', () => {
    const path = join(directory, 'fallback.jsonl');
    const sink = openLogSink(path, { level: 'warn' });
    const bus = createBus();
    recordGatewayEvents(bus, sink, { pid: 1, command: 'serve' });
    bus.emit({
      type: 'model.fallback',
      turnId: 't1',
      sessionId: 's1',
      agentId: 'a1',
      from: 'anthropic/m1',
      to: 'openai/m2',
      error: 'overloaded',
    });
    sink.close();
    const [line] = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(line).toMatchObject({
      level: 'warn',
      event: 'model.fallback',
      from: 'anthropic/m1',
      to: 'openai/m2',
      error: 'overloaded',
    });
  });
});
