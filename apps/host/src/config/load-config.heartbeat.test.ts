import { describe, expect, it } from 'vitest';
import { gatewayHeartbeats } from '../compose/start-gateway';
import { configFile, configRefusal } from './__tests__/config-refusal';
import { parseConfig } from './load-config';

const file = configFile;
const refusal = configRefusal;

const heartbeat = (settings: unknown) => ({ agents: { main: { heartbeat: settings } } });

describe('heartbeat and mention-sticky settings', () => {
  it.each([
    ['agents.main.heartbeat', heartbeat('30m'), 'must be an object'],
    ['agents.main.heartbeat.every', heartbeat({ every: '10s' }), 'must be an interval of at least 1 minute'],
    ['agents.main.heartbeat.every', heartbeat({}), ''],
    [
      'agents.main.heartbeat.activeHours.start',
      heartbeat({ every: '1h', activeHours: { start: '8am', end: '22:00' } }),
      'must be a time of day such as 08:00',
    ],
    [
      'agents.main.heartbeat.activeHours.timeZone',
      heartbeat({ every: '1h', activeHours: { start: '08:00', end: '22:00', timeZone: 'Mars/Olympus' } }),
      'must be an IANA time zone',
    ],
    [
      'agents.main.heartbeat.activeHours',
      heartbeat({ every: '1h', activeHours: { start: '08:00', end: '08:00' } }),
      'start and end must differ',
    ],
    ['agents.main.heartbeat.chat', heartbeat({ every: '1h', chat: '12345' }), 'must be "<channel>:<platform chat id>"'],
    ['gateway.stickyIdleMinutes', { gateway: { stickyIdleMinutes: 0 } }, 'must be at least 1'],
  ])('refuses a bad %s naming the key', (key, config, reason) => {
    const error = refusal(config);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`key "${key}"`);
    expect(error.message).toContain(reason);
  });

  it("hands each agent's heartbeat to the gateway by folder", () => {
    const { config, warnings } = parseConfig(
      JSON.stringify({
        agents: {
          main: { heartbeat: { every: '30m', activeHours: { start: '08:00', end: '22:00' }, chat: 'telegram:42' } },
          quiet: {},
        },
      }),
      file,
    );
    expect(warnings).toEqual([]);
    expect(gatewayHeartbeats(config)).toEqual({
      main: { every: '30m', activeHours: { start: '08:00', end: '22:00' }, chat: 'telegram:42' },
    });
  });
});
