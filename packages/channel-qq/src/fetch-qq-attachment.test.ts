import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type QQTestRun, startQQTestRun } from './testing/qq-test-run';

const failureOf = async (download: Promise<AsyncIterable<Uint8Array>>) => {
  try {
    for await (const _chunk of await download);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('QQ fetchAttachment', () => {
  let run: QQTestRun;
  afterEach(async () => run.close());

  it('refuses URLs off the OneBot host and attachmentHosts, and non-http schemes, without fetching', async () => {
    run = await startQQTestRun();
    for (const reference of [
      'http://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'not a url',
      'http://127.0.0.1:1/x',
    ]) {
      const error = await failureOf(run.channel.fetchAttachment({ kind: 'file', reference }, { maxBytes: 100 }));
      expect(ChannelApiError.isInstance(error) && error.status, reference).toBe(400);
    }
  });

  it('counts the bytes it reads: a file larger than announced is cut at maxBytes with 413', async () => {
    run = await startQQTestRun();
    const reference = run.fake.hostFile('big.bin', new Uint8Array(5_000));
    const error = await failureOf(run.channel.fetchAttachment({ kind: 'file', reference, size: 10 }, { maxBytes: 1_000 }));
    expect(ChannelApiError.isInstance(error) && error.status).toBe(413);
  });

  it('a file the host no longer has is a 404', async () => {
    run = await startQQTestRun();
    const error = await failureOf(
      run.channel.fetchAttachment({ kind: 'file', reference: `${run.fake.httpUrl}/files/gone` }, { maxBytes: 1_000 }),
    );
    expect(ChannelApiError.isInstance(error) && error.status).toBe(404);
  });
});
