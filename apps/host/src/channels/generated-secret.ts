import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';

/** The longest secret file read: a generated one is 43 characters. */
const maxSecretBytes = 1024;

function readSecret(path: string): string {
  const descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || stats.size > maxSecretBytes || stats.size === 0) {
      throw new ConfigError(
        `${path} is not a generated secret (a regular file of at most ${maxSecretBytes} bytes); remove it and start again`,
        {
          key: path,
        },
      );
    }
    const buffer = Buffer.alloc(stats.size);
    readSync(descriptor, buffer, 0, stats.size, 0);
    return buffer.toString('utf8').trim();
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The secret kept at `path`, created (32 random bytes, base64url, mode 0600 in a 0700 folder) the
 * first time. A link or anything but a small regular file there is refused, never followed.
 */
export function readOrCreateSecret(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    return readSecret(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
        throw new ConfigError(`${path} is a symbolic link; a secret file must be a regular file: remove it and start again`, {
          key: path,
        });
      }
      throw error;
    }
  }
  const secret = randomBytes(32).toString('base64url');
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(path);
    throw error;
  }
  try {
    writeSync(descriptor, `${secret}\n`);
  } finally {
    closeSync(descriptor);
  }
  return secret;
}
