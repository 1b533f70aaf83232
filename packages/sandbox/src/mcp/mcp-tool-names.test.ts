import { describe, expect, it } from 'vitest';
import { providerToolNamePattern } from '../tool-list';
import { mapMcpToolNames } from './mcp-tool-names';

describe('mapMcpToolNames', () => {
  it('keeps names providers accept as mcp__<server>__<tool>', () => {
    expect(
      mapMcpToolNames([
        { server: 'tiny', tool: 'add' },
        { server: 'git-hub', tool: 'list_issues-v2' },
      ]),
    ).toEqual(['mcp__tiny__add', 'mcp__git-hub__list_issues-v2']);
  });

  it('replaces characters providers refuse with _', () => {
    expect(mapMcpToolNames([{ server: 'fs', tool: 'read.file/v1 ü' }])).toEqual(['mcp__fs__read_file_v1__']);
    expect(mapMcpToolNames([{ server: 'fs', tool: '' }])).toEqual(['mcp__fs__']);
  });

  it('shortens a long name to 64 characters ending in a short hash, the same every time', () => {
    const tool = 'a_very_long_tool_name_that_goes_on_and_on_past_what_any_provider_accepts';
    const [name] = mapMcpToolNames([{ server: 'tiny', tool }]);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^mcp__tiny__a_very_long_tool_name_that_goes_on_and_on_pa_[0-9a-f]{8}$/);
    expect(mapMcpToolNames([{ server: 'tiny', tool }])).toEqual([name]);
    const [other] = mapMcpToolNames([{ server: 'tiny', tool: `${tool}_2` }]);
    expect(other).not.toBe(name);
  });

  it('gives names that collide after mapping different endings, the first keeping the plain one', () => {
    const names = mapMcpToolNames([
      { server: 'fs', tool: 'read.file' },
      { server: 'fs', tool: 'read file' },
      { server: 'fs', tool: 'read_file' },
    ]);
    expect(names[0]).toBe('mcp__fs__read_file');
    expect(names[1]).toMatch(/^mcp__fs__read_file_[0-9a-f]{8}$/);
    expect(names[2]).toMatch(/^mcp__fs__read_file_[0-9a-f]{8}$/);
    expect(new Set(names).size).toBe(3);
  });

  it('keeps names unique and valid even for the same tool listed twice and long colliding names', () => {
    const long = 'x'.repeat(100);
    const references = [
      { server: 'a', tool: 'same' },
      { server: 'a', tool: 'same' },
      { server: 'a', tool: 'same' },
      { server: 'a', tool: `${long}!` },
      { server: 'a', tool: `${long}?` },
    ];
    const names = mapMcpToolNames(references);
    expect(new Set(names).size).toBe(references.length);
    for (const name of names) expect(name).toMatch(providerToolNamePattern);
  });
});
