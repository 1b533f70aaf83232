import { describe, expect, it } from 'vitest';
import { mapQQError } from './map-qq-error';

const failed = (retcode: number, wording = '', message = '') => ({ status: 'failed', retcode, data: null, message, wording });

describe('mapQQError', () => {
  it.each([
    [1400, 400, false],
    [1401, 401, false],
    [1403, 403, false],
    [1404, 404, false],
    [1200, 502, true],
    [100, 502, true],
  ])('retcode %i → status %i, retryable %s', (retcode, status, retryable) => {
    const error = mapQQError(failed(retcode, 'why'), 'send_group_msg');
    expect({ status: error.status, retryable: error.retryable, channel: error.channel }).toEqual({
      status,
      retryable,
      channel: 'qq',
    });
    expect(error.message).toMatch(new RegExp(`^\\[@ngb/channel-qq\\] send_group_msg failed: why \\(retcode ${retcode}\\)`));
  });

  it('says what to fix for credentials and permissions', () => {
    expect(mapQQError(failed(1401), 'x').message).toContain('QQ_ONEBOT_ACCESS_TOKEN');
    expect(mapQQError(failed(1403), 'x').message).toContain('muted, not a member, not an admin');
  });

  it('prefers the wording, then message, then go-cqhttp msg', () => {
    expect(mapQQError(failed(1200, '发送失败', 'send failed'), 'a').message).toContain('发送失败');
    expect(mapQQError(failed(1200, '', 'send failed'), 'a').message).toContain('send failed');
    expect(mapQQError({ status: 'failed', retcode: 1200, msg: 'SEND_MSG_API_ERROR' }, 'a').message).toContain(
      'SEND_MSG_API_ERROR',
    );
  });

  it('a rate limit is retryable after a pause', () => {
    const error = mapQQError(failed(1200, '发送频率过快'), 'send_private_msg');
    expect({ status: error.status, retryable: error.retryable, retryAfterMs: error.retryAfterMs }).toEqual({
      status: 429,
      retryable: true,
      retryAfterMs: 5_000,
    });
  });

  it('network and socket errors are retryable', () => {
    const error = mapQQError(new Error('socket hang up'), 'connect');
    expect({ retryable: error.retryable, message: error.message }).toEqual({
      retryable: true,
      message: '[@ngb/channel-qq] connect: socket hang up',
    });
  });
});
