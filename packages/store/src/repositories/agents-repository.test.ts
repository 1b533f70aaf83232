import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { assertValidAgentFolder } from './agents-repository';

const cases: Array<[folder: string, valid: boolean]> = [
  ['main', true],
  ['a', true],
  ['Z', true],
  ['0', true],
  ['team_lead-2', true],
  ['A'.repeat(64), true],
  ['A'.repeat(65), false],
  ['', false],
  ['-leading-dash', false],
  ['_leading-underscore', false],
  ['has space', false],
  ['dot.ted', false],
  ['..', false],
  ['a/b', false],
  ['a\\b', false],
  ['x\n', false],
  ['naïve', false],
  ['global', false],
  ['Global', false],
  ['GLOBAL', false],
  ['global2', true],
  ['my-global', true],
];

describe('agent folder names', () => {
  it.each(cases)('%j is %s', (folder, valid) => {
    if (valid) {
      expect(() => assertValidAgentFolder(folder)).not.toThrow();
      return;
    }
    let caught: unknown;
    try {
      assertValidAgentFolder(folder);
    } catch (error) {
      caught = error;
    }
    expect(ConfigError.isInstance(caught)).toBe(true);
    expect((caught as ConfigError).message).toContain(`"${folder}"`);
    expect((caught as ConfigError).key).toBe('folder');
  });
});
