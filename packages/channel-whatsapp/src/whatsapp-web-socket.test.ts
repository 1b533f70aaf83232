import { readFileSync } from 'node:fs';
import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { baileysVersion, loadBaileys } from './whatsapp-web-socket';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
};

describe('loading Baileys (the WhatsApp Web mode only)', () => {
  it('is an optional peer dependency of the version the install hint names', () => {
    expect(manifest.dependencies?.baileys).toBeUndefined();
    expect(manifest.peerDependencies?.baileys).toBe(baileysVersion);
    expect(manifest.peerDependenciesMeta?.baileys?.optional).toBe(true);
    expect(manifest.devDependencies?.baileys).toBe(baileysVersion);
  });

  it('loads the installed package', async () => {
    const baileys = await loadBaileys();
    expect(typeof baileys.makeWASocket).toBe('function');
  });

  it('names the install command when the package is not installed', async () => {
    const failure = await loadBaileys('baileys-not-installed').catch((error: unknown) => error);
    expect(ConfigError.isInstance(failure)).toBe(true);
    expect((failure as ConfigError).message).toBe(
      '[@ngb/channel-whatsapp] the WhatsApp Web mode needs the baileys-not-installed package, which is not installed: ' +
        `run \`npm install baileys-not-installed@${baileysVersion}\` where the gateway is installed, or use the Cloud API mode`,
    );
  });

  it('passes on any other failure to load it unchanged', async () => {
    await expect(loadBaileys('data:text/javascript,throw new Error("broken install")')).rejects.toThrow(/^broken install$/);
  });
});
