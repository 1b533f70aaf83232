import { SandboxError, type SandboxErrorReason } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { isFatalToTurn } from './sandbox-fatal';

describe('which sandbox failures end a turn', () => {
  it.each([
    ['engine_unavailable', true],
    ['image_missing', true],
    ['timeout', false],
    ['out_of_memory', false],
    ['crashed', false],
    ['tool_failed', false],
    ['mount_refused', false],
    ['disk_limit', false],
  ] as Array<[SandboxErrorReason, boolean]>)('%s → %s', (reason, fatal) => {
    expect(isFatalToTurn(new SandboxError(reason, 'x'))).toBe(fatal);
  });

  it('holds for subclasses and never for other errors', () => {
    class EngineGone extends SandboxError {}
    expect(isFatalToTurn(new EngineGone('engine_unavailable', 'gone'))).toBe(true);
    expect(isFatalToTurn(Object.assign(new Error('x'), { name: 'SandboxError', reason: 'engine_unavailable' }))).toBe(false);
  });
});
