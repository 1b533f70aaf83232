import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchownSync,
  constants as fsConstants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '@ngb/plugin-sdk';
import {
  closeDescriptors,
  descriptorPath,
  isPlainName,
  isRefusal,
  kindOf,
  lstatOrError,
  type OpenedFolder,
  openAgentFolder,
  openChildFolder,
  ownerToGive,
  type PathRefusal,
} from './agent-folder-descriptors';
import { removeFolderTree } from './remove-folder-tree';
import { formatBytes } from './save-inbox-file';
import { checkSkillSource, maxSkillFileBytes, openSourceFolder, type SkillSourceLimits, visitSkillFolder } from './skill-source';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = fsConstants;

/** What {@link installSkill} is asked to do. */
export interface InstallSkillRequest extends SkillSourceLimits {
  agentsDirectory: string;
  /** The agent's folder name, or `global`. */
  folder: string;
  /** The skill folder to copy; its name is the skill's name. */
  source: string;
  /** Replace a skill of the same name (otherwise its presence is answered `exists`). */
  replace: boolean;
}

/** What became of a skill folder copied into an agent folder. */
export type InstallSkillResult =
  | {
      status: 'installed';
      name: string;
      description: string;
      /** Under the agents folder: `main/skills/pdf-forms`. */
      path: string;
      replaced: boolean;
      /** Files and folders copied, and the bytes of the files. */
      entries: number;
      bytes: number;
    }
  | { status: 'exists'; path: string }
  | { status: 'refused'; reason: string };

/** What became of a skill to remove. */
export type RemoveSkillResult =
  | { status: 'removed'; path: string }
  | { status: 'missing'; path: string }
  | { status: 'refused'; reason: string };

const refused = (reason: string) => ({ status: 'refused', reason }) as const;
const unique = (prefix: string, name: string) => `.ngb-${prefix}-${name}-${randomBytes(6).toString('hex')}`;
const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? errorMessage(error);

