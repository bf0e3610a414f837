// The zero-latency local preview: the camera's MediaStream straight on a muted <video>, no encoder in between.
import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../ui/ErrorNotice';
import type { Problem } from './go-live-machine';

interface LocalPreviewProps {
  stream: MediaStream | null;
  problem: Problem | null;
  onRetry: () => void;
}

export function LocalPreview({ stream, problem, onRetry }: LocalPreviewProps) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (element === null) return;
    element.muted = true;
    element.srcObject = stream;
  }, [stream]);
  return (
    <div className="local-preview">
      <video ref={video} className="video" aria-label="Camera preview" muted autoPlay playsInline />
      {stream === null && problem === null && (
        <p className="video-overlay" role="status">
          Opening the camera…
        </p>
      )}
      {problem !== null && (
        <div className="video-overlay">
          <ErrorNotice error={problem} />
          <button type="button" className="button-secondary" onClick={onRetry}>
            Try the camera again
          </button>
        </div>
      )}
    </div>
  );
}
