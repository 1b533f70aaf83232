import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { parseConfig } from '../load-config';

/** Where the configs of these tests say they were read from (never read: parseConfig takes the text). */
export const configFile = join('/project', 'ngb.config.json');

/**
 * The ConfigError `parseConfig` throws for a config (an object, or its text as written); any other
 * error is rethrown, and a config that is accepted fails the test.
 */
export function configRefusal(config: unknown, file = configFile): ConfigError {
  try {
    parseConfig(typeof config === 'string' ? config : JSON.stringify(config), file);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}
