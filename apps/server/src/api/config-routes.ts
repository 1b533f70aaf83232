import { loadChannelManifests } from '@ngb/host';
import * as v from 'valibot';
import { HttpError } from '../http/json-error';
import type { ApiParts } from './api-parts';
import { type AnyApiRoute, defineRoute } from './api-route';
import { redactConfig } from './redact-config';

/** `GET /config`: the loaded config, secrets redacted. */
export function configRoutes(config: ApiParts['config']): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/config',
      tag: 'config',
      summary: 'The loaded config with every secret redacted',
      description:
        "Channels' secret options, values under secret-looking keys, secret-looking text and the secrets read from the environment all read `[redacted]`.",
      response: v.pipe(
        v.record(v.string(), v.unknown()),
        v.description('The config as `ngb.config.json` holds it, with defaults applied.'),
      ),
      errors: [501],
      handle: async () => {
        if (config === undefined) throw new HttpError(501, 'not_supported', 'this server was started without a config');
        return redactConfig(config.value, await config.secretValues(), await loadChannelManifests());
      },
    }),
  ];
}
