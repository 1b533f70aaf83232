import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  closeDescriptors,
  descriptorPath,
  isRefusal,
  kindOf,
  lstatOrError,
  type OpenedFolder,
  openAgentFolder,
  openChildFolder,
  type PathRefusal,
} from './agent-folder-descriptors';
import { readAgentFile } from './read-agent-file';
import { formatBytes } from './save-inbox-file';
import { parseSkillFrontMatter, type SkillFrontMatter, skillNameProblem } from './skill-front-matter';

/** The largest file other than SKILL.md a skill folder may hold: 10 MiB. */
export const maxSkillFileBytes = 10 * 1024 * 1024;
/** The most files and folders a skill folder may hold. */
const maxSkillEntries = 1000;

/** What a skill folder holds, as checked before it is copied. */
export interface SkillSourceCheck {
  skill: SkillFrontMatter;
  /** Files and folders under it, not counting itself. */
  entries: number;
  /** Bytes of all its files. */
  bytes: number;
}

/** The limits of a skill folder. */
export interface SkillSourceLimits {
  /** The largest SKILL.md (the gateway skips a larger one). */
  maxBytes: number;
  /** @default 10 MiB */
  maxFileBytes?: number;
  /** @default 1000 */
  maxEntries?: number;
}

/** Names `entry` of `folder` as a path under the skill folder. */
const shownPath = (folder: OpenedFolder, name: string) => (folder.shown === '' ? name : `${folder.shown}/${name}`);

/**
 * Visits every entry under an opened folder, depth first and by name, walking by descriptor; stops
 * at the first refusal. A link, a FIFO, a device or a socket is refused, never followed or opened.
 */
export function visitSkillFolder(
  folder: OpenedFolder,
  visit: (
    parent: OpenedFolder,
    name: string,
    kind: 'folder' | 'file',
    open: () => OpenedFolder | PathRefusal,
  ) => PathRefusal | undefined,
): PathRefusal | undefined {
  const entries = readdirSync(descriptorPath(folder.descriptor), { withFileTypes: true }).sort((left, right) =>
    left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
  );
  for (const entry of entries) {
    const shown = shownPath(folder, entry.name);
    if (entry.isSymbolicLink())
      return { refused: `${shown} is a symbolic link: a skill folder may hold no links (copy what it points to instead)` };
    if (!entry.isDirectory() && !entry.isFile()) {
      const stats = lstatOrError(join(descriptorPath(folder.descriptor), entry.name));
      return { refused: `${shown} is ${stats instanceof Error ? 'not a regular file' : kindOf(stats)}` };
    }
    const descriptors: number[] = [];
    try {
      const refusal = visit(folder, entry.name, entry.isDirectory() ? 'folder' : 'file', () =>
        openChildFolder(folder, entry.name, descriptors),
      );
      if (refusal) return refusal;
    } finally {
      closeDescriptors(descriptors);
    }
  }
  return undefined;
}

/**
 * Opens a folder outside the agents folder (a skill to copy) without following a link to it.
 * @param descriptors receives the descriptor, for the caller to close
 */
export function openSourceFolder(path: string, descriptors: number[]): OpenedFolder | PathRefusal {
  const absolute = resolve(path);
  const stats = lstatOrError(absolute);
  if (stats instanceof Error)
    return { refused: stats.code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${stats.code})` };
  if (stats.isSymbolicLink()) return { refused: `${path} is a symbolic link: name the folder itself` };
  if (!stats.isDirectory()) return { refused: `${path} is ${kindOf(stats)}, not a skill folder` };
  const opened = openAgentFolder(dirname(absolute), basename(absolute), descriptors);
  return isRefusal(opened) ? { refused: `${path}: ${opened.refused}` } : opened;
}

/**
 * Checks a skill folder before it is copied anywhere: its name can name a skill, it holds a
 * SKILL.md whose front matter is valid and names the folder, no link and nothing but folders and
 * regular files, no file past its size limit, at most `maxEntries` entries.
 * @param source the folder, such as `./pdf-forms`
 * @returns what it holds, or why it cannot be a skill
 */
export async function checkSkillSource(source: string, limits: SkillSourceLimits): Promise<SkillSourceCheck | PathRefusal> {
  const maxFileBytes = limits.maxFileBytes ?? maxSkillFileBytes;
  const maxEntries = limits.maxEntries ?? maxSkillEntries;
  const name = basename(resolve(source));
  const nameProblem = skillNameProblem(name);
  if (nameProblem) return { refused: `the folder name "${name}" cannot name a skill: ${nameProblem}` };
  const descriptors: number[] = [];
  try {
    const root = openSourceFolder(source, descriptors);
    if (isRefusal(root)) return root;
    const totals = { entries: 0, bytes: 0 };
    const walk = (folder: OpenedFolder): PathRefusal | undefined =>
      visitSkillFolder(folder, (parent, entryName, kind, open) => {
        totals.entries += 1;
        if (totals.entries > maxEntries) return { refused: `${source} holds more than ${maxEntries} files and folders` };
        if (kind === 'folder') {
          const child = open();
          return isRefusal(child) ? child : walk(child);
        }
        const stats = lstatOrError(join(descriptorPath(parent.descriptor), entryName));
        if (stats instanceof Error) return { refused: `${shownPath(parent, entryName)} cannot be read (${stats.code})` };
        const cap = parent.shown === '' && entryName === 'SKILL.md' ? limits.maxBytes : maxFileBytes;
        if (stats.size > cap)
          return {
            refused: `${shownPath(parent, entryName)} is larger than the ${formatBytes(cap)} limit (${formatBytes(stats.size)})`,
          };
        totals.bytes += stats.size;
        return undefined;
      });
    const refusal = walk(root);
    if (refusal) return refusal;
    const found = await readAgentFile(descriptorPath(root.descriptor), 'SKILL.md', { maxBytes: limits.maxBytes });
    if (found.status === 'missing') return { refused: `${source} has no SKILL.md` };
    if (found.status === 'refused') return { refused: found.detail };
    if (found.truncated) return { refused: `SKILL.md is larger than the ${formatBytes(limits.maxBytes)} limit` };
    if (found.invalidUtf8) return { refused: 'SKILL.md is not valid UTF-8' };
    const parsed = await parseSkillFrontMatter(found.text, name);
    if (parsed.status === 'invalid') return { refused: `SKILL.md: ${parsed.reason}` };
    return { skill: parsed.skill, ...totals };
  } finally {
    closeDescriptors(descriptors);
  }
}
