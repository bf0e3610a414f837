// Live streams: publisher, codecs, bitrate, fps, players per protocol, drops, graphs of the last minutes, and kicks.
import { useId, useState } from 'react';
import { viewersOf, type PlayerProtocol, type ServerStatus, type StreamInfo } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { ActionButton } from '../../ui/ActionButton';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatBitrate, formatClock } from '../../ui/format';
import { Section } from '../../ui/Section';
import { Sparkline } from '../../ui/Sparkline';
import { useAction } from '../../ui/useAction';
import { seriesFor, type LiveStats } from './useLiveStats';

const PROTOCOL_LABELS: Record<PlayerProtocol, string> = { rtmp: 'RTMP', rtmps: 'RTMPS', 'http-flv': 'HTTP-FLV', 'ws-flv': 'WS-FLV' };

const formatViewers = (n: number) => `${Math.round(n)} ${Math.round(n) === 1 ? 'viewer' : 'viewers'}`;

function videoText(video: StreamInfo['video']): string {
  if (!video) return 'none';
  const size = video.width && video.height ? ` ${video.width}×${video.height}` : '';
  return `${video.codec}${size}`;
}

function audioText(audio: StreamInfo['audio']): string {
  if (!audio) return 'none';
  const rate = audio.sampleRate ? ` ${audio.sampleRate / 1000} kHz` : '';
  const channels = audio.channels === 1 ? ' mono' : audio.channels === 2 ? ' stereo' : audio.channels ? ` ${audio.channels} ch` : '';
  return `${audio.codec}${rate}${channels}`;
}

function KickButton({ sessionId, label, onKicked }: { sessionId: number; label: string; onKicked: (message: string) => void }) {
  const kick = useAction();
  const run = async () => {
    const kicked = await kick.run(() => airlock().invoke('server.kick', { sessionId }));
    if (kicked !== undefined) onKicked(kicked ? `Session ${sessionId} disconnected.` : `Session ${sessionId} had already left.`);
  };
  return (
    <>
      <ActionButton variant="danger" className="button-small" busy={kick.pending} onClick={run}>
        {label}
      </ActionButton>
      <ErrorNotice error={kick.error} title={`Could not disconnect session ${sessionId}`} onDismiss={kick.clearError} />
    </>
  );
}

function StreamCard({ stream, series, onKicked }: { stream: StreamInfo; series: ReturnType<typeof seriesFor>; onKicked: (message: string) => void }) {
  const headingId = useId();
  const viewers = viewersOf(stream);
  return (
    <article className="stream-card" aria-labelledby={headingId}>
      <header className="stream-header">
        <h3 id={headingId}>{stream.path}</h3>
        {stream.publisher && <KickButton sessionId={stream.publisher.sessionId} label="Kick publisher" onKicked={onKicked} />}
      </header>
      <dl className="facts stream-facts">
        <dt>Publisher</dt>
        <dd>
          {stream.publisher
            ? `${stream.publisher.address} over ${stream.publisher.protocol.toUpperCase()}, since ${formatClock(stream.publisher.since)}`
            : 'none (waiting for the publisher)'}
        </dd>
        <dt>Video</dt>
        <dd>{videoText(stream.video)}</dd>
        <dt>Frame rate</dt>
        <dd>{stream.video?.fps ? `${Math.round(stream.video.fps * 10) / 10} fps` : 'unknown'}</dd>
        <dt>Audio</dt>
        <dd>{audioText(stream.audio)}</dd>
        <dt>Bitrate</dt>
        <dd className="graph-value">
          {formatBitrate(stream.bitrateKbps)}
          <Sparkline values={series.bitrateKbps} label="Bitrate, last minutes" format={formatBitrate} />
        </dd>
        <dt>Viewers</dt>
        <dd className="graph-value">
          {formatViewers(viewers)} (
          {(Object.keys(PROTOCOL_LABELS) as PlayerProtocol[]).map((protocol) => `${PROTOCOL_LABELS[protocol]} ${stream.players[protocol] ?? 0}`).join(', ')})
          <Sparkline values={series.viewers} label="Viewers, last minutes" format={formatViewers} />
        </dd>
        <dt>Drops</dt>
        <dd>{stream.drops === 0 ? 'none' : `${stream.drops} frames skipped for slow players`}</dd>
      </dl>
      {stream.sessions.length > 0 && (
        <>
          <h4>Players</h4>
          <ul className="sessions">
            {stream.sessions.map((session) => (
              <li key={session.sessionId} aria-label={`Player ${session.address}`}>
                <span>
                  {session.address} · {PROTOCOL_LABELS[session.protocol]} · since {formatClock(session.since)}
                </span>
                <KickButton sessionId={session.sessionId} label="Kick" onKicked={onKicked} />
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

export function LiveStreams({ status, stats }: { status: ServerStatus; stats: LiveStats }) {
  const [kicked, setKicked] = useState('');
  const running = status.state === 'running';
  const streams = running ? (stats.latest?.streams ?? []) : [];
  const rtmp = status.endpoints.rtmp ?? 'rtmp://127.0.0.1:1935';
  return (
    <Section title="Live streams">
      <p role="status" className="field-hint">
        {kicked}
      </p>
      {!running ? (
        <EmptyState title="The server is not running">Start the server to accept streams; live streams show up here.</EmptyState>
      ) : streams.length === 0 ? (
        <EmptyState title="No live streams">
          Go live from the Studio screen, or point OBS at {rtmp}/live with a stream key from Keys &amp; tokens.
        </EmptyState>
      ) : (
        <div className="streams">
          {streams.map((stream) => (
            <StreamCard key={stream.path} stream={stream} series={seriesFor(stats.samples, stream.path)} onKicked={setKicked} />
          ))}
        </div>
      )}
    </Section>
  );
}
