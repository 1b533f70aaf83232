// A small multipart/form-data reader shared by the fakes' upload routes. SDKs (axios with form-data,
// for one) may send file parts without a filename, which `Request.formData()` would read as text and
// so change binary bytes; this keeps every part as bytes, exactly as sent.

/** One part of a multipart body. */
export interface MultipartPart {
  /** The form field's name. */
  name: string;
  /** The file name, when the part carries one. */
  filename?: string;
  /** The part's own `Content-Type`, when given. */
  contentType?: string;
  /** The bytes, as sent. */
  data: Buffer;
}

/** Splits a multipart body into its parts (bytes kept as sent); `[]` when the content type names no boundary. */
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
      const name = /\bname="([^"]*)"/i.exec(head)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(head)?.[1];
      const type = /^content-type:\s*([^\r\n]+)/im.exec(head)?.[1]?.trim();
      if (name !== undefined)
        parts.push({
          name,
          ...(filename !== undefined ? { filename } : {}),
          ...(type !== undefined ? { contentType: type } : {}),
          data: chunk.subarray(split + 4),
        });
    }
    start = next;
  }
  return parts;
}
