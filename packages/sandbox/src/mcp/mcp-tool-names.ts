import { createHash } from 'node:crypto';

/** A tool as its MCP server names it. */
export interface McpToolReference {
  server: string;
  tool: string;
}

const maxNameLength = 64;

function shortHash(reference: McpToolReference, attempt: number): string {
  const hash = createHash('sha256').update(`${reference.server}\u0000${reference.tool}`).digest('hex').slice(0, 8);
  return attempt === 0 ? hash : `${hash}${attempt + 1}`;
}

/**
 * The names the model calls MCP tools by: `mcp__<server>__<tool>`, every character outside
 * `[a-zA-Z0-9_-]` replaced by `_`. A name longer than 64 characters is cut and ends in `_` and a
 * short hash of the server and tool names; a name already given to an earlier tool gets the same
 * ending, so every name is unique and the same list always maps to the same names.
 * @param references in the order they are offered; an earlier one keeps the plain name
 * @returns one name per reference, in the same order
 */
export function mapMcpToolNames(references: readonly McpToolReference[]): string[] {
  const given = new Set<string>();
  return references.map((reference) => {
    const plain = `mcp__${reference.server}__${reference.tool}`.replace(/[^a-zA-Z0-9_-]/g, '_');
    let name = plain;
    for (let attempt = 0; name.length > maxNameLength || given.has(name); attempt += 1) {
      const suffix = `_${shortHash(reference, attempt)}`;
      name = `${plain.slice(0, maxNameLength - suffix.length)}${suffix}`;
    }
    given.add(name);
    return name;
  });
}
