import type { ServerResponse } from 'node:http';
import type { LlmScriptFault } from '@ngb/plugin-sdk/testing';
import type { WireFrame } from './llm-reply-plan';

/** Resolves after `ms` milliseconds (immediately for 0). */
export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/** True once the response can no longer be written (the client left or it was ended). */
function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.writableEnded;
}

/** Sends a JSON body. */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (isGone(response)) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** How a streamed response is paced and spoiled. */
export interface StreamWriting {
  frames: WireFrame[];
  /** How many of the last frames are the closing events a `truncate` fault leaves out. */
  finalFrames: number;
  /** The frame a `malformed` fault sends. */
  malformedFrame: string;
  chunkDelayMs: number;
  fault: Required<LlmScriptFault> | undefined;
  headers: Record<string, string>;
}

/** Writes `data` and resolves once it was handed to the socket (or the client left). */
function writeFlushed(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (isGone(response)) {
      resolve();
      return;
    }
    const done = () => {
      response.off('close', done);
      resolve();
    };
    response.once('close', done);
    response.write(data, done);
  });
}

function applyStreamFault(response: ServerResponse, fault: Required<LlmScriptFault>, malformedFrame: string): void {
  switch (fault.kind) {
    case 'cut':
      response.destroy();
      return;
    case 'truncate':
      response.end();
      return;
    case 'malformed':
      response.end(malformedFrame);
      return;
    case 'stall':
      return;
  }
}

/** Writes an SSE response frame by frame, waiting `chunkDelayMs` before each content delta, and injects the fault. */
export async function writeStream(response: ServerResponse, writing: StreamWriting): Promise<void> {
  if (isGone(response)) return;
  response.writeHead(200, {
    ...writing.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  const { frames, fault } = writing;
  const firstFinal = frames.length - writing.finalFrames;
  let deltas = 0;
  for (const [index, frame] of frames.entries()) {
    const faultNow = fault !== undefined && ((frame.delta && deltas === fault.afterDeltas) || index === firstFinal);
    if (faultNow) {
      applyStreamFault(response, fault, writing.malformedFrame);
      return;
    }
    if (frame.delta) {
      await sleep(writing.chunkDelayMs);
      if (isGone(response)) return;
      deltas++;
    }
    await writeFlushed(response, frame.data);
  }
  response.end();
}

/** Writes a non-streamed JSON answer, or the fault's broken version of it. */
export function writeJsonReply(
  response: ServerResponse,
  body: unknown,
  fault: Required<LlmScriptFault> | undefined,
  headers: Record<string, string>,
): void {
  if (fault === undefined) {
    writeJson(response, 200, body, headers);
    return;
  }
  if (isGone(response)) return;
  const text = JSON.stringify(body);
  const half = text.slice(0, Math.floor(text.length / 2));
  switch (fault.kind) {
    case 'cut':
      response.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.write(half, () => response.destroy());
      return;
    case 'truncate':
      response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      response.end(half);
      return;
    case 'malformed':
      response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      response.end('{"id": not json');
      return;
    case 'stall':
      response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      response.flushHeaders();
      return;
  }
}
