// The bottom line of the window: the server at a glance, and whether secrets are really protected on this system.
import type { ReactNode } from 'react';
import type { AppInfo } from '../../../../shared/ipc';

export function StatusBar({ info, server }: { info: AppInfo | undefined; server: ReactNode }) {
  const warning = info?.secretStorage.warning;
  return (
    <footer className="status-bar">
      {server}
      {warning && (
        <span className="status-item status-warning" role="note">
          <span aria-hidden="true">⚠ </span>
          {warning}
        </span>
      )}
      {info && <span className="status-item status-version">Airlock Studio {info.version}</span>}
    </footer>
  );
}
