import { useEffect, useState } from 'react';
import { EuiButton, EuiEmptyPrompt, EuiFlexGroup, EuiFlexItem, EuiPanel, EuiSpacer, EuiText, EuiTitle } from '@elastic/eui';
import type { JobType } from '../../common/jobs';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { toAppError } from '../logic/errors';
import { jobItems, splitJobs } from '../logic/table_items';
import { ErrorState } from '../components/ErrorState';
import { JobHistoryTable } from '../components/JobHistoryTable';
import { LoadingState } from '../components/LoadingState';
import { RunningJobs } from '../components/RunningJobs';

/** While a job runs the page polls this often. */
const POLL_MS = 3000;

/** Train and score jobs of the source: running ones with progress, history with errors; start and cancel. */
export function JobsPage({ refreshKey }: { refreshKey: number }) {
  const { api, source, canManage, toasts, markForbidden, refreshShared } = useApp();
  const [tick, setTick] = useState(0);
  const [starting, setStarting] = useState<JobType | null>(null);
  const jobs = useRequest(() => api.jobs({ source, limit: 100 }), [api, source, refreshKey, tick]);
  const items = jobItems(jobs.data?.runs ?? [], Date.now());
  const { running, history } = splitJobs(items);

  useEffect(() => {
    if (running.length === 0) return;
    const t = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(t);
  }, [running.length, jobs.data]);

  const act = async (what: string, action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toasts.success(done);
    } catch (e) {
      const err = toAppError(e);
      if (err.status === 403) markForbidden();
      toasts.danger(`${what} failed`, err.message);
    } finally {
      setTick((n) => n + 1);
      refreshShared();
    }
  };

  const start = async (type: JobType) => {
    setStarting(type);
    await act(`Starting the ${type} job`, () => api.startJob(type, source), `The ${type} job of ${source} started`);
    setStarting(null);
  };

  if (jobs.error) return <ErrorState what="the jobs" error={jobs.error} onRetry={jobs.reload} />;
  if (!jobs.data) return <LoadingState what="the jobs" />;
  if (!jobs.data.available) {
    return (
      <EuiEmptyPrompt
        data-test-subj="dfpJobsUnavailable"
        iconType="clock"
        title={<h2>No jobs here</h2>}
        body={<p>Jobs train and score against Elasticsearch. This server reads scored files only, so nothing is scheduled; in Kibana (or npm run serve -- --es-url) the schedules and this page come alive.</p>}
      />
    );
  }
  return (
    <>
      {canManage && (
        <>
          <EuiFlexGroup gutterSize="s" responsive={false}>
            <EuiFlexItem grow={false}>
              <EuiButton iconType="play" onClick={() => start('train')} isLoading={starting === 'train'} isDisabled={starting !== null} data-test-subj="dfpStartTrain">
                Train {source} now
              </EuiButton>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton iconType="play" onClick={() => start('score')} isLoading={starting === 'score'} isDisabled={starting !== null} data-test-subj="dfpStartScore">
                Score {source} now
              </EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
          <EuiSpacer size="m" />
        </>
      )}
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>Running ({running.length})</h3>
        </EuiTitle>
        <EuiSpacer size="s" />
        {running.length === 0 ? (
          <EuiText size="s" color="subdued">
            <p>Nothing is running. Jobs follow the schedules in the settings{canManage ? ', or start one above' : ''}.</p>
          </EuiText>
        ) : (
          <RunningJobs jobs={running} canManage={canManage} onCancel={(id) => act('Cancelling', () => api.cancelJob(id), 'Asked the job to stop: it stops between users or pages')} />
        )}
      </EuiPanel>
      <EuiSpacer size="m" />
      <EuiPanel hasBorder>
        <EuiTitle size="xs">
          <h3>History</h3>
        </EuiTitle>
        <EuiSpacer size="s" />
        <JobHistoryTable jobs={history} loading={jobs.loading} />
      </EuiPanel>
    </>
  );
}
