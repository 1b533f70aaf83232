import { describe, expect, it } from 'vitest';
import { gatewayMemoryLimit } from '../compose/start-gateway';
import { configFile, configRefusal } from './__tests__/config-refusal';
import { parseConfig } from './load-config';

const mb = 1024 * 1024;

describe('gateway.limits.memory', () => {
  it.each([
    ['gateway.limits.memory.degradedAboveMb', { degradedAboveMb: 8 }, 'must be at least 16'],
    ['gateway.limits.memory.degradedAboveMb', { degradedAboveMb: '1GB' }, ''],
    ['gateway.limits.memory.recoverBelowMb', { degradedAboveMb: 256, recoverBelowMb: 256 }, 'must be below degradedAboveMb'],
    ['gateway.limits.memory.recoverBelowMb', { recoverBelowMb: 0 }, ''],
  ])('refuses a bad %s naming the key', (key, memory, reason) => {
    const error = configRefusal({ gateway: { limits: { memory } } });
    expect(error.key).toBe(key);
    expect(error.message).toContain(`key "${key}"`);
    expect(error.message).toContain(reason);
  });

  it('limits memory to 512 MB by default, and hands the gateway the figures in bytes', () => {
    expect(gatewayMemoryLimit(parseConfig('{}', configFile).config)).toEqual({ degradedAboveBytes: 512 * mb });
    const { config, warnings } = parseConfig(
      JSON.stringify({ gateway: { limits: { memory: { degradedAboveMb: 300, recoverBelowMb: 200 } } } }),
      configFile,
    );
    expect(warnings).toEqual([]);
    expect(gatewayMemoryLimit(config)).toEqual({ degradedAboveBytes: 300 * mb, recoverBelowBytes: 200 * mb });
  });
});
