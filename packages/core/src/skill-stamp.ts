import { lstatSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What an entry looks like, in one string: any write, rename or replacement changes its change time
 * (`ctime`, which no one can set back) or its inode. `-` when it is missing. It never follows a link
 * in its last component, and is only ever compared: nothing is read through it.
 */
export function entryStamp(path: string): string {
  try {
    const stats = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (!stats) return '-';
    return `${stats.dev}:${stats.ino}:${stats.mode}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  } catch (error) {
    return `!${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/**
 * What a skills folder looked like: the folder itself (an entry added, removed or renamed in it
 * changes it) and the SKILL.md of each skill folder read from it. Equal stamps mean the skills need
 * not be read again; the cost is one `lstat` per skill, and one for a missing skills folder.
 * @param folder the agent's folder name, or `global`
 * @param skillFolders the skill folders read last time, by name
 */
export function skillScopeStamp(agentsDirectory: string, folder: string, skillFolders: readonly string[]): string {
  const skills = join(agentsDirectory, folder, 'skills');
  let stamp = entryStamp(skills);
  for (const name of skillFolders) stamp += `|${entryStamp(join(skills, name, 'SKILL.md'))}`;
  return stamp;
}
