import { useState } from 'react';
import type { CatalogConnector } from '../api/actions.js';
import { useCreateConnection, useUpdateConnection, type Connection } from '../api/connections.js';
import { SidePane } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/feedback.js';
import { fieldError } from '../ui/errors.js';
import { SecretInput, SettingInput } from './ConnectionFields.js';
import { formFields, toFormValue, toSettings } from './schema-form.js';

/**
 * Create or edit a connection in a side pane: connector, name, the connector's settings, and its
 * write-only secrets (password fields; on edit, empty keeps a secret and "Remove" deletes it).
 */
export function ConnectionForm({
  workspace,
  connectors,
  connection,
  onClose,
}: {
  workspace: string;
  connectors: CatalogConnector[];
  connection: Connection | null;
  onClose: () => void;
}) {
  const usable = connectors.filter((c) => c.connection !== 'none');
  const [connectorId, setConnectorId] = useState(connection?.connector ?? usable[0]?.id ?? '');
  const connector = connectors.find((c) => c.id === connectorId);
  const settingFields = formFields(connector?.settings);
  const secretFields = formFields(connector?.secrets);
  const [name, setName] = useState(connection?.name ?? '');
  const [description, setDescription] = useState(connection?.description ?? '');
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(settingFields.map((f) => [f.name, toFormValue(f, connection?.settings[f.name])])),
  );
  const [secrets, setSecrets] = useState<Record<string, string | null | undefined>>({});
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useCreateConnection(workspace);
  const update = useUpdateConnection(workspace);
  const mutation = connection ? update : create;

  const chooseConnector = (id: string) => {
    setConnectorId(id);
    const next = formFields(connectors.find((c) => c.id === id)?.settings);
    setValues(Object.fromEntries(next.map((f) => [f.name, toFormValue(f, undefined)])));
    setSecrets({});
  };
  const submit = () => {
    let settings: Record<string, unknown>;
    try {
      settings = toSettings(settingFields, values);
    } catch (error) {
      return setLocalError((error as Error).message);
    }
    setLocalError(null);
    const secretChanges: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(secrets)) if (value === null || value) secretChanges[key] = value;
    if (connection) {
      update.mutate({ connection, changes: { name, description, settings, secrets: secretChanges } }, { onSuccess: onClose });
    } else {
      create.mutate({ name, connector: connectorId, description, settings, secrets: secretChanges }, { onSuccess: onClose });
    }
  };
  const footer = (
    <>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
      <button type="submit" form="connection-form" className="primary" disabled={mutation.isPending || !connectorId}>
        {connection ? 'Save connection' : 'Create connection'}
      </button>
    </>
  );
  return (
    <SidePane title={connection ? `Edit ${connection.name}` : 'New connection'} onClose={onClose} footer={footer}>
      <form
        id="connection-form"
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field">
          Connector
          <select value={connectorId} disabled={Boolean(connection)} onChange={(e) => chooseConnector(e.target.value)}>
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title} ({c.id})
              </option>
            ))}
          </select>
        </label>
        {connector && <p className="muted small-print">{connector.description}</p>}
        <label className="field">
          Name
          <input
            value={name}
            required
            maxLength={200}
            placeholder="e.g. virustotal-prod"
            title="What playbooks name under connections:"
            onChange={(e) => setName(e.target.value)}
          />
          {fieldError(mutation.error, 'name') && <span className="field-error">{fieldError(mutation.error, 'name')}</span>}
        </label>
        <label className="field">
          Description
          <textarea rows={2} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {settingFields.length > 0 && (
          <fieldset className="stack">
            <legend>Settings</legend>
            {settingFields.map((f) => (
              <SettingInput
                key={`${connectorId}.${f.name}`}
                field={f}
                value={values[f.name] ?? toFormValue(f, undefined)}
                error={fieldError(mutation.error, `settings.${f.name}`)}
                onChange={(v) => setValues((all) => ({ ...all, [f.name]: v }))}
              />
            ))}
          </fieldset>
        )}
        {secretFields.length > 0 && (
          <fieldset className="stack">
            <legend>Secrets</legend>
            <p className="muted small-print">Write-only: encrypted at rest and never shown again, not even to you.</p>
            {secretFields.map((f) => (
              <SecretInput
                key={`${connectorId}.${f.name}`}
                field={f}
                isSet={connection?.secrets.includes(f.name) ?? false}
                value={secrets[f.name]}
                error={fieldError(mutation.error, `secrets.${f.name}`)}
                onChange={(v) => setSecrets((all) => ({ ...all, [f.name]: v }))}
              />
            ))}
          </fieldset>
        )}
        {localError && (
          <div className="notice error" role="alert">
            {localError}
          </div>
        )}
        <ErrorNotice error={mutation.error} what="connection" />
      </form>
    </SidePane>
  );
}
