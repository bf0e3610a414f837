// Ports, RTMPS and LAN access: saved settings that the server takes up when it next starts (with a restart offered).
import { useRef, useState, type FormEvent } from 'react';
import type { ServerStatus } from '../../../../shared/ipc';
import type { Settings } from '../../../../shared/settings';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, focusFirstInvalid } from '../../ui/Field';
import { Section } from '../../ui/Section';
import { Switch } from '../../ui/Switch';
import { useAction } from '../../ui/useAction';
import type { SettingsPatch } from '../../ui/useSettings';
import { pendingChanges } from './pendingChanges';
import { checkPorts, draftOf, PORT_LABELS, type PortDraft, type PortErrors, type PortName } from './portForm';

interface ConnectionSettingsProps {
  settings: Settings;
  status: ServerStatus;
  update: (patch: SettingsPatch) => Promise<Settings>;
  onStatus: (status: ServerStatus) => void;
}

function RestartNotice({ changes, onStatus }: { changes: string[]; onStatus: (status: ServerStatus) => void }) {
  const restart = useAction();
  const run = () =>
    restart.run(async () => {
      onStatus(await airlock().invoke('server.stop'));
      onStatus(await airlock().invoke('server.start'));
    });
  if (changes.length === 0 && !restart.error) return null;
  return (
    <div className="notice notice-info">
      {changes.length > 0 && (
        <div>
          <p className="notice-title">The running server still uses the previous settings: {changes.join(', ')}.</p>
          <p className="notice-hint">Restart it to apply them; streams and players connected now will be disconnected.</p>
        </div>
      )}
      {changes.length > 0 && (
        <ActionButton variant="primary" busy={restart.pending} onClick={run}>
          Restart server
        </ActionButton>
      )}
      <ErrorNotice error={restart.error} title="Could not restart the server" onDismiss={restart.clearError} />
    </div>
  );
}

export function ConnectionSettings({ settings, status, update, onStatus }: ConnectionSettingsProps) {
  const server = settings.server;
  const [draft, setDraft] = useState<PortDraft | null>(null);
  const [errors, setErrors] = useState<PortErrors>({});
  const [saved, setSaved] = useState(false);
  const saving = useAction();
  const toggling = useAction();
  const form = useRef<HTMLFormElement>(null);
  const shown = draft ?? draftOf(server);

  const edit = (name: PortName, value: string) => {
    setDraft({ ...shown, [name]: value });
    setSaved(false);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkPorts(shown, server.rtmpsEnabled);
    if ('errors' in checked) {
      setErrors(checked.errors);
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    const done = await saving.run(() => update({ server: checked.ports }));
    if (done) {
      setDraft(null);
      setSaved(true);
    }
  };

  const toggle = (patch: NonNullable<SettingsPatch['server']>) => {
    setSaved(false);
    void toggling.run(() => update({ server: patch }));
  };

  const openPolicy = settings.policy.publish === 'open' || settings.policy.play === 'open';

  return (
    <Section title="Connection settings" description="Ports, RTMPS and LAN access apply when the server next starts.">
      <RestartNotice changes={pendingChanges(server, status)} onStatus={onStatus} />
      <div className="switches">
        <Switch
          label="RTMPS"
          checked={server.rtmpsEnabled}
          onChange={(rtmpsEnabled) => toggle({ rtmpsEnabled })}
          description="Encrypted RTMP (rtmps://) on its own port, with the certificate below. OBS and ffmpeg support it."
        />
        <Switch
          label="LAN access"
          checked={server.lanExposed}
          onChange={(lanExposed) => toggle({ lanExposed })}
          description={
            server.lanExposed
              ? 'On: other devices on your network can connect to this server.'
              : 'Off: only this computer can connect (127.0.0.1). Turn on to let other devices on your network publish or play.'
          }
        />
      </div>
      {server.lanExposed && openPolicy && (
        <p className="notice notice-warning">
          Some streams can be published or played without a key or token, and LAN access is on: anyone on your network can use them. Turn LAN access off unless everyone on your network may.
        </p>
      )}
      <ErrorNotice error={toggling.error} title="Could not save the setting" onDismiss={toggling.clearError} />
      <form ref={form} className="form-row" onSubmit={save} noValidate aria-label="Ports">
        {(Object.keys(PORT_LABELS) as PortName[]).map((name) => (
          <Field key={name} label={PORT_LABELS[name]} error={errors[name]}>
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={1}
                max={65535}
                value={shown[name]}
                disabled={name === 'rtmpsPort' && !server.rtmpsEnabled}
                onChange={(event) => edit(name, event.target.value)}
              />
            )}
          </Field>
        ))}
        <div className="form-actions">
          <ActionButton type="submit" variant="primary" busy={saving.pending} disabled={draft === null}>
            Save ports
          </ActionButton>
          {draft !== null && (
            <button
              type="button"
              className="button-plain"
              onClick={() => {
                setDraft(null);
                setErrors({});
              }}
            >
              Discard changes
            </button>
          )}
        </div>
      </form>
      <p role="status" className="field-hint">
        {saved ? 'Ports saved. They apply when the server next starts.' : ''}
      </p>
      <ErrorNotice error={saving.error} title="Could not save the ports" onDismiss={saving.clearError} />
    </Section>
  );
}
