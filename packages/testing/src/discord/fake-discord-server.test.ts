import { Client, DiscordAPIError, Events, GatewayIntentBits, Partials, RateLimitError } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeDiscordServer, type FakeDiscordServer } from './fake-discord-server';

const intents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > 8_000) throw new Error(`${what}: not seen`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fake Discord, driven by discord.js', () => {
  let fake: FakeDiscordServer;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await fake.close();
  });

  const connect = async (token?: string, rest: Record<string, unknown> = {}) => {
    client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl, ...rest } });
    const ready = new Promise((resolve) => client?.once(Events.ClientReady, resolve));
    await client.login(token ?? fake.token);
    await ready;
    return client;
  };

  it('logs in (gateway/bot, HELLO, IDENTIFY, READY, GUILD_CREATE) and delivers guild and direct messages', async () => {
    fake = await createFakeDiscordServer();
    const bot = await connect();
    expect(bot.user?.id).toBe(fake.bot.id);
    expect(bot.channels.cache.get('2002')?.isTextBased()).toBe(true);
    const seen: Array<{ content: string; guild: boolean }> = [];
    bot.on(Events.MessageCreate, (message) => void seen.push({ content: message.content, guild: message.inGuild() }));
    fake.injectMessage({ channelId: '2002', author: { id: '77', username: 'ann' }, content: `hi <@${fake.bot.id}>` });
    fake.injectMessage({ channelId: '1001', author: { id: '78', username: 'bob' }, content: 'in private' });
    await waitFor(() => seen.length === 2, 'both messages');
    expect(seen).toEqual([
      { content: `hi <@${fake.bot.id}>`, guild: true },
      { content: 'in private', guild: false },
    ]);
    await bot.rest.post('/channels/2002/messages', { body: { content: 'hello back' } });
    expect(fake.sent.map((message) => [message.channelId, message.content])).toEqual([['2002', 'hello back']]);
  });

  it('refuses a wrong token with 401, and a gateway close 4004 is unrecoverable for discord.js', async () => {
    fake = await createFakeDiscordServer();
    client = new Client({ intents, rest: { api: fake.apiUrl } });
    // The REST call for the gateway URL already refuses the token.
    await expect(client.login('wrong')).rejects.toThrow(/token/i);
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/v10/gateway/bot', status: 401 });
    await client.destroy();
    const bot = await connect();
    const disconnected = new Promise<{ code: number }>((resolve) => bot.once(Events.ShardDisconnect, resolve));
    fake.closeConnections(4004, 'Authentication failed.');
    expect((await disconnected).code).toBe(4004);
  });

  it('replays the events a client missed after a RESUME, then says RESUMED', async () => {
    fake = await createFakeDiscordServer();
    const bot = await connect();
    const seen: string[] = [];
    bot.on(Events.Raw, (packet: { t?: string; d?: { content?: string } }) => {
      if (packet.t === 'MESSAGE_CREATE') seen.push(String(packet.d?.content));
    });
    const resumed = new Promise((resolve) => bot.once(Events.ShardResume, resolve));
    fake.terminateConnections();
    fake.injectMessage({ channelId: '2002', author: { id: '77', username: 'ann' }, content: 'while away' });
    await resumed;
    await waitFor(() => seen.length === 1, 'the replayed message');
    expect(seen).toEqual(['while away']);
    expect(fake.gateway).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it('answers a RESUME with INVALID_SESSION when told to, and the client identifies again', async () => {
    fake = await createFakeDiscordServer();
    const bot = await connect();
    fake.invalidateNextResume();
    const ready = new Promise((resolve) => bot.once(Events.ShardReady, resolve));
    fake.closeConnections(4000);
    await ready;
    expect(fake.gateway).toMatchObject({ identifies: 2, resumes: 1 });
  });

  it('fails REST calls as told: 429 with retry_after, 403 Missing Permissions', async () => {
    fake = await createFakeDiscordServer();
    const bot = await connect(undefined, { rejectOnRateLimit: () => true, retries: 0, offset: 0 });
    fake.failNext({ status: 429, retryAfterSeconds: 2.5 });
    const limited = await bot.rest.post('/channels/2002/messages', { body: { content: 'x' } }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfter).toBe(2500);
    fake.failNext({ status: 403, code: 50013, message: 'Missing Permissions' });
    const refused = await bot.rest.post('/channels/2002/messages', { body: { content: 'x' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50013);
  });

  it('takes multipart files and serves inbound attachments from its CDN', async () => {
    fake = await createFakeDiscordServer();
    const bot = await connect();
    await bot.rest.post('/channels/2002/messages', {
      body: { content: 'the file', attachments: [{ id: 0, filename: 'a.txt' }] },
      files: [{ name: 'a.txt', data: Buffer.from('abc'), contentType: 'text/plain' }],
    });
    expect(fake.sent[0]?.files).toMatchObject([{ filename: 'a.txt', size: 3 }]);
    const message = fake.injectMessage({
      channelId: '2002',
      author: { id: '77', username: 'ann' },
      content: '',
      attachments: [{ filename: 'b.csv', contentType: 'text/csv', data: new TextEncoder().encode('1,2') }],
    });
    const [attachment] = message.attachments as Array<{ url: string; size: number }>;
    const response = await fetch(attachment?.url ?? '');
    expect(await response.text()).toBe('1,2');
    expect(attachment?.size).toBe(3);
  });
});

describe('fake Discord buttons, driven by discord.js', () => {
  let fake: FakeDiscordServer;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await fake.close();
  });

  it('records action rows; a press arrives as a ButtonInteraction whose callback the fake takes once', async () => {
    fake = await createFakeDiscordServer();
    client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl } });
    const ready = new Promise((resolve) => client?.once(Events.ClientReady, resolve));
    await client.login(fake.token);
    await ready;
    const posted = (await client.rest.post('/channels/2002/messages', {
      body: {
        content: 'Which?',
        components: [{ type: 1, components: [{ type: 2, style: 2, custom_id: 'c1', label: 'One' }] }],
      },
    })) as { id: string };
    expect(fake.sent[0]?.buttons).toEqual([{ customId: 'c1', label: 'One', style: 2, disabled: false }]);
    const pressed = new Promise<{ customId: string; userId: string; messageId: string; replied: Promise<unknown> }>((resolve) =>
      client?.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isButton()) return;
        resolve({
          customId: interaction.customId,
          userId: interaction.user.id,
          messageId: interaction.message.id,
          replied: interaction.update({ content: 'Chosen', components: [] }),
        });
      }),
    );
    const { id } = fake.pressButton({ messageId: posted.id, customId: 'c1', user: { id: '77', username: 'ann' } });
    const interaction = await pressed;
    await interaction.replied;
    expect(interaction).toMatchObject({ customId: 'c1', userId: '77', messageId: posted.id });
    expect(fake.interactions.find((candidate) => candidate.id === id)?.callbacks).toEqual([
      { type: 7, data: expect.objectContaining({ content: 'Chosen', components: [] }) },
    ]);
    // A second answer to the same interaction is refused, as Discord does (40060).
    await expect(
      client.rest.post(`/interactions/${id}/${fake.interactions[0]?.token}/callback`, { body: { type: 6 }, auth: false }),
    ).rejects.toMatchObject({ code: 40060 });
    expect(() => fake.pressButton({ messageId: posted.id, customId: 'c1', user: { id: '77', username: 'ann' } })).toThrow(
      /no button/,
    );
  });
});
