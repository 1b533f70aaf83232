// A small multipart/form-data reader for the fake Feishu's uploads. The SDK (through axios and form-data)
// sends file parts without a filename, which `Request.formData()` would read as text and so change
// binary bytes; this keeps every part as bytes.

/** One part of a multipart body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Splits a multipart body into its parts (bytes kept as sent). */
export function readMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return [];
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const chunk = body.subarray(start + delimiter.length + 2, next - 2);
    const split = chunk.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = chunk.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined)
        parts.push({ name, ...(filename !== undefined ? { filename } : {}), data: chunk.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}
