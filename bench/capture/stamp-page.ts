// Runs in the studio's page before its own scripts (an init script): the camera becomes a canvas that stamps each
// frame's number as a bar code, and every server preview (<video> fed by Media Source) has its frames read back, so
// a frame's capture-to-preview latency is the time from drawing its stamp to the preview presenting it.

export interface StampOptions {
  /** The global the page keeps its samples on. */
  sink: string;
  /** Draw rate of the stamped camera. */
  fps: number;
}

/** What the page collected, read by the bench with page.evaluate. */
export interface StampSamples {
  /** Frames drawn into the camera canvas so far. */
  drawn: number;
  /** Latency of each stamped frame the preview presented (first sight only), in order. */
  latenciesMs: number[];
  /** For the same frames: media the player held buffered ahead of it then (its own latency, on top of the pipeline's). */
  bufferedAheadMs: number[];
  /** Preview frames whose stamp did not decode (scaled, half-drawn or corrupt). */
  undecoded: number;
}

/**
 * The stamp: 19 square cells in a row across the top, white on 1 and black on 0: a white start cell, a black one,
 * 16 bits of the frame number (most significant first) and an even-parity cell. Cells are a 20th of the width, large
 * enough to survive H.264 at any bitrate the studio offers.
 */
export function installStampedCamera({ sink, fps }: StampOptions): void {
  const CELLS = 19;
  const BITS = 16;
  const samples: StampSamples = { drawn: 0, latenciesMs: [], bufferedAheadMs: [], undecoded: 0 };
  (window as unknown as Record<string, StampSamples>)[sink] = samples;
  const drawnAt = new Map<number, number>();
  const seen = new Set<number>();

  const cellsOf = (frame: number): number[] => {
    const bits = Array.from({ length: BITS }, (_, i) => (frame >> (BITS - 1 - i)) & 1);
    return [1, 0, ...bits, bits.reduce((a, b) => a ^ b, 0)];
  };

  /** A canvas track of `width`×`height` redrawn `fps` times a second, with moving content so the encoder has work. */
  const stampedVideo = (width: number, height: number): MediaStreamTrack => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d')!;
    const cell = Math.floor(width / (CELLS + 1));
    let frame = 0;
    setInterval(() => {
      const number = frame++ & 0xffff;
      context.fillStyle = `hsl(${(number * 3) % 360} 40% 35%)`;
      context.fillRect(0, 0, width, height);
      context.fillStyle = '#ddd';
      context.fillRect((number * 8) % width, height / 2, width / 8, height / 4);
      cellsOf(number).forEach((bit, i) => {
        context.fillStyle = bit ? '#fff' : '#000';
        context.fillRect(cell / 2 + i * cell, cell / 2, cell, cell);
      });
      drawnAt.set(number, performance.now());
      drawnAt.delete((number - 30 * fps) & 0xffff);
      samples.drawn++;
    }, 1000 / fps);
    return canvas.captureStream(fps).getVideoTracks()[0]!;
  };

  /** A 440 Hz tone, so the capture has the microphone track the studio records as Opus. */
  const tone = (): MediaStreamTrack => {
    const audio = new AudioContext();
    const oscillator = audio.createOscillator();
    const destination = audio.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    return destination.stream.getAudioTracks()[0]!;
  };

  const wanted = (value: unknown, fallback: number): number => {
    if (typeof value === 'number') return value;
    const range = value as { exact?: number; ideal?: number } | undefined;
    return range?.exact ?? range?.ideal ?? fallback;
  };

  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const video = typeof constraints?.video === 'object' ? constraints.video : {};
    const tracks = constraints?.video ? [stampedVideo(wanted(video.width, 1280), wanted(video.height, 720))] : [];
    if (constraints?.audio) tracks.push(tone());
    return new MediaStream(tracks);
  };

  /** The frame number in the stamp of the picture in `pixels` (RGBA, `width` wide), or null when it does not decode. */
  const decode = (pixels: Uint8ClampedArray, width: number): number | null => {
    const cell = Math.floor(width / (CELLS + 1));
    const luma = (x: number, y: number) => {
      const at = (y * width + x) * 4;
      return 0.299 * pixels[at]! + 0.587 * pixels[at + 1]! + 0.114 * pixels[at + 2]!;
    };
    // The mean of a 5×5 patch at each cell's centre: one pixel could be a compression artefact.
    const bits = Array.from({ length: CELLS }, (_, i) => {
      const cx = Math.floor(cell + i * cell);
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) sum += luma(cx + dx, cell + dy);
      return Number(sum / 25 > 128);
    });
    if (bits[0] !== 1 || bits[1] !== 0) return null;
    const number = bits.slice(2, 2 + BITS).reduce((value, bit) => (value << 1) | bit, 0);
    return bits.slice(2).reduce((a, b) => a ^ b, 0) === 0 ? number : null;
  };

  /** Reads every frame a Media Source preview presents (requestVideoFrameCallback), stamp row only. */
  const watch = (video: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const onFrame = () => {
      const presentedAt = performance.now();
      const { videoWidth: width, videoHeight: height } = video;
      if (width > 0) {
        canvas.width = width;
        canvas.height = Math.ceil(height / 4);
        context.drawImage(video, 0, 0);
        const number = decode(context.getImageData(0, 0, width, canvas.height).data, width);
        const drawn = number === null ? undefined : drawnAt.get(number);
        if (number === null) samples.undecoded++;
        else if (drawn !== undefined && !seen.has(number)) {
          seen.add(number);
          samples.latenciesMs.push(presentedAt - drawn);
          const { buffered } = video;
          samples.bufferedAheadMs.push(buffered.length > 0 ? (buffered.end(buffered.length - 1) - video.currentTime) * 1000 : 0);
        }
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };

  // The preview is the <video> that plays a Media Source (a blob: URL); the local camera preview uses srcObject.
  const watched = new WeakSet<HTMLVideoElement>();
  setInterval(() => {
    for (const video of document.querySelectorAll('video')) {
      if (!watched.has(video) && video.src.startsWith('blob:')) {
        watched.add(video);
        watch(video);
      }
    }
  }, 200);
}
