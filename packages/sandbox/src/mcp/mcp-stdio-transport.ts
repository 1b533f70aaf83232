import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createLineSplitter } from '../line-splitter';

/**
 * The MCP client's end of a server process's stdio: newline-delimited JSON-RPC, each line at most
 * `maxMessageBytes` (a longer one is dropped whole, never buffered), anything that is not a
 * JSON-RPC message reported through `onerror` and skipped.
 */
export function createChildStdioTransport(child: ChildProcessWithoutNullStreams, maxMessageBytes: number): Transport {
  let closed = false;
  const transport: Transport = {
    async start() {
      const splitter = createLineSplitter(
        maxMessageBytes,
        (line) => {
          if (line.trim() === '') return;
          let message: JSONRPCMessage;
          try {
            message = deserializeMessage(line);
          } catch {
            transport.onerror?.(new Error(`a line that is not a JSON-RPC message: ${line.slice(0, 120)}`));
            return;
          }
          transport.onmessage?.(message);
        },
        () => transport.onerror?.(new Error(`a message longer than ${maxMessageBytes} bytes; dropped`)),
      );
      child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
      const finish = () => {
        if (closed) return;
        closed = true;
        transport.onclose?.();
      };
      child.stdout.once('close', finish);
      child.once('exit', finish);
      child.stdin.on('error', () => {}); // EPIPE once the server is gone; its exit reports that
    },
    async send(message) {
      if (closed || child.stdin.destroyed) throw new Error('the server is not running');
      await new Promise<void>((resolve, reject) =>
        child.stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve())),
      );
    },
    async close() {
      child.stdin.end();
      if (!closed) {
        closed = true;
        transport.onclose?.();
      }
    },
  };
  return transport;
}
