import { type ListedTool, mcpToolLimits } from '../tool-list';

/** A tool as an MCP server listed it: every field is the server's word, and may be anything. */
export interface McpListedTool {
  name: string;
  description?: unknown;
  title?: unknown;
  inputSchema?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Replaces control characters other than tab and newline with spaces: they only hide text from
 * people reading a log or a terminal.
 */
export function blankControlCharacters(text: string): string {
  let blanked = '';
  for (const character of text) {
    const code = character.charCodeAt(0);
    blanked += (code < 32 && code !== 9 && code !== 10) || code === 127 ? ' ' : character;
  }
  return blanked;
}

/** Cuts `text` to `maxChars` characters, ending in a note saying how long it was. */
export function capText(text: string, maxChars: number, what = 'text'): string {
  if (text.length <= maxChars) return text;
  const note = ` [${what} cut: ${text.length} characters in total]`;
  return `${text.slice(0, Math.max(0, maxChars - note.length))}${note}`;
}

/**
 * The input schema offered to the model: the server's own when it is an object schema of at most
 * `mcpToolLimits.inputSchemaBytes` written as JSON, with `properties` an object and `required` a
 * list of names (or left out); else undefined.
 */
function usableSchema(schema: unknown): ListedTool['inputSchema'] | undefined {
  if (!isPlainObject(schema)) return undefined;
  let encoded: string;
  try {
    encoded = JSON.stringify(schema);
  } catch {
    return undefined;
  }
  if (Buffer.byteLength(encoded) > mcpToolLimits.inputSchemaBytes) return undefined;
  const copy = JSON.parse(encoded) as Record<string, unknown>;
  if (copy.properties !== undefined && !isPlainObject(copy.properties)) delete copy.properties;
  const required = copy.required;
  if (required !== undefined && !(Array.isArray(required) && required.every((key) => typeof key === 'string'))) {
    delete copy.required;
  }
  return { ...copy, type: 'object' } as ListedTool['inputSchema'];
}

/**
 * Describes an MCP tool for the model within the caps: its description (or title) cut to
 * `mcpToolLimits.descriptionChars` with the server named in front, and its input schema, replaced
 * by a bare object schema (and a note saying so) when it is too large or not an object schema.
 */
export function describeMcpTool(server: string, name: string, tool: McpListedTool): ListedTool {
  const own = typeof tool.description === 'string' ? tool.description : typeof tool.title === 'string' ? tool.title : '';
  const schema = usableSchema(tool.inputSchema);
  const schemaNote = schema
    ? ''
    : ` [Its input schema was left out (not an object schema of at most ${mcpToolLimits.inputSchemaBytes} bytes): pass the arguments its description names.]`;
  const prefix = `(MCP server "${server}") `;
  const room = mcpToolLimits.descriptionChars - prefix.length - schemaNote.length;
  const description = `${prefix}${blankControlCharacters(capText(own, room, 'description'))}${schemaNote}`;
  return { name, description, inputSchema: schema ?? { type: 'object' } };
}
