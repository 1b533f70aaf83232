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
function capText(text: string, maxChars: number, what = 'text'): string {
  if (text.length <= maxChars) return text;
  const note = ` [${what} cut: ${text.length} characters in total]`;
  return `${text.slice(0, Math.max(0, maxChars - note.length))}${note}`;
}

/**
 * The input schema offered to the model: the server's own when it is an object schema whose
 * `properties` (if any) map names to schemas, with `required` (if any) a list of names, and which
 * takes at most `mcpToolLimits.inputSchemaBytes` written as JSON; else undefined.
 */
function usableSchema(schema: unknown): ListedTool['inputSchema'] | undefined {
  if (!isPlainObject(schema)) return undefined;
  let copy: Record<string, unknown>;
  try {
    copy = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { properties, required } = copy;
  if (properties !== undefined) {
    const entries = isPlainObject(properties) ? Object.values(properties) : undefined;
    // A property that is not a schema makes providers refuse the whole request, every turn.
    if (!entries?.every((entry) => isPlainObject(entry) || typeof entry === 'boolean')) return undefined;
  }
  if (required !== undefined && !(Array.isArray(required) && required.every((key) => typeof key === 'string'))) {
    delete copy.required;
  }
  const normalized = { ...copy, type: 'object' };
  if (Buffer.byteLength(JSON.stringify(normalized)) > mcpToolLimits.inputSchemaBytes) return undefined;
  return normalized as ListedTool['inputSchema'];
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
    : ` [Its input schema was left out (not a usable object schema of at most ${mcpToolLimits.inputSchemaBytes} bytes): pass the arguments its description names.]`;
  const prefix = `(MCP server "${server}") `;
  const room = mcpToolLimits.descriptionChars - prefix.length - schemaNote.length;
  const description = `${prefix}${blankControlCharacters(capText(own, room, 'description'))}${schemaNote}`;
  return { name, description, inputSchema: schema ?? { type: 'object' } };
}
