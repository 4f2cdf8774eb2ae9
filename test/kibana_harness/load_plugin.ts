/**
 * Loading a built plugin's server the way Kibana does: `require('<plugin>/server')` with
 * `@kbn/config-schema` resolving to config_schema.ts (Kibana provides its own to every plugin), its
 * `plugin` initializer checked, and its exported `config.schema` validating the kibana.yml settings,
 * Kibana's way (`[config validation of [<path>].<key>]: …`).
 */
import Module from 'node:module';
import path from 'node:path';
import { isConfigSchema, type Type } from './config_schema';

const CONFIG_SCHEMA_MODULE = require.resolve('./config_schema');

// Kibana provides `@kbn/config-schema` to plugins; so do we, for every plugin the harness loads.
const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const originalResolve = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === '@kbn/config-schema') return CONFIG_SCHEMA_MODULE;
  return originalResolve.call(this, request, ...rest);
};

/** A plugin object as its initializer returns it. */
export interface PluginInstance {
  setup(core: unknown, plugins: unknown): unknown;
  start(core: unknown, plugins: unknown): unknown;
  stop?(): unknown;
}

/** A plugin folder's kibana.json: what the harness reads of it. */
export interface PluginManifest {
  id: string;
  configPath: string | string[];
  version: string;
}

export function readManifest(pluginDir: string): PluginManifest {
  return require(path.join(pluginDir, 'kibana.json'));
}

/** Kibana's validation of a plugin's config: the schema's errors under `config validation of [<path>]`. */
export function validatePluginConfig(schema: unknown, raw: Record<string, unknown>, configPath: string): Record<string, unknown> {
  if (!isConfigSchema(schema)) throw new Error('Configuration schema expected to be an instance of Type');
  return (schema as Type<Record<string, unknown>>).validate(raw, {}, `config validation of [${configPath}]`);
}

/** The plugin's server entry, required; its initializer and its config validated against `raw`. */
export function loadPluginServer(
  pluginDir: string,
  manifest: PluginManifest,
  raw: Record<string, unknown>,
  configPath: string,
): { initializer: (ctx: unknown) => PluginInstance | Promise<PluginInstance>; config: Record<string, unknown> } {
  const entry = require(path.join(pluginDir, 'server')) as { plugin?: unknown; config?: { schema?: unknown } };
  if (typeof entry.plugin !== 'function') throw new Error(`Definition of plugin "${manifest.id}" should be a function.`);
  const config = validatePluginConfig(entry.config?.schema, raw, configPath);
  return { initializer: entry.plugin as (ctx: unknown) => PluginInstance, config };
}
