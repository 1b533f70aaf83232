import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ChannelAdapter, type ChannelManifest, ConfigError, NgbError, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import type { NgbConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';
import { loadChannelManifest } from './channel-manifests';
import { readOrCreateSecret } from './generated-secret';

/** The manifests of the channels the config enables, in config order. */
export async function enabledChannels(config: NgbConfig): Promise<ChannelManifest[]> {
  const enabled = Object.entries(config.channels).flatMap(([name, settings]) => (settings.enabled ? [name] : []));
  const manifests = await Promise.all(enabled.map(loadChannelManifest));
  return manifests.filter((manifest) => manifest !== undefined);
}

/**
 * The options a channel is built with: the config's settings (`channels.<name>`, without `enabled`
 * and `streaming`) and each secret from its environment variable (a set variable wins over the
 * config). A secret the manifest lets apps generate comes, when neither gives it, from a file in
 * `secretsDirectory` (created the first time); without that directory it is left out, not missing.
 * @returns the options, and the secrets neither gives as `VARIABLE (what it is)`
 */
export function channelOptions(
  manifest: ChannelManifest,
  config: NgbConfig,
  env: Env,
  secretsDirectory?: string,
): { options: Record<string, unknown>; missing: string[] } {
  const { enabled: _enabled, streaming: _streaming, ...settings } = config.channels[manifest.name] ?? {};
  const options: Record<string, unknown> = { ...settings };
  const missing: string[] = [];
  for (const secret of manifest.secrets) {
    const value = env[secret.env];
    if (value) options[secret.option] = value;
    else if (options[secret.option] !== undefined) continue;
    else if (secret.generate && secretsDirectory !== undefined) {
      options[secret.option] = readOrCreateSecret(join(secretsDirectory, `${manifest.name}.${secret.option}`));
    } else if (!secret.generate && !secret.optional) missing.push(`${secret.env} (${secret.description})`);
  }
  return { options, missing };
}

/**
 * Validates a channel's options with its manifest's schema.
 * @throws ConfigError naming `channels.<name>.<option>` (or the variable, for a secret); the value is never shown
 */
export function parseChannelOptions(manifest: ChannelManifest, options: Record<string, unknown>): Record<string, unknown> {
  const result = v.safeParse(manifest.optionsSchema, options);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const option = v.getDotPath(issue) ?? '';
  const secret = manifest.secrets.find((candidate) => candidate.option === option);
  const where = secret === undefined ? `key "channels.${manifest.name}.${option}"` : `${secret.env} (${secret.description})`;
  throw new ConfigError(`channel "${manifest.name}": ${where} is invalid: ${issue.message}`, {
    key: `channels.${manifest.name}${option === '' ? '' : `.${option}`}`,
  });
}

/**
 * The channel's own state directory `<channelsDirectory>/<name>`, created with mode 0700 when missing.
 * @throws ConfigError when it is a symbolic link or not a directory
 */
function channelStateDirectory(channelsDirectory: string, name: string): string {
  const directory = join(channelsDirectory, name);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stat = lstatSync(directory);
  if (!stat.isDirectory() || stat.isSymbolicLink()) {
    throw new ConfigError(`channel "${name}": its state directory ${directory} is not a plain directory; remove it`, {
      key: `channels.${name}`,
    });
  }
  return directory;
}

/**
 * Builds one enabled channel through its manifest (the platform SDK is loaded only now). With
 * `channelsDirectory`, the channel gets its own state directory under it (see `ChannelCreateContext`).
 * @throws ConfigError when a secret is missing or the options are invalid, NotSupportedError (with
 *   a message that says how to go on without it) when the adapter is not built yet
 */
export async function createChannel(
  manifest: ChannelManifest,
  config: NgbConfig,
  env: Env,
  secretsDirectory?: string,
  channelsDirectory?: string,
): Promise<ChannelAdapter> {
  const { name } = manifest;
  const { options, missing } = channelOptions(manifest, config, env, secretsDirectory);
  if (missing.length > 0) {
    throw new ConfigError(`channel "${name}" is enabled in ngb.config.json but ${missing.join(' and ')} is not set`, {
      key: `channels.${name}`,
    });
  }
  const parsed = parseChannelOptions(manifest, options);
  try {
    const context =
      channelsDirectory === undefined ? undefined : { stateDirectory: channelStateDirectory(channelsDirectory, name) };
    return await manifest.create(parsed, context);
  } catch (error) {
    if (NotSupportedError.isInstance(error)) {
      throw new NotSupportedError(
        `channel "${name}" is enabled in ngb.config.json, but the ${manifest.title} adapter is not built yet; ` +
          `set "channels.${name}.enabled": false to run without it`,
        { cause: error },
      );
    }
    if (NgbError.isInstance(error))
      throw new ConfigError(`channel "${name}": ${error.message}`, { key: `channels.${name}`, cause: error });
    throw error;
  }
}
