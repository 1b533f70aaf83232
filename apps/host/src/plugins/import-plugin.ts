import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ConfigError, errorMessage, type Plugin } from '@ngb/plugin-sdk';

const versionParameter = 'ngb-plugin';
const rootParameter = 'ngb-plugin-root';

/**
 * Module resolution hooks (run by Node.js in its hooks thread): a file imported by a file of a
 * reloaded plugin folder, and inside that folder (but not in a `node_modules` of it), gets the
 * importer's version in its URL. Every file of the folder is then a new module per version, where a
 * version on the entry's URL alone would leave the folder's other modules cached.
 */
const resolveHooks = `
const versionParameter = ${JSON.stringify(versionParameter)};
const rootParameter = ${JSON.stringify(rootParameter)};
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (parent === undefined || !parent.startsWith('file:') || !resolved.url.startsWith('file:')) return resolved;
  const parentUrl = new URL(parent);
  const version = parentUrl.searchParams.get(versionParameter);
  const root = parentUrl.searchParams.get(rootParameter);
  if (version === null || root === null) return resolved;
  const url = new URL(resolved.url);
  if (url.searchParams.has(versionParameter) || !url.pathname.startsWith(root)) return resolved;
  if (url.pathname.slice(root.length).split('/').includes('node_modules')) return resolved;
  url.searchParams.set(versionParameter, version);
  url.searchParams.set(rootParameter, root);
  return { ...resolved, url: url.href };
}
`;

// The hooks are the process's (Node.js has one module loader per process), so they are registered
// once, and only by a process that reloads a plugin: until then imports skip the hooks thread.
let hooksRegistered = false;

function registerReloadHooks(): void {
  if (hooksRegistered) return;
  register(`data:text/javascript,${encodeURIComponent(resolveHooks)}`);
  hooksRegistered = true;
}

/** Whether `value` is a plugin as `definePlugin` makes them. */
function isPlugin(value: unknown): value is Plugin {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Plugin>;
  return (
    candidate.specificationVersion === 1 &&
    typeof candidate.name === 'string' &&
    candidate.name.trim() !== '' &&
    typeof candidate.version === 'string' &&
    typeof candidate.setup === 'function'
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function (call definePlugin with the plugin, and export what it returns)';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const keys = Object.keys(value).slice(0, 6);
  return `an object with ${keys.length === 0 ? 'no keys' : `the keys ${keys.join(', ')}`}, not one made by definePlugin`;
}

/**
 * Imports a plugin module and returns the plugin it exports: its default export, or its export
 * named `plugin`. With `reload`, the module and every file of `reload.folder` it imports are new
 * module instances for `reload.version` (module state starts afresh), where a plain import would
 * return the cached ones.
 * @param key the config key reports name (`plugins.<index>`)
 * @throws ConfigError naming the file when it cannot be imported or exports no plugin
 */
export async function importPlugin(file: string, key: string, reload?: { folder: string; version: number }): Promise<Plugin> {
  const url = pathToFileURL(file);
  if (reload) {
    registerReloadHooks();
    url.searchParams.set(versionParameter, String(reload.version));
    url.searchParams.set(rootParameter, pathToFileURL(`${reload.folder}/`).pathname);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`[@ngb/host] cannot import the plugin ${file}: ${errorMessage(error)}`, { key, cause: error });
  }
  if (isPlugin(module.default)) return module.default;
  if (isPlugin(module.plugin)) return module.plugin;
  throw new ConfigError(
    `[@ngb/host] ${file} must export a plugin made by definePlugin() from @ngb/plugin-sdk, as its default export ` +
      `(or as "plugin"); its default export is ${describeValue(module.default)}`,
    { key },
  );
}
