// The Server screen: lifecycle, connection settings, certificate, live streams and the access log.
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Loading } from '../../ui/Loading';
import { useSettings } from '../../ui/useSettings';
import { AccessLog } from './AccessLog';
import { CertificatePanel } from './CertificatePanel';
import { ConnectionSettings } from './ConnectionSettings';
import { LiveStreams } from './LiveStreams';
import { ServerControl } from './ServerControl';
import { useLiveStats } from './useLiveStats';
import { useServerStatus } from './useServerStatus';

export function ServerScreen() {
  const status = useServerStatus();
  const settings = useSettings();
  const stats = useLiveStats();

  if (!status.data) {
    return status.error ? (
      <div className="screen">
        <h1>Server</h1>
        <ErrorNotice error={status.error} title="Could not read the server's state" />
        <button type="button" className="button-secondary" onClick={status.reload}>
          Try again
        </button>
      </div>
    ) : (
      <Loading what="the server's state" />
    );
  }
  return (
    <div className="screen">
      <h1>Server</h1>
      <ServerControl status={status.data} onStatus={status.setData} />
      <LiveStreams status={status.data} stats={stats} />
      {settings.data ? (
        <ConnectionSettings settings={settings.data} status={status.data} update={settings.update} onStatus={status.setData} />
      ) : (
        <ErrorNotice error={settings.error} title="Could not read the settings" />
      )}
      <CertificatePanel certificate={status.data.certificate} />
      <AccessLog />
    </div>
  );
}
