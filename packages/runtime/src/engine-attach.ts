import { type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex, PassThrough, type Readable, type Writable } from 'node:stream';
import type { SandboxError } from '@ngb/plugin-sdk';
import { EngineApiError, maxErrorAnswerBytes, noServerName, readEngineAnswer } from './engine-response';
import { createFrameDemultiplexer, defaultMaxFrameBytes } from './engine-stream-frames';

/** A container's stdio over one hijacked connection to the engine (no TTY). */
export interface AttachedStdio {
  /** What the container writes to stdout. Ends when the connection ends. */
  stdout: Readable;
  /** What the container writes to stderr. Ends when the connection ends. */
  stderr: Readable;
  /** The container's stdin. */
  stdin: Writable;
  /**
   * Why the stream was cut, when the engine broke its framing (a garbled header, a frame past the cap,
   * the engine's own error frame, the end within a frame); undefined otherwise.
   */
  failure(): SandboxError | undefined;
  /** Closes the connection (the container's stdin closes with it). */
  close(): void;
}

/** Where and how to reach the engine for an attach. */
export interface AttachTarget {
  socketPath: string;
  /** The request path, with its query and the API version prefix. */
  path: string;
  /** How long to wait for the engine's answer; none once attached. */
  timeoutMs: number;
  /** @default defaultMaxFrameBytes */
  maxFrameBytes?: number;
}

/**
 * Attaches to a container: `POST .../attach` with `Connection: Upgrade` and `Upgrade: tcp`. The engine answers
 * `101 UPGRADED` and the connection becomes the raw stream both ways; an engine (or a proxy in front of
 * it) that ignores the upgrade headers answers `200 OK`, after which the same connection is the raw
 * stream too (the Engine API's hijacking). Any other answer is an `EngineApiError`.
 * @throws EngineApiError (404 no such container, ...), or the connection's error
 */
export async function attachContainerStdio(target: AttachTarget): Promise<AttachedStdio> {
  const stream = await openHijackedStream(target);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let failure: SandboxError | undefined;
  const demultiplexer = createFrameDemultiplexer(
    { stdout: (chunk) => stdout.write(chunk), stderr: (chunk) => stderr.write(chunk) },
    target.maxFrameBytes ?? defaultMaxFrameBytes,
  );
  const finish = () => {
    if (!stdout.writableEnded) stdout.end();
    if (!stderr.writableEnded) stderr.end();
  };
  stream.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      demultiplexer.push(chunk);
    } catch (error) {
      failure = error as SandboxError;
      stream.destroy();
      finish();
    }
  });
  stream.once('end', () => {
    try {
      demultiplexer.end();
    } catch (error) {
      failure ??= error as SandboxError;
    }
    finish();
  });
  stream.once('close', finish);
  // A write after the engine closed the connection (EPIPE) ends the outputs; the channel sees the end.
  stream.on('error', finish);
  return {
    stdout,
    stderr,
    stdin: stream,
    failure: () => failure,
    close: () => void stream.destroy(),
  };
}

function openHijackedStream(target: AttachTarget): Promise<Duplex> {
  const what = 'attaching to the container';
  return new Promise((resolve, reject) => {
    const sent = request({
      ...noServerName,
      socketPath: target.socketPath,
      method: 'POST',
      path: target.path,
      // A connection of its own: it is the container's stdio from now on, never back in a pool.
      agent: false,
      headers: { host: 'docker', connection: 'Upgrade', upgrade: 'tcp', 'content-length': 0 },
    });
    sent.setTimeout(target.timeoutMs, () =>
      sent.destroy(new Error(`[@ngb/runtime] the Docker engine did not answer ${what} within ${target.timeoutMs} ms`)),
    );
    sent.on('error', reject);
    sent.on('upgrade', (_response, socket: Socket, head: Buffer) => {
      socket.setTimeout(0);
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    sent.on('response', (response) => {
      if (response.statusCode === 200) {
        response.socket.setTimeout(0);
        return resolve(rawStreamOf(response));
      }
      // Still under the time limit: an error answer that never ends must not hang the caller.
      readEngineAnswer(response, what, maxErrorAnswerBytes).then(
        () => reject(new EngineApiError(response.statusCode ?? 0, { message: `unexpected answer to ${what}` })),
        reject,
      );
    });
    sent.end();
  });
}

/**
 * The raw stream after a `200 OK`: what the engine sends arrives as the answer's body (it has no length, so
 * it lasts until the connection closes) and what is written goes straight onto the connection (the request
 * itself has ended, so nothing of HTTP is mixed in).
 */
function rawStreamOf(response: IncomingMessage): Duplex {
  const socket = response.socket;
  const duplex = new Duplex({
    read: () => void response.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (error, callback) => {
      socket.destroy();
      callback(error);
    },
  });
  response.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) response.pause();
  });
  response.on('end', () => duplex.push(null));
  response.on('error', (error) => duplex.destroy(error));
  socket.on('error', (error) => duplex.destroy(error));
  return duplex;
}
