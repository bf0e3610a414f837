// Tells the user once that a damaged settings file was set aside and defaults are in use, and where the old file is.
import { useState } from 'react';

export function RecoveredSettingsBanner({ backupPath }: { backupPath: string | null }) {
  const [dismissed, setDismissed] = useState(false);
  if (!backupPath || dismissed) return null;
  return (
    <div className="notice notice-warning banner" role="alert">
      <div>
        <p className="notice-title">Your settings file was damaged, so Airlock Studio started with default settings.</p>
        <p className="notice-hint">
          The damaged file was kept at <code>{backupPath}</code>. Check your ports, RTMPS and LAN access on the Server screen.
        </p>
      </div>
      <button type="button" className="button-plain" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </div>
  );
}
