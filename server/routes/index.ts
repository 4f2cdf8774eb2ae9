/**
 * The route table: every HTTP route of the plugin, hosted alike by Kibana's router
 * (server/kibana/) and the standalone server (server/standalone/).
 */
import type { RouteDef } from './types';
import { overviewRoute } from './overview';
import { usersRoute } from './users';
import { userFingerprintRoute } from './user_fingerprint';
import { userEventsRoute } from './user_events';
import { userRiskRoute } from './user_risk';
import { swimlaneRoute } from './swimlane';
import { modelsRoute, modelRetrainRoute, modelRollbackRoute, modelVersionsRoute } from './models';
import { cancelJobRoute, jobRoute, jobsRoute, startJobRoute } from './jobs';
import { getSettingsRoute, updateSettingsRoute } from './settings';
import { statusRoute } from './status';
import { renewSourceKeyRoute, sourceKeyRoute } from './source_keys';
import { dashboardsRoute } from './dashboards';
import { removeSavedObjectsRoute } from './saved_objects';
import { addTriageRoute, triageRoute } from './triage';

// Handlers take typed input; the table holds them as plain RouteDefs (inputs are validated by
// each route's own schemas before its handler runs).
export const ROUTES = [
  statusRoute,
  overviewRoute,
  usersRoute,
  userFingerprintRoute,
  userEventsRoute,
  userRiskRoute,
  swimlaneRoute,
  modelsRoute,
  modelVersionsRoute,
  modelRollbackRoute,
  modelRetrainRoute,
  jobsRoute,
  jobRoute,
  startJobRoute,
  cancelJobRoute,
  getSettingsRoute,
  updateSettingsRoute,
  sourceKeyRoute,
  renewSourceKeyRoute,
  dashboardsRoute,
  triageRoute,
  addTriageRoute,
  removeSavedObjectsRoute,
] as unknown as RouteDef[];
