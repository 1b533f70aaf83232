import { loadChannelManifests } from '@ngb/host';
import { type ChannelManifest, redactFields } from '@ngb/plugin-sdk';

const redacted = '[redacted]';
/** Shorter values are too likely to occur by chance (`true`, a port) to be scrubbed everywhere. */
const minimumSecretLength = 6;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The values of the environment that are secrets: every variable a channel reads a secret from,
 * the dashboard token, and every variable whose name looks like a secret (`OPENAI_API_KEY`).
 */
export async function secretValuesOf(env: Record<string, string | undefined>): Promise<string[]> {
  const secretNames = new Set([
    'NGB_DASHBOARD_TOKEN',
    ...(await loadChannelManifests()).flatMap((manifest) => manifest.secrets.map((secret) => secret.env)),
  ]);
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < minimumSecretLength) continue;
    if (secretNames.has(name) || redactFields({ [name]: value })[name] === redacted) values.push(value);
  }
  return values;
}

/**
 * The config as the API may show it: each channel's secret options (as its manifest names them),
 * values under secret-looking keys and secret-looking text replaced, and then every known secret
 * value replaced wherever it still occurs.
 */
export function redactConfig(
  config: unknown,
  secretValues: readonly string[],
  channelManifests: readonly ChannelManifest[],
): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(config ?? {}));
  const channels = isRecord(copy) ? copy.channels : undefined;
  if (isRecord(channels)) {
    for (const manifest of channelManifests) {
      const options = channels[manifest.name];
      if (!isRecord(options)) continue;
      for (const secret of manifest.secrets) if (options[secret.option] !== undefined) options[secret.option] = redacted;
    }
  }
  let text = JSON.stringify(redactFields({ config: copy }).config);
  for (const secret of secretValues) {
    if (secret.length < minimumSecretLength) continue;
    text = text.split(JSON.stringify(secret).slice(1, -1)).join(redacted);
  }
  return JSON.parse(text);
}
