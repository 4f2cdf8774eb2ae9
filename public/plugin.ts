/**
 * The browser plugin: registers the Digital Fingerprinting app in Kibana's Security category.
 * Mounting renders the EUI app (application.tsx) with Kibana's browser core: its http service
 * (the analyst's own session), theme and navigation.
 */
import { PLUGIN_ID } from '../common/fields';
import { renderApp } from './application';
import { APP_TITLE } from './components/AppRoot';
import type { AppMountParameters, CoreStart } from './types';

export type { AppMountParameters, CoreStart } from './types';

export interface AppCategory {
  id: string;
  label: string;
  order?: number;
  euiIconType?: string;
}

export interface CoreSetup {
  application: {
    register(app: { id: string; title: string; category?: AppCategory; euiIconType?: string; mount(params: AppMountParameters): Promise<() => void> }): void;
  };
  getStartServices(): Promise<[CoreStart, unknown, unknown]>;
}

/** Kibana's "Security" app category (DEFAULT_APP_CATEGORIES.security), restated. */
const SECURITY_CATEGORY: AppCategory = { id: 'securitySolution', label: 'Security', order: 3000, euiIconType: 'logoSecurity' };

export { APP_TITLE };

export class DfpPublicPlugin {
  setup(core: CoreSetup): void {
    core.application.register({
      id: PLUGIN_ID,
      title: APP_TITLE,
      category: SECURITY_CATEGORY,
      euiIconType: 'user',
      mount: async (params) => {
        const [coreStart] = await core.getStartServices();
        return renderApp(coreStart, params);
      },
    });
  }

  start(): void {}

  stop(): void {}
}
