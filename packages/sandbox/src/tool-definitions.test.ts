import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { sandboxToolDefinitions } from './tool-definitions';
import { sandboxToolInputSchemas, sandboxToolNames } from './tool-schemas';

describe('sandboxToolDefinitions', () => {
  it('describes every tool with a JSON Schema derived from the schema the sandbox validates with', () => {
    expect(sandboxToolDefinitions.map((tool) => tool.name)).toEqual([...sandboxToolNames]);
    for (const tool of sandboxToolDefinitions) {
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.inputSchema).not.toHaveProperty('$schema');
    }
    const edit = sandboxToolDefinitions.find((tool) => tool.name === 'edit_file');
    expect(edit?.inputSchema).toMatchObject({
      required: ['path', 'oldText', 'newText'],
      additionalProperties: false,
      properties: { oldText: { type: 'string', minLength: 1, description: expect.stringMatching(/exactly once/) } },
    });
  });

  it('accepts the inputs its JSON Schema promises and refuses the rest', () => {
    expect(v.is(sandboxToolInputSchemas.read_file, { path: 'a.txt', offset: 2, limit: 10 })).toBe(true);
    expect(v.is(sandboxToolInputSchemas.read_file, { path: 'a.txt', offset: 1.5 })).toBe(false);
    expect(v.is(sandboxToolInputSchemas.grep, { pattern: 'x', maxResults: 5001 })).toBe(false);
  });
});
