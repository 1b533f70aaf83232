import { createDingTalkChannel } from '@ngb/channel-dingtalk';
import { createFeishuChannel } from '@ngb/channel-feishu';
import { createQQChannel } from '@ngb/channel-qq';
import { createWeComChannel } from '@ngb/channel-wecom';
import { NotSupportedError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';

// Packages whose work belongs to later issues must say so plainly instead of pretending to work.
describe('factories not built yet throw NotSupportedError naming their package', () => {
  it.each([
    ['@ngb/channel-qq', () => createQQChannel({ url: 'ws://127.0.0.1:1' })],
    ['@ngb/channel-feishu', () => createFeishuChannel({ appSecret: 's' })],
    ['@ngb/channel-wecom', () => createWeComChannel({ secret: 's' })],
    ['@ngb/channel-dingtalk', () => createDingTalkChannel({ clientSecret: 's' })],
  ])('%s', (name, create) => {
    const error = (() => {
      try {
        create();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`[${name}]`);
  });
});
