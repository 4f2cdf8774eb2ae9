/**
 * The server entry Kibana loads (`server/index.js` in the install): `plugin(initializerContext)`
 * and the `config` descriptor for `digitalFingerprinting.*` in kibana.yml.
 */
import { configSchema, type RawDfpConfig } from './config';
import { DfpPlugin } from './plugin';
import { kibanaServices } from './kibana/services';
import type { ConfigSchemaApi, PluginConfigDescriptor, PluginInitializerContext } from './kibana/types';

// Kibana's own module, present only inside Kibana (tests provide it through the harness): a plain
// require, so the build leaves it out.
const { schema } = require('@kbn/config-schema') as { schema: ConfigSchemaApi };

export const config: PluginConfigDescriptor<RawDfpConfig> = { schema: configSchema(schema) };

export const plugin = (initializerContext: PluginInitializerContext<RawDfpConfig>): DfpPlugin => new DfpPlugin(initializerContext, kibanaServices(schema));
