import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** One line of `/proc/self/mountinfo`. */
export interface MountEntry {
  /** Unique id of this mount; a new mount at the same place gets a new one. */
  id: number;
  mountPoint: string;
  fsType: string;
  /** The device or source, such as `/dev/loop3`. */
  source: string;
}

// mountinfo escapes space, tab, newline and backslash as octal.
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Parses `/proc/self/mountinfo` text. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6) continue;
    entries.push({
      id: Number(fields[0]),
      mountPoint: unescapeMountField(fields[4] ?? ''),
      fsType: fields[separator + 1] ?? '',
      source: unescapeMountField(fields[separator + 2] ?? ''),
    });
  }
  return entries;
}

/** The mount on top at exactly `mountPoint` (the one its path shows), or undefined when it is no mount point. */
export async function topMountAt(mountPoint: string): Promise<MountEntry | undefined> {
  const entries = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
  return entries.filter((entry) => entry.mountPoint === mountPoint).at(-1);
}

/** The file behind a loop device such as `/dev/loop3`, or undefined when it is none. */
export async function loopBackingFile(device: string): Promise<string | undefined> {
  const name = path.basename(device);
  if (!/^loop\d+$/.test(name)) return undefined;
  const text = await readFile(`/sys/block/${name}/loop/backing_file`, 'utf8').catch(() => undefined);
  return text?.trim();
}
