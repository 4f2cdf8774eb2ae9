import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';
import { ModelVersionsTable } from './ModelVersionsTable';
import { toAppError } from '../logic/errors';

/** A user's versions, loaded when their row in the models table is opened; `name` is what the page calls them. */
export function UserModelRow({ user, name, onChanged }: { user: string; name: string; onChanged(): void }) {
  const { api, source, canManage, toasts, markForbidden } = useApp();
  const versions = useRequest(() => api.modelVersions(source, user), [api, source, user]);
  if (versions.error) return <ErrorState what={`the versions of ${name}`} error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return <LoadingState what="versions" />;
  return (
    <ModelVersionsTable
      user={user}
      name={name}
      versions={versions.data.versions}
      canManage={canManage}
      onRollback={async (version) => {
        try {
          await api.rollback(source, user, version);
          toasts.success(`${name} rolled back to version ${version}`);
          versions.reload();
          onChanged();
        } catch (e) {
          const err = toAppError(e);
          if (err.status === 403) markForbidden();
          toasts.danger('Rollback failed', err.message);
        }
      }}
    />
  );
}
