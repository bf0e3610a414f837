// The Preview screen: plays any live stream of the embedded server (the Studio's, the test bench's, OBS's) with its measured latency.
import { useEffect, useRef, useState } from 'react';
import type { StreamInfo } from '../../../../shared/ipc';
import { defaultSettings } from '../../../../shared/settings';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { Section } from '../../ui/Section';
import { Switch } from '../../ui/Switch';
import { useAction } from '../../ui/useAction';
import { useRendered } from '../../ui/useRendered';
import { useSettings } from '../../ui/useSettings';
import { useStatsSample } from '../server/useLiveStats';
import { useServerStatus } from '../server/useServerStatus';
import { TestBenchPanel } from '../test-bench/TestBenchPanel';
import { PreviewReadouts } from './PreviewReadouts';
import { usePreviewPlayer, type PreviewPhase, type PreviewTarget } from './usePreviewPlayer';
import './preview.css';

const TRANSPORTS = { 'ws-flv': 'WebSocket-FLV', 'http-flv': 'HTTP-FLV' } as const;
const DEFAULTS = defaultSettings();

/** "app/stream" into its parts; the app is the first segment. */
function targetOf(path: string): PreviewTarget {
  const slash = path.indexOf('/');
  return { app: path.slice(0, slash), stream: path.slice(slash + 1) };
}

const livePaths = (streams: StreamInfo[] | undefined): string[] => (streams ?? []).filter((stream) => stream.publisher !== null).map((stream) => stream.path);

function phaseWords(phase: PreviewPhase, path: string, transport: keyof typeof TRANSPORTS): string {
  switch (phase) {
    case 'idle':
      return '';
    case 'connecting':
      return `Connecting to ${path}…`;
    case 'playing':
      return `Playing ${path} over ${TRANSPORTS[transport]}.`;
    case 'waiting':
      return 'Waiting for the publisher…';
  }
}

export function PreviewScreen() {
  const settings = useSettings();
  const stats = useStatsSample();
  const server = useServerStatus();
  const [selected, setSelected] = useState<string | null>(null);
  const [sound, setSound] = useState(false);
  const saveTransport = useAction();
  const video = useRef<HTMLVideoElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // Hidden behind another tab, the preview hangs up (it would count as a viewer and decode for nobody) and reconnects when shown.
  const shown = useRendered(root);

  const preview = settings.data?.preview ?? DEFAULTS.preview;
  const live = livePaths(stats?.streams);
  const selectedLive = selected !== null && live.includes(selected);
  const firstLive = live[0];
  const player = usePreviewPlayer(video, selected === null || !shown ? null : targetOf(selected), preview);
  const { retryNow, phase } = player;

  // Nothing chosen yet: play the first live stream.
  useEffect(() => {
    if (selected === null && firstLive !== undefined) setSelected(firstLive);
  }, [selected, firstLive]);
  // The publisher is back: reconnect now rather than after the backoff.
  const wasLive = useRef(selectedLive);
  useEffect(() => {
    if (selectedLive && !wasLive.current && phase === 'waiting') retryNow();
    wasLive.current = selectedLive;
  }, [selectedLive, phase, retryNow]);
  useEffect(() => {
    if (video.current) video.current.muted = !sound;
  }, [sound, selected]);

  const choices = selected !== null && !selectedLive ? [...live, selected] : live;
  const rtmp = server.data?.endpoints.rtmp ?? `rtmp://127.0.0.1:${settings.data?.server.rtmpPort ?? DEFAULTS.server.rtmpPort}`;

  return (
    <div className="screen" ref={root}>
      <h1>Preview</h1>
      <Section title="Player" description="What the embedded server actually sends, played the way a viewer gets it (WebSocket-FLV or HTTP-FLV), with its latency.">
        <div className="preview-controls">
          <Field label="Stream">
            {(control) => (
              <select {...control} value={selected ?? ''} onChange={(event) => setSelected(event.target.value || null)}>
                {selected === null && <option value="">{live.length === 0 ? 'No live stream' : 'Choose a live stream'}</option>}
                {choices.map((path) => (
                  <option key={path} value={path}>
                    {live.includes(path) ? path : `${path} (not live)`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Transport">
            {(control) => (
              <select
                {...control}
                value={preview.transport}
                disabled={settings.data === undefined}
                onChange={(event) => void saveTransport.run(() => settings.update({ preview: { transport: event.target.value as keyof typeof TRANSPORTS } }))}
              >
                {Object.entries(TRANSPORTS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Switch label="Sound" checked={sound} onChange={setSound} />
        </div>
        <ErrorNotice error={saveTransport.error} title="The transport was not saved" onDismiss={saveTransport.clearError} />

        {selected === null ? (
          <EmptyState title="No stream is live.">
            Go live from the Studio, run the test bench below, or point OBS at {rtmp}/live (Settings → Stream → Custom) with a stream key from the Keys screen.
          </EmptyState>
        ) : (
          <div className="preview-stage">
            <video ref={video} className="video" aria-label="Live preview" muted autoPlay playsInline />
            <PreviewReadouts readout={player.readout} />
            <p className="video-overlay preview-phase" role="status">
              {phaseWords(player.phase, selected, preview.transport)}
            </p>
          </div>
        )}
        <ErrorNotice error={player.problem} title="The preview could not connect" />
      </Section>
      <TestBenchPanel onStarted={({ app, stream }) => setSelected(`${app}/${stream}`)} />
    </div>
  );
}
