// Which saved server settings the running server does not use yet: they apply when it next starts.
import type { ServerStatus } from '../../../../shared/ipc';
import type { ServerSettings } from '../../../../shared/settings';

const portOf = (url: string | null): number | null => {
  if (!url) return null;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : null;
};

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** Each difference in words ("RTMP port 1935 → 1940"); empty when the server runs with the saved settings. */
export function pendingChanges(settings: ServerSettings, status: ServerStatus): string[] {
  if (status.state !== 'running') return [];
  const changes: string[] = [];
  const port = (name: string, running: number | null, saved: number) => {
    if (running !== null && running !== saved) changes.push(`${name} port ${running} → ${saved}`);
  };
  port('RTMP', portOf(status.endpoints.rtmp), settings.rtmpPort);
  port('HTTP', portOf(status.endpoints.http), settings.httpPort);
  const rtmpsOn = status.endpoints.rtmps !== null;
  if (rtmpsOn !== settings.rtmpsEnabled) changes.push(`RTMPS ${onOff(rtmpsOn)} → ${onOff(settings.rtmpsEnabled)}`);
  else if (rtmpsOn) port('RTMPS', portOf(status.endpoints.rtmps), settings.rtmpsPort);
  if (status.lanExposed !== settings.lanExposed) changes.push(`LAN access ${onOff(status.lanExposed)} → ${onOff(settings.lanExposed)}`);
  return changes;
}
