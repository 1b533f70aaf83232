import * as v from 'valibot';

/** npm's rules for a package name: lower case, an optional scope, nothing that walks out of `node_modules`. */
const packageNamePattern = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

const packageName = v.pipe(
  v.string(),
  v.maxLength(214, 'must be an npm package name (at most 214 characters)'),
  v.regex(packageNamePattern, 'must be an npm package name such as "ngb-plugin-weather" or "@scope/name"'),
);

const folderPath = v.pipe(v.string(), v.minLength(1, 'must not be empty'));

/**
 * One entry of `plugins`: an npm package by name (with or without its config), or a local folder.
 * The plugin's `config` is checked by the plugin's own schema when it loads.
 */
const pluginEntrySchema = v.union(
  [
    packageName,
    v.object({ package: packageName, config: v.optional(v.unknown()) }),
    v.object({ path: folderPath, config: v.optional(v.unknown()) }),
  ],
  'must be an npm package name, { "package": "<name>", "config": { ... } } or { "path": "./plugins/<folder>", "config": { ... } }',
);

/** `plugins`: loaded in this order, so their hooks run in it. */
export const pluginsSchema = v.array(
  pluginEntrySchema,
  'must be a list such as [ "ngb-plugin-weather", { "path": "./plugins/mine" } ]',
);
