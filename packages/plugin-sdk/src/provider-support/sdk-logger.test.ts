import { describe, expect, it } from 'vitest';
import { createRecordingLogger } from '../testing/recording-logger';
import { sdkLogger } from './sdk-logger';

describe('sdkLogger', () => {
  it("sends an SDK's lines to the logger, with what it adds as details and its info as debug", () => {
    const logger = createRecordingLogger();
    const sdk = sdkLogger(logger);
    sdk.info('sending request', { url: '/v1/x' });
    sdk.warn('retrying');
    sdk.error('failed', 'reason', 3);
    expect(logger.lines.map(({ level, message, fields }) => ({ level, message, fields }))).toEqual([
      { level: 'debug', message: 'sending request', fields: { details: [{ url: '/v1/x' }] } },
      { level: 'warn', message: 'retrying', fields: undefined },
      { level: 'error', message: 'failed', fields: { details: ['reason', 3] } },
    ]);
  });
});
