import { useCallback, useEffect, useMemo, useState } from 'react';
import { DashboardsDownload } from './DashboardsDownload';
import { EuiFlexGroup, EuiFlexItem, EuiGlobalToastList, EuiPageTemplate, EuiSpacer, useEuiTheme, type EuiGlobalToastListToast } from '@elastic/eui';
import { PLUGIN_ID } from '../../common/fields';
import { DfpApi } from '../api';
import { AppContext, type AppServices } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { buildUrl, parseQuery, parseRoute, type AppQuery, type AppRoute, type PageId } from '../logic/routes';
import { defaultRange } from '../logic/range';
import type { AppHistory, CoreStart } from '../types';
import { OverviewPage } from '../pages/OverviewPage';
import { UserPage } from '../pages/UserPage';
import { ModelsPage } from '../pages/ModelsPage';
import { JobsPage } from '../pages/JobsPage';
import { SettingsPage } from '../pages/SettingsPage';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';
import { NoSourcesPrompt } from './NoSourcesPrompt';
import { RangePicker } from './RangePicker';
import { SourceSelect } from './SourceSelect';

export const APP_TITLE = 'Digital Fingerprinting';

interface Props {
  core: CoreStart;
  history: AppHistory;
}

const TABS: { id: PageId; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'models', label: 'Models' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'settings', label: 'Settings' },
];

