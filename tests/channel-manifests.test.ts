import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as dingtalk from '@ngb/channel-dingtalk';
import { manifest as dingtalkManifest } from '@ngb/channel-dingtalk/manifest';
import * as discord from '@ngb/channel-discord';
import { manifest as discordManifest } from '@ngb/channel-discord/manifest';
import * as feishu from '@ngb/channel-feishu';
import { manifest as feishuManifest } from '@ngb/channel-feishu/manifest';
import * as qq from '@ngb/channel-qq';
import { manifest as qqManifest } from '@ngb/channel-qq/manifest';
import * as slack from '@ngb/channel-slack';
import { manifest as slackManifest } from '@ngb/channel-slack/manifest';
import * as telegram from '@ngb/channel-telegram';
import { manifest as telegramManifest } from '@ngb/channel-telegram/manifest';
import * as web from '@ngb/channel-web';
import { manifest as webManifest } from '@ngb/channel-web/manifest';
import * as wecom from '@ngb/channel-wecom';
import { manifest as wecomManifest } from '@ngb/channel-wecom/manifest';
import * as whatsapp from '@ngb/channel-whatsapp';
import { manifest as whatsappManifest } from '@ngb/channel-whatsapp/manifest';
import { type ChannelManifest, NotSupportedError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Expected {
  index: { manifest: ChannelManifest };
  light: ChannelManifest;
  title: string;
  secrets: Array<[option: string, env: string]>;
  /** Secrets apps generate when their variable is unset. */
  generatedSecrets?: string[];
  /** Secrets the options schema accepts being left out (needed only in some modes). */
  schemaLetsOut?: string[];
  needsPublicUrl: boolean;
  remote: boolean;
  /** The adapter is built: `create` gives it, rather than a NotSupportedError. */
  built?: boolean;
  /** Secrets the schema lets out (the channel names them when its configuration needs them). */
  optional?: string[];
  /** Options besides the secrets a working configuration needs (ids that are not secret). */
  options?: Record<string, unknown>;
  /** Values for secrets with a format of their own (the default value fits any length rule). */
  secretValues?: Record<string, string>;
}

/** What the tests pass for every secret: long enough for any length rule. */
const secretValue = 'a-secret-value-long-enough-for-any-length-rule';

// The secrets and their variables are the ones `ngb` has always read; changing one breaks users' setups.
const table: Record<string, Expected> = {
  telegram: {
    index: telegram,
    light: telegramManifest,
    title: 'Telegram',
    secrets: [
      ['botToken', 'TELEGRAM_BOT_TOKEN'],
      ['webhookSecret', 'TELEGRAM_WEBHOOK_SECRET'],
    ],
    generatedSecrets: ['webhookSecret'],
    schemaLetsOut: ['webhookSecret'],
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  slack: {
    index: slack,
    light: slackManifest,
    title: 'Slack',
    secrets: [
      ['botToken', 'SLACK_BOT_TOKEN'],
      ['appToken', 'SLACK_APP_TOKEN'],
      ['signingSecret', 'SLACK_SIGNING_SECRET'],
    ],
    optional: ['appToken', 'signingSecret'],
    schemaLetsOut: ['appToken', 'signingSecret'],
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  discord: {
    index: discord,
    light: discordManifest,
    title: 'Discord',
    secrets: [['botToken', 'DISCORD_BOT_TOKEN']],
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  whatsapp: {
    index: whatsapp,
    light: whatsappManifest,
    title: 'WhatsApp',
    secrets: [
      ['phoneNumberId', 'WHATSAPP_PHONE_NUMBER_ID'],
      ['accessToken', 'WHATSAPP_ACCESS_TOKEN'],
      ['appSecret', 'WHATSAPP_APP_SECRET'],
      ['verifyToken', 'WHATSAPP_VERIFY_TOKEN'],
    ],
    optional: ['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'],
    needsPublicUrl: true,
    remote: true,
    built: true,
  },
  qq: {
    index: qq,
    light: qqManifest,
    title: 'QQ (OneBot v11)',
    secrets: [['accessToken', 'QQ_ONEBOT_ACCESS_TOKEN']],
    optional: ['accessToken'],
    // Optional on loopback (the default url); the schema names it for any other host.
    schemaLetsOut: ['accessToken'],
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  feishu: {
    index: feishu,
    light: feishuManifest,
    title: 'Feishu / Lark',
    secrets: [
      ['appSecret', 'FEISHU_APP_SECRET'],
      ['verificationToken', 'FEISHU_VERIFICATION_TOKEN'],
      ['encryptKey', 'FEISHU_ENCRYPT_KEY'],
    ],
    optional: ['verificationToken', 'encryptKey'],
    schemaLetsOut: ['verificationToken', 'encryptKey'],
    options: { appId: 'cli_a1b2c3', mode: 'webhook' },
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  wecom: {
    index: wecom,
    light: wecomManifest,
    title: 'WeCom',
    secrets: [
      ['secret', 'WECOM_SECRET'],
      ['token', 'WECOM_TOKEN'],
      ['encodingAesKey', 'WECOM_ENCODING_AES_KEY'],
      ['webhookKey', 'WECOM_ROBOT_KEY'],
    ],
    optional: ['secret', 'token', 'encodingAesKey', 'webhookKey'],
    // Each mode needs its own: the factory names the one missing for the chosen mode.
    schemaLetsOut: ['secret', 'token', 'encodingAesKey', 'webhookKey'],
    options: { corpId: 'ww0123456789abcdef', agentId: 1000002 },
    secretValues: { encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' },
    needsPublicUrl: true,
    remote: true,
    built: true,
  },
  dingtalk: {
    index: dingtalk,
    light: dingtalkManifest,
    title: 'DingTalk',
    secrets: [['clientSecret', 'DINGTALK_CLIENT_SECRET']],
    options: { clientId: 'ding0123456789' },
    needsPublicUrl: false,
    remote: true,
    built: true,
  },
  web: {
    index: web,
    light: webManifest,
    title: 'Web chat',
    secrets: [['secret', 'NGB_WEB_CHAT_SECRET']],
    generatedSecrets: ['secret'],
    needsPublicUrl: false,
    remote: false,
    built: true,
  },
};

/** A working configuration: every secret, and the other options the channel needs. */
function completeOptions(expected: Expected): Record<string, unknown> {
  const secrets = expected.secrets.map(([option]) => [option, expected.secretValues?.[option] ?? secretValue]);
  return { ...expected.options, ...Object.fromEntries(secrets) };
}

/** Validates with the schema's Standard Schema interface (valibot implements it); synchronous for these schemas. */
function validate(manifest: ChannelManifest, value: unknown) {
  const result = manifest.optionsSchema['~standard'].validate(value);
  if (result instanceof Promise) throw new TypeError('options schemas validate synchronously');
  return result;
}

const staticImport = /^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm;

/** Every module a file loads before running (dynamic imports excluded), following relative imports. */
function staticImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(staticImport)].flatMap((match) => {
    const specifier = match[1] ?? '';
    if (!specifier.startsWith('.')) return [specifier];
    return staticImports(`${resolve(dirname(file), specifier)}.ts`, seen);
  });
}

describe.each(Object.entries(table))('the %s channel manifest', (name, expected) => {
  const manifest = expected.light;
  const packageDirectory = join(root, 'packages', `channel-${name}`);

  it('is the same object from the package and from its ./manifest entry, and describes the channel', () => {
    expect(expected.index.manifest).toBe(manifest);
    expect(manifest).toMatchObject({
      specificationVersion: 1,
      name,
      title: expected.title,
      needsPublicUrl: expected.needsPublicUrl,
      remote: expected.remote,
    });
    expect(manifest.secrets.map((secret) => [secret.option, secret.env])).toEqual(expected.secrets);
    for (const secret of manifest.secrets) expect(secret.description).not.toBe('');
    expect(manifest.secrets.filter((secret) => secret.optional).map((secret) => secret.option)).toEqual(expected.optional ?? []);
    expect(manifest.secrets.filter((secret) => secret.generate).map((secret) => secret.option)).toEqual(
      expected.generatedSecrets ?? [],
    );
  });

  it('refuses options without a secret, naming the option, and accepts them with it', () => {
    const complete = completeOptions(expected);
    expect(validate(manifest, complete).issues).toBeUndefined();
    for (const [option] of expected.secrets) {
      const { [option]: _left, ...without } = complete;
      const issues = validate(manifest, without).issues ?? [];
      const named = issues.map((issue) =>
        issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.'),
      );
      if (expected.schemaLetsOut?.includes(option)) expect(named).not.toContain(option);
      else expect(named).toContain(option);
    }
  });

  it(`loads the adapter only in create${expected.built ? '' : ', which says plainly that it is not built yet'}`, async () => {
    const parsed = validate(manifest, completeOptions(expected));
    const created = await manifest.create(('value' in parsed ? parsed.value : undefined) as never).then(
      (adapter) => adapter,
      (thrown: unknown) => thrown,
    );
    if (expected.built) {
      expect((created as { name?: string }).name).toBe(name);
    } else {
      expect(NotSupportedError.isInstance(created)).toBe(true);
      expect((created as Error).message).toContain(`[@ngb/channel-${name}]`);
    }
    expect(readFileSync(join(packageDirectory, 'src', `${name}-options.ts`), 'utf8')).toContain(
      `await import('./${name}-channel')`,
    );
  });

  it('has a light ./manifest entry: exported, built, and loading only valibot and the plugin SDK', () => {
    const packageJson = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    expect(packageJson.exports['./manifest']).toEqual({ types: './dist/manifest.d.ts', import: './dist/manifest.js' });
    expect(readFileSync(join(packageDirectory, 'tsup.config.ts'), 'utf8')).toContain("manifest: 'src/manifest.ts'");
    const loaded = new Set(staticImports(join(packageDirectory, 'src', 'manifest.ts')));
    expect([...loaded].sort()).toEqual(['@ngb/plugin-sdk', 'valibot']);
  });
});
