import { LiveStream, type LiveStreamOptions, type PublisherInfo } from './live-stream';

/** The live streams of one server, by app and stream name. */
export class StreamRegistry {
  private readonly streams = new Map<string, LiveStream>();

  constructor(private readonly options: LiveStreamOptions = {}) {}

  get(app: string, name: string): LiveStream | undefined {
    return this.streams.get(`${app}/${name}`);
  }

  /** The stream a reader attaches to, created idle if nobody publishes it yet. */
  open(app: string, name: string): LiveStream {
    const key = `${app}/${name}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = new LiveStream(app, name, this.options);
      this.streams.set(key, stream);
    }
    return stream;
  }

  /** Makes `publisher` the stream's publisher, or returns null if someone already is. */
  claim(app: string, name: string, publisher: PublisherInfo): LiveStream | null {
    const stream = this.open(app, name);
    if (stream.isLive) return null;
    stream.startPublishing(publisher);
    return stream;
  }

  /** Forgets a stream that has neither a publisher nor readers. */
  release(stream: LiveStream): void {
    if (!stream.isLive && stream.readers.size === 0 && this.streams.get(stream.path) === stream) this.streams.delete(stream.path);
  }

  list(): LiveStream[] {
    return [...this.streams.values()];
  }
}
