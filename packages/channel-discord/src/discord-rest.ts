import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as DiscordRest from '@discordjs/rest';

/*
 * `@discordjs/rest` as its build over the global `fetch`: the same REST client and error classes that
 * the package publishes for runtimes other than Node (its `default` export condition). Its Node build
 * differs only in loading its own copy of undici at import, for a default request strategy and a
 * `FormData` fallback, where Node 20 already has `fetch`, `FormData` and `Blob` built in; that second
 * HTTP stack is about 4 MB of heap and 95 modules kept for the life of the gateway. The file is found
 * beside the package's resolved entry, since its export map offers it to no condition Node sets.
 */
const nodeEntry = createRequire(import.meta.url).resolve('@discordjs/rest');
const rest = (await import(pathToFileURL(join(dirname(nodeEntry), 'web.mjs')).href)) as typeof DiscordRest;

export const { REST, DiscordAPIError, HTTPError, RateLimitError } = rest;
export type REST = DiscordRest.REST;
