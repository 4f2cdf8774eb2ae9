import React from 'react';
import { EuiButtonEmpty, EuiFieldNumber, EuiFieldText, EuiFlexGrid, EuiFlexItem, EuiFormRow, EuiPanel, EuiSelect, EuiText, EuiTitle, EuiFlexGroup } from '@elastic/eui';
import { WRITE_MODE_OPTIONS, type FormErrors, type SourceForm } from '../logic/settings_form';
import type { WriteMode } from '../../common/source_config';

interface Props {
  index: number;
  source: SourceForm;
  errors: FormErrors;
  disabled: boolean;
  onChange(next: SourceForm): void;
  onRemove(): void;
}

/** One source: which indices, read with which profile, whose user field, and where scores go. */
export function SourceEditor({ index, source, errors, disabled, onChange, onRemove }: Props) {
  const err = (field: keyof SourceForm) => errors[`sources.${index}.${field}`];
  const row = (field: keyof SourceForm, label: string, help: string, control: (invalid: boolean) => React.ReactElement) => (
    <EuiFlexItem>
      <EuiFormRow label={label} helpText={help} isInvalid={!!err(field)} error={err(field)} fullWidth>
        {control(!!err(field))}
      </EuiFormRow>
    </EuiFlexItem>
  );
  const text = (field: 'id' | 'profile' | 'index' | 'timeField' | 'userField' | 'namespace', placeholder?: string) => (invalid: boolean) => (
    <EuiFieldText
      data-test-subj={`dfpSource-${index}-${field}`}
      value={source[field]}
      placeholder={placeholder}
      isInvalid={invalid}
      disabled={disabled}
      fullWidth
      onChange={(e) => onChange({ ...source, [field]: e.target.value })}
    />
  );
  const number = (field: 'settleSeconds' | 'initialLookbackHours') => (invalid: boolean) => (
    <EuiFieldNumber data-test-subj={`dfpSource-${index}-${field}`} value={source[field]} isInvalid={invalid} disabled={disabled} fullWidth onChange={(e) => onChange({ ...source, [field]: e.target.value })} />
  );
  return (
    <EuiPanel hasBorder paddingSize="m" data-test-subj="dfpSourceEditor">
      <EuiFlexGroup alignItems="center" responsive={false}>
        <EuiFlexItem>
          <EuiTitle size="xxs">
            <h4>Source {index + 1}: {source.id || '(no id)'}</h4>
          </EuiTitle>
        </EuiFlexItem>
        {!disabled && (
          <EuiFlexItem grow={false}>
            <EuiButtonEmpty color="danger" iconType="trash" size="s" onClick={onRemove} aria-label={`Remove source ${source.id}`}>
              Remove
            </EuiButtonEmpty>
          </EuiFlexItem>
        )}
      </EuiFlexGroup>
      {!disabled && (
        <EuiText size="xs" color="subdued" data-test-subj="dfpSourceKeyNote">
          <p>Its jobs run with the API key shown below. Changing the profile, index pattern, user or time field, write mode or namespace gives it a new key with your own privileges when you save.</p>
        </EuiText>
      )}
      <EuiFlexGrid columns={3} gutterSize="m">
        {row('id', 'Id', 'Names its models, checkpoint and jobs; changing it starts afresh', text('id'))}
        {row('profile', 'Profile', 'How events become features: azure-signin, cloudtrail, okta, duo, generic-ecs…', text('profile', 'azure-signin'))}
        {row('index', 'Index pattern', "Empty: the profile's own (e.g. logs-azure.signinlogs-*)", text('index', "the profile's default"))}
        {row('userField', 'User field', "Empty: the profile's user fields (e.g. user.name)", text('userField', "the profile's default"))}
        {row('timeField', 'Time field', 'Orders reading and the checkpoint; event.ingested also catches late events', text('timeField'))}
        {row('writeMode', 'Write mode', 'Where dfp.* fields go', (invalid) => (
          <EuiSelect
            data-test-subj={`dfpSource-${index}-writeMode`}
            options={WRITE_MODE_OPTIONS}
            value={source.writeMode}
            isInvalid={invalid}
            disabled={disabled}
            fullWidth
            onChange={(e) => onChange({ ...source, writeMode: e.target.value as WriteMode })}
          />
        ))}
        {row('namespace', 'Namespace', 'Of logs-dfp.scores-<namespace> (scores mode)', text('namespace'))}
        {row('settleSeconds', 'Settle time (s)', 'Events newer than this wait for the next run, so late ones are not skipped', number('settleSeconds'))}
        {row('initialLookbackHours', 'First run looks back (h)', 'Where scoring starts for a source without a checkpoint', number('initialLookbackHours'))}
      </EuiFlexGrid>
    </EuiPanel>
  );
}
