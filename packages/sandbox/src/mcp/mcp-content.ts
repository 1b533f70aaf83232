import { createOutputCapture } from '../output-capture';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const field = (value: unknown, maxChars = 200): string => (typeof value === 'string' ? value.slice(0, maxChars) : '?');

const base64Bytes = (data: unknown): number =>
  typeof data === 'string' ? Math.floor((data.replace(/=+$/, '').length * 3) / 4) : 0;

/** One content part as text: text as it is; images, audio and binary resources described, never included. */
function partText(part: unknown): string {
  if (!isPlainObject(part)) return '[content that is not an object; left out]';
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return `[${part.type}: ${field(part.mimeType)}, ${base64Bytes(part.data)} bytes; not shown]`;
    case 'resource_link':
      return `[resource link: ${field(part.uri, 2000)}${typeof part.name === 'string' ? ` (${field(part.name)})` : ''}]`;
    case 'resource': {
      const resource = isPlainObject(part.resource) ? part.resource : {};
      if (typeof resource.text === 'string') return `[resource ${field(resource.uri, 2000)}]\n${resource.text}`;
      return `[resource ${field(resource.uri, 2000)}: ${field(resource.mimeType)}, ${base64Bytes(resource.blob)} bytes; binary, not shown]`;
    }
    default:
      return `[${field(part.type, 40)} content; not shown]`;
  }
}

/**
 * The text of an MCP `tools/call` result, capped like other tools' output: at most `maxBytes`,
 * keeping the start and the end around a truncation marker. Content parts are joined by newlines;
 * with no content, the structured content as JSON.
 */
export function mcpResultText(result: unknown, maxBytes: number): string {
  const capture = createOutputCapture(maxBytes);
  const record = isPlainObject(result) ? result : {};
  const content = Array.isArray(record.content) ? record.content : [];
  if (content.length > 0) {
    content.forEach((part, index) => {
      // Past the cap only the end is kept: the parts in between are counted, not converted.
      capture.push(Buffer.from(`${index > 0 ? '\n' : ''}${partText(part)}`));
    });
  } else if (record.structuredContent !== undefined) {
    capture.push(Buffer.from(JSON.stringify(record.structuredContent, null, 2) ?? ''));
  }
  return capture.text();
}
