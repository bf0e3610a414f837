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
    return (
      <div className="screen">
        <h1>Server</h1>
        {status.error ? <ErrorNotice error={status.error} title="Could not read the server's state" onRetry={status.reload} /> : <Loading what="the server's state" />}
      </div>
    );
  }
  return (
    <div className="screen">
      <h1>Server</h1>
      <ServerControl status={status.data} onStatus={status.setData} />
      <LiveStreams status={status.data} stats={stats} />
      {settings.data ? (
        <ConnectionSettings settings={settings.data} status={status.data} update={settings.update} onStatus={status.setData} />
      ) : settings.error ? (
        <ErrorNotice error={settings.error} title="Could not read the connection settings" onRetry={settings.reload} />
      ) : (
        <Loading what="the connection settings" />
      )}
      <CertificatePanel certificate={status.data.certificate} />
      <AccessLog />
    </div>
  );
}
