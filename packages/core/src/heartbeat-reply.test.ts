import { describe, expect, it } from 'vitest';
import { heartbeatReply } from './heartbeat-reply';
import { withinActiveHours } from './heartbeat-settings';

describe('heartbeatReply', () => {
  it.each([
    ['HEARTBEAT_OK', ''],
    ['  heartbeat_ok.  ', ''],
    ['Heartbeat_OK!', ''],
    ['**HEARTBEAT_OK**', ''],
    ['`HEARTBEAT_OK`', ''],
    ['HEARTBEAT_OK\n\nYour parcel arrived.', 'Your parcel arrived.'],
    ['Your parcel arrived.\nHEARTBEAT_OK', 'Your parcel arrived.'],
    ['Say HEARTBEAT_OK to me later', 'Say HEARTBEAT_OK to me later'],
    ['HEARTBEAT_OKAY', 'HEARTBEAT_OKAY'],
    ['The build failed.', 'The build failed.'],
  ])('%j → %j', (answer, delivered) => {
    expect(heartbeatReply(answer)).toBe(delivered);
  });
});

describe('withinActiveHours', () => {
  const at = (time: string) => Date.parse(`2026-01-15T${time}:00Z`);
  it.each([
    ['08:00', '22:00', '07:59', false],
    ['08:00', '22:00', '08:00', true],
    ['08:00', '22:00', '21:59', true],
    ['08:00', '22:00', '22:00', false],
    ['22:00', '06:00', '23:30', true],
    ['22:00', '06:00', '05:59', true],
    ['22:00', '06:00', '12:00', false],
  ])('%s–%s at %s UTC → %s', (start, end, time, within) => {
    expect(withinActiveHours({ start, end }, 'UTC', at(time))).toBe(within);
  });

  it('reads the hours on the clocks of the time zone', () => {
    // 07:30 UTC is 08:30 in Berlin in January.
    expect(withinActiveHours({ start: '08:00', end: '22:00' }, 'Europe/Berlin', at('07:30'))).toBe(true);
    expect(withinActiveHours({ start: '08:00', end: '22:00' }, 'UTC', at('07:30'))).toBe(false);
  });
});
