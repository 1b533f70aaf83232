import { describe, expect, it } from 'vitest';
import { createDiscordChannelCache } from './discord-channel-cache';

const guild = {
  id: '3003',
  channels: [
    { id: '2002', type: 0, name: 'general' },
    { id: '2003', type: 0, name: 'random' },
  ],
  threads: [{ id: '4004', type: 11, name: 'plans', parent_id: '2002', thread_metadata: { archived: false } }],
};

describe('the channel cache fed from gateway dispatches', () => {
  it("knows a guild's channels and active threads from GUILD_CREATE, a thread with its parent's name", () => {
    const cache = createDiscordChannelCache();
    cache.apply('GUILD_CREATE', guild);
    expect(cache.info('2002')).toEqual({ name: 'general' });
    expect(cache.info('4004')).toEqual({ parentId: '2002', parentName: 'general' });
    expect(cache.info('9999')).toBeUndefined();
  });

  it('follows creations, renames and deletions of channels and threads', () => {
    const cache = createDiscordChannelCache();
    cache.apply('GUILD_CREATE', guild);
    cache.apply('CHANNEL_UPDATE', { id: '2002', type: 0, guild_id: '3003', name: 'lobby' });
    expect(cache.info('4004')).toEqual({ parentId: '2002', parentName: 'lobby' });
    cache.apply('THREAD_CREATE', { id: '4005', type: 11, guild_id: '3003', parent_id: '2003', name: 'new' });
    expect(cache.info('4005')).toEqual({ parentId: '2003', parentName: 'random' });
    cache.apply('CHANNEL_DELETE', { id: '2003', guild_id: '3003' });
    expect(cache.has('2003')).toBe(false);
    cache.apply('THREAD_DELETE', { id: '4005', guild_id: '3003', parent_id: '2003', type: 11 });
    expect(cache.has('4005')).toBe(false);
  });

  it('forgets an archived thread until it is active again, and every channel of a guild that is gone', () => {
    const cache = createDiscordChannelCache();
    cache.apply('GUILD_CREATE', guild);
    cache.apply('THREAD_UPDATE', { ...guild.threads[0], guild_id: '3003', thread_metadata: { archived: true } });
    expect(cache.has('4004')).toBe(false);
    cache.apply('THREAD_LIST_SYNC', { guild_id: '3003', threads: [guild.threads[0]] });
    expect(cache.has('4004')).toBe(true);
    cache.apply('GUILD_DELETE', { id: '3003', unavailable: true });
    expect(['2002', '2003', '4004'].map((id) => cache.has(id))).toEqual([false, false, false]);
  });

  it('keeps no DM channel, and ignores what is not a channel', () => {
    const cache = createDiscordChannelCache();
    cache.put({ id: '5005', type: 1, recipients: [{ id: '77' }] });
    cache.apply('CHANNEL_CREATE', null);
    cache.apply('GUILD_CREATE', { id: '3003', channels: [{ name: 'no id' }, 'junk'] });
    cache.apply('MESSAGE_CREATE', { id: '1', channel_id: '2002', guild_id: '3003' });
    expect(['5005', '2002'].map((id) => cache.has(id))).toEqual([false, false]);
  });

  it('keeps a guild channel looked up over REST', () => {
    const cache = createDiscordChannelCache();
    cache.put({ id: '2009', type: 0, guild_id: '3003', name: 'found' });
    expect(cache.info('2009')).toEqual({ name: 'found' });
  });
});
