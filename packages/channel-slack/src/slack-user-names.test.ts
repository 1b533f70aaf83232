import { createManualClock } from '@ngb/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { createSlackUserNames } from './slack-user-names';

function setup(size = 2, ttlMs = 1_000) {
  const clock = createManualClock();
  const lookups: string[] = [];
  let fail = false;
  const names = createSlackUserNames({
    clock,
    size,
    ttlMs,
    async lookup(id) {
      lookups.push(id);
      if (fail) throw new Error('users.info failed');
      return `name of ${id}`;
    },
  });
  const failNext = (value: boolean) => {
    fail = value;
  };
  return { clock, lookups, names, failNext };
}

describe('Slack user names cache', () => {
  it('looks a user up once, and again after the time limit', async () => {
    const { clock, lookups, names } = setup();
    expect(await names.names(['U1', 'U1'])).toEqual(new Map([['U1', 'name of U1']]));
    await names.names(['U1']);
    expect(lookups).toEqual(['U1']);
    await clock.advance(1_000);
    await names.names(['U1']);
    expect(lookups).toEqual(['U1', 'U1']);
  });

  it('keeps at most `size` names, the least recently used leaving first', async () => {
    const { lookups, names } = setup(2);
    await names.names(['U1', 'U2']);
    await names.names(['U1']);
    await names.names(['U3']);
    expect(names.size()).toBe(2);
    await names.names(['U1']);
    await names.names(['U2']);
    expect(lookups).toEqual(['U1', 'U2', 'U3', 'U2']);
  });

  it('does not cache a failed lookup, and the message goes on without the name', async () => {
    const { lookups, names, failNext } = setup();
    failNext(true);
    expect(await names.names(['U1'])).toEqual(new Map());
    failNext(false);
    expect(await names.names(['U1'])).toEqual(new Map([['U1', 'name of U1']]));
    expect(lookups).toEqual(['U1', 'U1']);
  });
});
