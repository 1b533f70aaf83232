/**
 * Folders of the operating system on a Linux host (POSIX paths). No agent folder, agents folder or
 * mount may be one of them or inside one; the CLI and the runtime check against this one list.
 */
export const systemFolders: readonly string[] = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/run',
];