function copyFile(from: OpenedFolder, to: OpenedFolder, name: string, cap: number, owner?: { uid: number; gid: number }) {
  const shown = from.shown === '' ? name : `${from.shown}/${name}`;
  const source = openSync(join(descriptorPath(from.descriptor), name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const stats = fstatSync(source);
    if (!stats.isFile()) return { refused: `${shown} is ${kindOf(stats)}` };
    const mode = (stats.mode & 0o111) !== 0 ? 0o755 : 0o644;
    const target = openSync(join(descriptorPath(to.descriptor), name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    try {
      const buffer = Buffer.allocUnsafe(64 * 1024);
      let total = 0;
      for (;;) {
        const read = readSync(source, buffer, 0, buffer.length, null);
        if (read === 0) break;
        total += read;
        // Counted while copied: the file may have grown since it was checked.
        if (total > cap) return { refused: `${shown} is larger than the ${formatBytes(cap)} limit` };
        for (let written = 0; written < read; ) written += writeSync(target, buffer, written, read - written);
      }
      if (owner) fchownSync(target, owner.uid, owner.gid);
      return undefined;
    } finally {
      closeSync(target);
    }
  } finally {
    closeSync(source);
  }
}

/**
 * Copies the skill folder into a new folder `staging` of `skills`, by descriptor on both sides.
 * Everything is created by this process first and handed to the agent folder's owner once
 * complete, deepest first, so the agent can change nothing under a folder still being filled.
 */
function copyInto(
  skills: OpenedFolder,
  staging: string,
  request: InstallSkillRequest,
  owner: { uid: number; gid: number } | undefined,
): PathRefusal | undefined {
  const maxFileBytes = request.maxFileBytes ?? maxSkillFileBytes;
  const descriptors: number[] = [];
  try {
    mkdirSync(join(descriptorPath(skills.descriptor), staging), 0o755);
    const target = openChildFolder(skills, staging, descriptors);
    if (isRefusal(target)) return target;
    const source = openSourceFolder(request.source, descriptors);
    if (isRefusal(source)) return source;
    const copyFolder = (from: OpenedFolder, to: OpenedFolder): PathRefusal | undefined =>
      visitSkillFolder(from, (parent, name, kind, open) => {
        if (kind === 'file') {
          const cap = parent.shown === '' && name === 'SKILL.md' ? request.maxBytes : maxFileBytes;
          return copyFile(parent, to, name, cap, owner);
        }
        const child = open();
        if (isRefusal(child)) return child;
        const created: number[] = [];
        try {
          const copy = openChildFolder(to, name, created, {});
          if (isRefusal(copy)) return copy;
          const refusal = copyFolder(child, copy);
          if (!refusal && owner) fchownSync(copy.descriptor, owner.uid, owner.gid);
          return refusal;
        } finally {
          closeDescriptors(created);
        }
      });
    const refusal = copyFolder(source, target);
    if (!refusal && owner) fchownSync(target.descriptor, owner.uid, owner.gid);
    return refusal;
  } catch (error) {
    return { refused: `the copy failed (${codeOf(error)})` };
  } finally {
    closeDescriptors(descriptors);
  }
}

/**
 * Copies a skill folder into `<folder>/skills/<name>` of the agents folder, after checking it (see
 * `checkSkillSource`). The agent folder is treated as hostile: it and its `skills` folder are
 * opened without following links and walked by descriptor; the copy is made in a fresh hidden
 * folder and renamed into place only once complete, so a failed copy leaves nothing and a replaced
 * skill is swapped whole.
 */
export async function installSkill(request: InstallSkillRequest): Promise<InstallSkillResult> {
  const check = await checkSkillSource(request.source, request);
  if (isRefusal(check)) return refused(check.refused);
  const { name, description } = check.skill;
  const { agentsDirectory, folder } = request;
  const path = `${folder}/skills/${name}`;
  const descriptors: number[] = [];
  try {
    if (folder === 'global' && lstatOrError(join(agentsDirectory, folder)) instanceof Error)
      mkdirSync(join(agentsDirectory, folder), 0o755);
    const target = openAgentFolder(agentsDirectory, folder, descriptors);
    if (isRefusal(target)) return refused(`${folder}: ${target.refused}`);
    const owner = ownerToGive(target);
    const skills = openChildFolder(target, 'skills', descriptors, { owner });
    if (isRefusal(skills)) return refused(`${folder}/${skills.refused}`);
    const base = descriptorPath(skills.descriptor);
    const existing = lstatOrError(join(base, name));
    const exists = !(existing instanceof Error && existing.code === 'ENOENT');
    if (exists && !request.replace) return { status: 'exists', path };
    const staging = unique('add', name);
    const copied = copyInto(skills, staging, request, owner);
    if (copied) {
      removeFolderTree(skills, staging);
      return refused(copied.refused);
    }
    const old = exists ? unique('old', name) : undefined;
    try {
      if (old) renameSync(join(base, name), join(base, old));
      renameSync(join(base, staging), join(base, name));
    } catch (error) {
      if (old) renameSync(join(base, old), join(base, name));
      removeFolderTree(skills, staging);
      return refused(`${path} cannot be replaced (${codeOf(error)})`);
    }
    if (old) {
      const left = removeFolderTree(skills, old);
      if (left) return refused(`the new ${path} is in place, but the old one was not removed: ${left.refused}`);
    }
    return { status: 'installed', name, description, path, replaced: exists, entries: check.entries, bytes: check.bytes };
  } catch (error) {
    return refused(`${path} cannot be written (${codeOf(error)})`);
  } finally {
    closeDescriptors(descriptors);
  }
}

/**
 * Removes `<folder>/skills/<name>` and everything under it: renamed out of sight first (the
 * gateway ignores hidden names), then removed by descriptor, never following a link.
 * @param request.folder the agent's folder name, or `global`
 */
export function removeSkill(request: { agentsDirectory: string; folder: string; name: string }): RemoveSkillResult {
  const { agentsDirectory, folder, name } = request;
  if (!isPlainName(name) || name.startsWith('.')) return refused(`"${name}" is not the name of a skill folder`);
  const path = `${folder}/skills/${name}`;
  const descriptors: number[] = [];
  try {
    const target = openAgentFolder(agentsDirectory, folder, descriptors);
    if (isRefusal(target)) return refused(`${folder}: ${target.refused}`);
    const skillsEntry = lstatOrError(join(descriptorPath(target.descriptor), 'skills'));
    if (skillsEntry instanceof Error && skillsEntry.code === 'ENOENT') return { status: 'missing', path };
    const skills = openChildFolder(target, 'skills', descriptors);
    if (isRefusal(skills)) return refused(`${folder}/${skills.refused}`);
    const base = descriptorPath(skills.descriptor);
    const entry = lstatOrError(join(base, name));
    if (entry instanceof Error) return entry.code === 'ENOENT' ? { status: 'missing', path } : refused(`${path}: ${entry.code}`);
    const hidden = unique('rm', name);
    renameSync(join(base, name), join(base, hidden));
    const left = removeFolderTree(skills, hidden);
    return left ? refused(`${path} was only partly removed: ${left.refused}`) : { status: 'removed', path };
  } catch (error) {
    return refused(`${path} cannot be removed (${codeOf(error)})`);
  } finally {
    closeDescriptors(descriptors);
  }
}
