import { useEffect, useState } from 'react';
import type { AirlockApi, ServerStatus } from '../../shared/api';

declare global {
  interface Window {
    airlock: AirlockApi;
  }
}

/** Where the embedded media server listens, or why it does not. */
export function ServerPanel() {
  const [status, setStatus] = useState<ServerStatus | null>(null);
  useEffect(() => {
    void window.airlock.serverStatus().then(setStatus);
  }, []);
  if (!status) return <p>Starting the media server…</p>;
  if (status.error) return <p role="alert">The media server could not start: {status.error}. Is another program using port 1935 or 8000?</p>;
  return (
    <main>
      <h1>Airlock Studio</h1>
      <p>Publish to {status.rtmpUrl}/live/STREAM, play over HTTP-FLV at {status.httpUrl}/live/STREAM.flv.</p>
    </main>
  );
}
