import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { listedToolSchema, mcpToolLimits } from '../tool-list';
import { describeMcpTool } from './mcp-tool-definition';

describe('describeMcpTool', () => {
  it('names the server in front of the description and keeps a sane schema as it is', () => {
    const inputSchema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
    const tool = describeMcpTool('tiny', 'mcp__tiny__add', { name: 'add', description: 'Adds.', inputSchema });
    expect(tool).toEqual({ name: 'mcp__tiny__add', description: '(MCP server "tiny") Adds.', inputSchema });
    expect(v.is(listedToolSchema, tool)).toBe(true);
  });

  it('cuts a 1 MB description to the cap, saying how long it was', () => {
    const tool = describeMcpTool('big', 'mcp__big__x', { name: 'x', description: 'A'.repeat(1024 * 1024), inputSchema: {} });
    expect(tool.description.length).toBeLessThanOrEqual(mcpToolLimits.descriptionChars);
    expect(tool.description).toMatch(/\[description cut: 1048576 characters in total\]$/);
    expect(v.is(listedToolSchema, tool)).toBe(true);
  });

  it('replaces a schema that is too large, or not an object schema, with a bare object and says so', () => {
    const properties = Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`p${index}`, { type: 'string' }]));
    for (const inputSchema of [{ type: 'object', properties }, 'nope', [1, 2], null, undefined]) {
      const tool = describeMcpTool('s', 'mcp__s__t', { name: 't', description: 'D', inputSchema });
      expect(tool.inputSchema).toEqual({ type: 'object' });
      expect(tool.description).toMatch(/input schema was left out/);
      expect(v.is(listedToolSchema, tool)).toBe(true);
    }
  });

  it('drops a `required` that is not a list of names, and makes the schema an object schema', () => {
    const tool = describeMcpTool('s', 'mcp__s__t', {
      name: 't',
      inputSchema: { type: 'string', required: 'a', description: 'kept' },
    });
    expect(tool.inputSchema).toEqual({ type: 'object', description: 'kept' });
  });

  it('leaves out a schema whose properties are not schemas, which providers would refuse', () => {
    for (const properties of [['x'], { a: 5 }, { a: 'string' }, 'x']) {
      const tool = describeMcpTool('s', 'mcp__s__t', { name: 't', inputSchema: { type: 'object', properties } });
      expect(tool.inputSchema).toEqual({ type: 'object' });
      expect(tool.description).toMatch(/input schema was left out/);
    }
    const fine = { type: 'object', properties: { a: { type: 'string' }, b: true } };
    expect(describeMcpTool('s', 'mcp__s__t', { name: 't', inputSchema: fine }).inputSchema).toEqual(fine);
  });

  it('measures the schema as it is offered, so that what leaves the sandbox is within the host’s cap', () => {
    const padding = 'x'.repeat(mcpToolLimits.inputSchemaBytes - 20);
    const tool = describeMcpTool('s', 'mcp__s__t', { name: 't', inputSchema: { description: padding } });
    expect(v.is(listedToolSchema, tool)).toBe(true);
  });

  it('uses the title when there is no description, and blanks control characters', () => {
    const inputSchema = { type: 'object' };
    expect(describeMcpTool('s', 'n', { name: 't', title: 'Title\u001b[31m', inputSchema }).description).toBe(
      '(MCP server "s") Title [31m',
    );
    expect(describeMcpTool('s', 'n', { name: 't', description: 42, inputSchema }).description).toBe('(MCP server "s") ');
  });
});
