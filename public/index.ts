/** The browser entry Kibana loads from target/public/<id>.plugin.js: `plugin()` makes the plugin. */
import { DfpPublicPlugin } from './plugin';

export const plugin = (): DfpPublicPlugin => new DfpPublicPlugin();
