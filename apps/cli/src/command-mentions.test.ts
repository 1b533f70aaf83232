import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandDef } from 'citty';
import { describe, expect, it } from 'vitest';
import { commandTable } from './command-table';

const repository = fileURLToPath(new URL('../../..', import.meta.url));

/** Non-test TypeScript sources of every package and app. */
function sources(): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'node_modules' && entry !== '__tests__' && entry !== '__fixtures__' && entry !== 'testing') walk(path);
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repository, group))) {
      const source = join(repository, group, name, 'src');
      if (statSync(source, { throwIfNoEntry: false })?.isDirectory()) walk(source);
    }
  }
  return files;
}

/** Every `ngb <command> [<subcommand>]` written in backticks or quotes, with where it is. */
function mentions(): Array<{ command: string; subcommand?: string; where: string }> {
  const found: Array<{ command: string; subcommand?: string; where: string }> = [];
  const pattern = /[`'"]ngb ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g;
  for (const file of sources()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(pattern)) {
        found.push({ command: match[1] ?? '', subcommand: match[2], where: `${relative(repository, file)}:${index + 1}` });
      }
    });
  }
  return found;
}

describe('commands named in messages', () => {
  it('every `ngb <command>` a message names exists (and its subcommand, for command groups)', async () => {
    const all = mentions();
    expect(all.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const mention of all) {
      const entry = commandTable.find((candidate) => candidate.name === mention.command);
      if (entry === undefined) {
        missing.push(`${mention.where}: ngb ${mention.command}`);
        continue;
      }
      const subCommands = ((await entry.load()) as CommandDef).subCommands as Record<string, unknown> | undefined;
      if (subCommands !== undefined && mention.subcommand !== undefined && !(mention.subcommand in subCommands)) {
        missing.push(`${mention.where}: ngb ${mention.command} ${mention.subcommand}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
