import { describe, expect, it } from 'vitest';
import { describeEvent } from '../web/src/views/event-text';

describe("the dashboard's line for an event", () => {
  it('says what became of a plugin, with the reason a reload failed', () => {
    expect(describeEvent({ type: 'plugin.status', at: 1, seq: 1, plugin: 'shout', state: 'reloaded', version: '1.2.0' })).toBe(
      'shout reloaded 1.2.0',
    );
    expect(
      describeEvent({
        type: 'plugin.status',
        at: 2,
        seq: 2,
        plugin: 'shout',
        state: 'failed',
        error: 'cannot import the plugin',
      }),
    ).toBe('shout failed · cannot import the plugin');
    expect(
      describeEvent({ type: 'plugin.error', at: 3, seq: 3, plugin: 'shout', hook: 'message:received', error: 'kaput' }),
    ).toBe('shout message:received · kaput');
  });
});
