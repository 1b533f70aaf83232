/**
 * Live events compressed once for every client. A stream is raw deflate (`Content-Encoding: deflate`)
 * cut into segments, each compressed on its own and ended with a sync flush: byte-aligned, not final,
 * and pointing back at nothing before it. Segments therefore join in any order and a client can start
 * at any of them: a batch of events is compressed once and the same bytes go to every client, however
 * long it has been attached, with its own messages (a replay, a heartbeat) as segments of its own.
 */

/** One segment: `bytes` compressed on their own, ending on a byte boundary with the stream still open. */
export function deflateSegment(bytes: Uint8Array): Buffer {
  // zlib is loaded by the first compressed stream, not with the server: `ngb serve` starts without it.
  const { constants, deflateRawSync } = process.getBuiltinModule('node:zlib');
  return deflateRawSync(bytes, { level: constants.Z_BEST_SPEED, finishFlush: constants.Z_SYNC_FLUSH });
}

/**
 * The last bytes of a stream: an empty final block (fixed Huffman codes, then end-of-block), so that
 * the client sees a stream that ended, not a cut. Written out rather than made by zlib at load: a zlib
 * stream costs `ngb serve` memory it would keep while idle.
 */
export const deflateEnd: Uint8Array = Uint8Array.of(0x03, 0x00);

/**
 * Whether an `Accept-Encoding` header accepts deflate: named, with a quality above zero. A wildcard is
 * not taken as a yes: a client that names no encoding gets the bytes as they are.
 */
export function acceptsDeflate(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (name !== 'deflate') continue;
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  }
  return false;
}

/** Framed messages shared by many streams, encoded at most once for each encoding a stream asks for. */
export interface SseBatch {
  readonly identity: Uint8Array;
  deflated(): Uint8Array;
}

export function sseBatch(text: string): SseBatch {
  const identity = Buffer.from(text);
  let deflated: Uint8Array | undefined;
  return { identity, deflated: () => (deflated ??= deflateSegment(identity)) };
}
