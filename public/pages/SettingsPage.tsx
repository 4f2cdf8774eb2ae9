import React, { useEffect, useState } from 'react';
import {
  EuiBottomBar,
  EuiButton,
  EuiButtonEmpty,
  EuiCallOut,
  EuiFieldNumber,
  EuiFieldText,
  EuiFlexGrid,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiPanel,
  EuiSpacer,
  EuiText,
  EuiTitle,
} from '@elastic/eui';
import type { DfpSettings } from '../../common/api';
import { useApp } from '../app_context';
import { useRequest } from '../hooks/use_request';
import { fieldErrors, toAppError } from '../logic/errors';
import { describeChanges, formFromSettings, newSourceForm, settingsFromForm, settingsPatch, validateSettingsForm, type FormErrors, type SettingsForm } from '../logic/settings_form';
import { ApiKeyPanel } from '../components/ApiKeyPanel';
import { EncryptionCallout } from '../components/EncryptionCallout';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { SourceEditor } from '../components/SourceEditor';

/** Thresholds, schedules and sources, with what each changes; editable with the manage privilege only. */
export function SettingsPage() {
  const { api, canManage, markForbidden, toasts, refreshShared, status } = useApp();
  const loaded = useRequest(() => api.settings(), [api]);
  const [saved, setSaved] = useState<DfpSettings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [showErrors, setShowErrors] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setSaved(loaded.data);
      setForm(formFromSettings(loaded.data));
    }
  }, [loaded.data]);

  if (loaded.error) return <ErrorState what="the settings" error={loaded.error} onRetry={loaded.reload} />;
  if (!form || !saved) return <LoadingState what="the settings" />;

  const readOnly = !canManage;
  const clientErrors = validateSettingsForm(form);
  // Field errors show once the admin tries to save (or as soon as the server named them).
  const shown: FormErrors = { ...(showErrors ? clientErrors : {}), ...errors };
  const valid = Object.keys(clientErrors).length === 0;
  const changes = valid ? describeChanges(saved, settingsFromForm(form)) : [];
  const update = (patch: Partial<SettingsForm>) => {
    setForm({ ...form, ...patch });
    // A field the server objected to is cleared once edited.
    if (Object.keys(errors).length) setErrors({});
  };

  const save = async () => {
    setShowErrors(true);
    setServerError(null);
    if (!valid) return;
    const patch = settingsPatch(saved, settingsFromForm(form));
    if (Object.keys(patch).length === 0) return;
    setSaving(true);
    try {
      const next = await api.updateSettings(patch);
      setSaved(next);
      setForm(formFromSettings(next));
      setErrors({});
      setShowErrors(false);
      toasts.success('Settings saved', changes.join('; '));
      refreshShared();
    } catch (e) {
      const err = toAppError(e);
      if (err.status === 403) {
        markForbidden();
        setServerError(`Not saved: ${err.message}`);
      } else {
        const byField = err.status === 400 ? fieldErrors(err.message) : {};
        setErrors(Object.fromEntries(Object.entries(byField).filter(([k]) => k !== '')));
        setServerError(`Not saved: ${err.message}`);
      }
    } finally {
      setSaving(false);
    }
  };

  const field = (key: 'zscoreThreshold' | 'tsThreshold' | 'userRiskThreshold' | 'minHistory', label: string, help: React.ReactNode, step: number | 'any') => (
    <EuiFormRow label={label} helpText={help} isInvalid={!!shown[key]} error={shown[key]} fullWidth>
      <EuiFieldNumber data-test-subj={`dfpSetting-${key}`} value={form[key]} step={step} min={0} isInvalid={!!shown[key]} disabled={readOnly} fullWidth onChange={(e) => update({ [key]: e.target.value })} />
    </EuiFormRow>
  );
  const cron = (key: 'train' | 'score', label: string, help: string) => (
    <EuiFormRow label={label} helpText={help} isInvalid={!!shown[`schedules.${key}`]} error={shown[`schedules.${key}`]} fullWidth>
      <EuiFieldText data-test-subj={`dfpSetting-${key}Schedule`} value={form[key]} isInvalid={!!shown[`schedules.${key}`]} disabled={readOnly} fullWidth onChange={(e) => update({ [key]: e.target.value })} />
    </EuiFormRow>
  );

  return (
    <>
      <EncryptionCallout encryption={status?.encryption} />
      {readOnly && (
        <>
          <EuiCallOut title="Read only" iconType="lock" data-test-subj="dfpSettingsReadOnly">
            <p>Changing settings takes the Digital Fingerprinting "all" privilege; you have "read".</p>
          </EuiCallOut>
          <EuiSpacer size="m" />
        </>
      )}
      {serverError && (
        <>
          <EuiCallOut title="The settings were not saved" color="danger" iconType="error" data-test-subj="dfpSettingsError" role="alert">
            <p>{serverError}</p>
          </EuiCallOut>
          <EuiSpacer size="m" />
        </>
      )}
      <EuiForm component="form" onSubmit={(e: React.FormEvent) => (e.preventDefault(), void save())} isInvalid={showErrors && !valid} error={showErrors && !valid ? ['Fix the fields marked below.'] : undefined}>
        <EuiPanel hasBorder>
          <EuiTitle size="xs">
            <h3>Detection</h3>
          </EuiTitle>
          <EuiSpacer size="s" />
          <EuiFlexGrid columns={3}>
            <EuiFlexItem>
              {field('zscoreThreshold', 'Anomaly threshold (dfp.zscore)', 'Events at or above it are flagged. Applies at once to every page, without rescoring: lower it to see more, raise it for fewer false alarms.', 'any')}
            </EuiFlexItem>
            <EuiFlexItem>{field('tsThreshold', 'Time-series threshold', "Residual z of a user's activity volume at or above which a bin's events get dfp.ts_anomaly; from the next scoring run.", 'any')}</EuiFlexItem>
            <EuiFlexItem>{field('minHistory', 'Minimum history for a model of its own', 'Events a user needs for a model trained from scratch; with fewer (down to 30) theirs is warm-started from the generic model. From the next training.', 1)}</EuiFlexItem>
            <EuiFlexItem>
              {field(
                'userRiskThreshold',
                'User risk threshold (dfp.user_risk)',
                "Users whose risk (their events' evidence over the last 24 h, halving every 6 h) reaches it are flagged. The users ranking applies it at once; dfp.user_flagged from the next scoring run.",
                'any',
              )}
            </EuiFlexItem>
          </EuiFlexGrid>
        </EuiPanel>
        <EuiSpacer size="m" />
        <EuiPanel hasBorder>
          <EuiTitle size="xs">
            <h3>Schedules (cron, Kibana server time)</h3>
          </EuiTitle>
          <EuiSpacer size="s" />
          <EuiFlexGrid columns={2}>
            <EuiFlexItem>{cron('train', 'Training', 'Retrains every user with enough history and the generic model, e.g. "0 2 * * *" (02:00 daily).')}</EuiFlexItem>
            <EuiFlexItem>{cron('score', 'Scoring', 'Scores events that arrived since the last run, e.g. "*/5 * * * *" (every 5 minutes).')}</EuiFlexItem>
          </EuiFlexGrid>
        </EuiPanel>
        <EuiSpacer size="m" />
        <EuiPanel hasBorder>
          <EuiFlexGroup alignItems="center" responsive={false}>
            <EuiFlexItem>
              <EuiTitle size="xs">
                <h3>Sources</h3>
              </EuiTitle>
            </EuiFlexItem>
            {!readOnly && (
              <EuiFlexItem grow={false}>
                <EuiButtonEmpty iconType="plusInCircle" onClick={() => update({ sources: [...form.sources, newSourceForm(form.sources)] })} data-test-subj="dfpAddSource">
                  Add a source
                </EuiButtonEmpty>
              </EuiFlexItem>
            )}
          </EuiFlexGroup>
          <EuiText size="xs" color="subdued">
            <p>Saving sources grants each one's jobs an API key with your privileges: you need read on the source indices, write on the scores stream (or the source indices, in place), and all on .dfp-*.</p>
          </EuiText>
          <EuiSpacer size="s" />
          {form.sources.length === 0 && (
            <EuiText size="s" color="subdued">
              <p>No sources: nothing is trained or scored.</p>
            </EuiText>
          )}
          {form.sources.map((s, i) => (
            <React.Fragment key={i}>
              <SourceEditor
                index={i}
                source={s}
                errors={shown}
                disabled={readOnly}
                onChange={(next) => update({ sources: form.sources.map((x, j) => (j === i ? next : x)) })}
                onRemove={() => update({ sources: form.sources.filter((_, j) => j !== i) })}
              />
              {/* Per-source API keys exist in Kibana only (its status reports `encryption`); elsewhere asking for one is a 404. */}
              {canManage && status?.encryption && saved.sources.some((x) => x.id === s.id) && (
                <EuiPanel color="subdued" paddingSize="s">
                  <ApiKeyPanel sourceId={s.id} />
                </EuiPanel>
              )}
              <EuiSpacer size="m" />
            </React.Fragment>
          ))}
        </EuiPanel>
        {!readOnly && (
          <>
            <EuiSpacer size="xxl" />
            <EuiBottomBar position="sticky" paddingSize="s">
              <EuiFlexGroup justifyContent="spaceBetween" alignItems="center" responsive={false}>
                <EuiFlexItem>
                  <EuiText size="s" data-test-subj="dfpSettingsChanges">
                    {changes.length ? changes.join('; ') : valid ? 'No unsaved changes' : 'Some fields need fixing'}
                  </EuiText>
                </EuiFlexItem>
                <EuiFlexItem grow={false}>
                  <EuiFlexGroup gutterSize="s" responsive={false}>
                    <EuiFlexItem grow={false}>
                      <EuiButtonEmpty color="text" isDisabled={changes.length === 0 && valid} onClick={() => (setForm(formFromSettings(saved)), setErrors({}), setShowErrors(false), setServerError(null))}>
                        Discard
                      </EuiButtonEmpty>
                    </EuiFlexItem>
                    <EuiFlexItem grow={false}>
                      <EuiButton type="submit" fill iconType="save" isLoading={saving} isDisabled={valid && changes.length === 0} data-test-subj="dfpSaveSettings">
                        Save
                      </EuiButton>
                    </EuiFlexItem>
                  </EuiFlexGroup>
                </EuiFlexItem>
              </EuiFlexGroup>
            </EuiBottomBar>
          </>
        )}
      </EuiForm>
    </>
  );
}
