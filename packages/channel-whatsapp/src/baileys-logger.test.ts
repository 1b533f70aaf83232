import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { baileysLogger } from './baileys-logger';

describe('the logger handed to Baileys', () => {
  it('forwards warnings and errors (pino call shapes) to the channel logger and drops the rest', () => {
    const logger = createRecordingLogger();
    const forBaileys = baileysLogger(() => logger).child({ class: 'socket' });
    forBaileys.debug({ frame: 'x' }, 'recv frame');
    forBaileys.info('connected to WA');
    forBaileys.warn({ err: new Error('stale pre-key') }, 'failed to decrypt message');
    forBaileys.error('stream errored out');
    forBaileys.fatal({ error: 'boom' }, 'unexpected');
    expect(logger.lines.map(({ level, message, fields }) => ({ level, message, fields }))).toEqual([
      { level: 'warn', message: 'whatsapp web: failed to decrypt message', fields: { error: 'stale pre-key' } },
      { level: 'error', message: 'whatsapp web: stream errored out', fields: {} },
      { level: 'error', message: 'whatsapp web: unexpected', fields: { error: 'boom' } },
    ]);
  });
});
