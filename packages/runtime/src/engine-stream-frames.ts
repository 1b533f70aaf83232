import { SandboxError } from '@ngb/plugin-sdk';

/** Where the demultiplexed payloads go. */
export interface FrameSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** The engine's stream split back into the container's stdout and stderr. */
export interface FrameDemultiplexer {
  /**
   * Reads the next bytes of the stream; payloads reach the sink as they arrive, a frame need not be whole.
   * @throws SandboxError `protocol` for a header that is not the engine's, a frame past the size cap, or the
   *   engine's own error frame; nothing is read after that
   */
  push(chunk: Buffer): void;
  /**
   * Says that the stream ended.
   * @throws SandboxError `protocol` when it ended within a frame
   */
  end(): void;
}

/**
 * The largest frame accepted. The engine copies a container's output in 32 KiB reads, one frame each;
 * a header announcing more than this is garbage, not output.
 */
export const defaultMaxFrameBytes = 1024 * 1024;

const headerBytes = 8;
/** The engine's error inside the stream (stream type 3): kept up to this many bytes for the message. */
const maxErrorBytes = 4096;

function streamError(message: string): SandboxError {
  return new SandboxError('protocol', `[@ngb/runtime] the Docker engine's attach stream ${message}`);
}

/**
 * The demultiplexer of an attach stream without a TTY: each frame is an 8-byte header (stream type 0 stdin
 * echoed as output, 1 stdout, 2 stderr, 3 the engine's error; three zero bytes; the payload size as a
 * big-endian uint32) and the payload. A header that breaks this is refused rather than guessed at: once
 * out of step, any later byte could be read as a frame.
 */
export function createFrameDemultiplexer(sink: FrameSink, maxFrameBytes = defaultMaxFrameBytes): FrameDemultiplexer {
  const header = Buffer.alloc(headerBytes);
  let headerFilled = 0;
  let streamType = 0;
  let payloadLeft = 0;
  let errorText: Buffer[] = [];
  let failed: SandboxError | undefined;

  const fail = (error: SandboxError): never => {
    failed = error;
    throw error;
  };

  const readHeader = () => {
    streamType = header[0] ?? 0;
    if (streamType > 3 || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
      fail(streamError(`is garbled: a frame header of ${header.toString('hex')} is not the engine's`));
    }
    payloadLeft = header.readUInt32BE(4);
    if (payloadLeft > maxFrameBytes) {
      fail(streamError(`announced a frame of ${payloadLeft} bytes, more than the ${maxFrameBytes} accepted`));
    }
    headerFilled = 0;
    errorText = [];
    if (payloadLeft === 0 && streamType === 3) endErrorFrame();
  };

  const endErrorFrame = () => {
    const text = Buffer.concat(errorText).toString('utf8').trim();
    fail(streamError(`carried an error from the engine: ${text || '(no message)'}`));
  };

  const deliver = (payload: Buffer) => {
    if (streamType === 3) {
      const kept = errorText.reduce((sum, part) => sum + part.length, 0);
      if (kept < maxErrorBytes) errorText.push(payload.subarray(0, maxErrorBytes - kept));
      if (payloadLeft === 0) endErrorFrame();
      return;
    }
    if (streamType === 2) sink.stderr(payload);
    else sink.stdout(payload);
  };

  return {
    push(chunk) {
      if (failed) throw failed;
      let offset = 0;
      while (offset < chunk.length) {
        if (payloadLeft === 0 && headerFilled < headerBytes) {
          const taken = Math.min(headerBytes - headerFilled, chunk.length - offset);
          chunk.copy(header, headerFilled, offset, offset + taken);
          headerFilled += taken;
          offset += taken;
          if (headerFilled === headerBytes) readHeader();
          continue;
        }
        const taken = Math.min(payloadLeft, chunk.length - offset);
        payloadLeft -= taken;
        const payload = chunk.subarray(offset, offset + taken);
        offset += taken;
        deliver(payload);
      }
    },
    end() {
      if (failed) return;
      if (headerFilled > 0 || payloadLeft > 0) {
        fail(
          streamError(`ended within a frame (${headerFilled > 0 ? 'its header' : `${payloadLeft} bytes of payload missing`})`),
        );
      }
    },
  };
}