/** The app: where it is (from the history), the shared answers (settings, status), and the page shown. */
export function AppRoot({ core, history }: Props) {
  // The colour mode of the EUI provider above: Kibana's theme in Kibana.
  const colorMode = useEuiTheme().colorMode === 'DARK' ? 'dark' : 'light';
  const api = useMemo(() => new DfpApi(core.http), [core.http]);
  const [location, setLocation] = useState(history.location);
  useEffect(() => history.listen((l) => setLocation({ pathname: l.pathname, search: l.search })), [history]);
  const route = parseRoute(location.pathname);
  const query = parseQuery(location.search);

  const [sharedTick, setSharedTick] = useState(0);
  const [pageTick, setPageTick] = useState(0);
  const settings = useRequest(() => api.settings(), [api, sharedTick]);
  const status = useRequest(() => api.status(), [api, sharedTick]);

  // Kibana says what the user may do: the feature's `manage` UI capability (the standalone page
  // reads the same from its server). A manage call answering 403 settles it too.
  const [forbidden, setForbidden] = useState(false);
  const canManage = !forbidden && core.application?.capabilities?.[PLUGIN_ID]?.manage === true;
  const canTriage = core.application?.capabilities?.[PLUGIN_ID]?.triage === true;
  const hasDiscover = useHasApp(core, 'discover');

  const source = query.source ?? settings.data?.sources[0]?.id;
  const newest = status.data?.sources.filter((s) => !source || s.source === source).map((s) => s.newestEvent) ?? [];
  const range = useMemo(
    () => (query.from && query.to ? { from: query.from, to: query.to } : defaultRange(newest, Date.now())),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [query.from, query.to, newest.join(',')],
  );

  const [toasts, setToasts] = useState<EuiGlobalToastListToast[]>([]);
  const addToast = useCallback((color: 'success' | 'danger', title: string, text?: string) => {
    setToasts((t) => [...t, { id: `${Date.now()}-${Math.random()}`, title, text, color, iconType: color === 'success' ? 'check' : 'error' }]);
  }, []);

  const navigate = useCallback(
    (to: AppRoute, q: Partial<AppQuery> = {}) => history.push(buildUrl(to, { ...parseQuery(history.location.search), ...q })),
    [history],
  );

  const services: AppServices = {
    api,
    route,
    range,
    source,
    settings: settings.data,
    status: status.data,
    refreshShared: () => setSharedTick((t) => t + 1),
    navigate,
    hrefOf: (to, q = {}) => {
      const path = buildUrl(to, { ...query, ...q });
      return core.application?.getUrlForApp ? core.application.getUrlForApp(PLUGIN_ID, { path }) : path;
    },
    setRange: (r) => navigate(route, { from: r.from, to: r.to }),
    setSource: (s) => navigate(route.page === 'user' ? { page: 'overview' } : route, { source: s }),
    canManage,
    canTriage,
    markForbidden: () => setForbidden(true),
    colorMode,
    toasts: { success: (title, text) => addToast('success', title, text), danger: (title, text) => addToast('danger', title, text) },
    discoverUrl: (path) => (hasDiscover && core.application?.getUrlForApp ? core.application.getUrlForApp('discover', { path }) : null),
    openUrl: (url) => {
      if (core.application) void core.application.navigateToUrl(url);
      else window.location.assign(url);
    },
  };

  // Before any source exists every page but the settings is the same empty state.
  const noSources = settings.data?.sources.length === 0 && route.page !== 'settings';
  const showsRange = !noSources && (route.page === 'overview' || route.page === 'user');
  const showsSource = !noSources && route.page !== 'settings';
  const refresh = () => {
    setPageTick((t) => t + 1);
    setSharedTick((t) => t + 1);
  };
  // Pages wait for the settings (sources) and status (default range) before asking anything.
  const ready = (settings.data || settings.error) && (status.data || status.error);

  return (
    <AppContext.Provider value={services}>
      <EuiPageTemplate panelled restrictWidth={false} data-test-subj="dfpApp">
        <EuiPageTemplate.Header
          pageTitle={APP_TITLE}
          iconType="user"
          description="Per-user behavioural fingerprints: how unusual each event is for the user who made it."
          rightSideItems={[<DashboardsDownload key="dashboards" />]}
          tabs={TABS.map((t) => ({
            label: t.label,
            isSelected: route.page === t.id || (t.id === 'overview' && route.page === 'user'),
            onClick: () => navigate(t.id === 'overview' ? { page: 'overview' } : ({ page: t.id } as AppRoute)),
            'data-test-subj': `dfpTab-${t.id}`,
          }))}
        />
        <EuiPageTemplate.Section>
          {/* The source and range in a row of their own that wraps: beside the title they pushed the header ~100 px past a 1024 px window. */}
          {(showsSource || showsRange) && (
            <>
              <EuiFlexGroup gutterSize="s" responsive={false} wrap alignItems="center" justifyContent="flexEnd" data-test-subj="dfpToolbar">
                {showsSource && (
                  <EuiFlexItem grow={false}>
                    <SourceSelect />
                  </EuiFlexItem>
                )}
                {showsRange && (
                  <EuiFlexItem grow={false}>
                    <RangePicker onRefresh={refresh} />
                  </EuiFlexItem>
                )}
              </EuiFlexGroup>
              <EuiSpacer size="m" />
            </>
          )}
          {!ready ? (
            <LoadingState what="the app" />
          ) : settings.error && settings.error.status === 403 ? (
            <ErrorState what="Digital Fingerprinting" error={settings.error} />
          ) : (
            <>
              {settings.error && <ErrorState what="the settings" error={settings.error} onRetry={() => setSharedTick((t) => t + 1)} />}
              {noSources && <NoSourcesPrompt />}
              {!noSources && route.page === 'overview' && <OverviewPage refreshKey={pageTick} />}
              {!noSources && route.page === 'user' && <UserPage key={route.user} user={route.user} refreshKey={pageTick} />}
              {!noSources && route.page === 'models' && <ModelsPage refreshKey={pageTick} />}
              {!noSources && route.page === 'jobs' && <JobsPage refreshKey={pageTick} />}
              {route.page === 'settings' && <SettingsPage />}
            </>
          )}
        </EuiPageTemplate.Section>
      </EuiPageTemplate>
      <EuiGlobalToastList toasts={toasts} dismissToast={(t) => setToasts((all) => all.filter((x) => x.id !== t.id))} toastLifeTimeMs={6000} />
    </AppContext.Provider>
  );
}

/**
 * Whether Kibana lists an app the user can open (`application.applications$`): Discover is absent
 * for users without it, and on the standalone page. Unknown (no such service) counts as present.
 */
function useHasApp(core: CoreStart, appId: string): boolean {
  const apps$ = core.application?.applications$;
  const [has, setHas] = useState(apps$ === undefined);
  useEffect(() => {
    if (!apps$) return;
    // Kibana lists apps the user's privileges hide as inaccessible (AppStatus.inaccessible, 1).
    const sub = apps$.subscribe((apps) => setHas(apps.has(appId) && apps.get(appId)?.status !== 1));
    return () => sub.unsubscribe();
  }, [apps$, appId]);
  return has;
}
