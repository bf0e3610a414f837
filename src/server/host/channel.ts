// The transports a server process talks over: a Channel for messages, a ServerChild for the parent's handle on it.
// Node's child_process.fork and Electron's utilityProcess both fit; each gets a small adapter.

/** One end of a message pipe: structured-clone or JSON-serialisable messages, nothing trusted on arrival. */
export interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The child's end: it also learns when the parent is gone, so it can stop instead of lingering. */
export interface ParentChannel extends Channel {
  onParentGone(listener: () => void): void;
  /** Lets the process end: closes the pipe so the event loop can drain. */
  close(): void;
}

/** The parent's handle on one server process. */
export interface ServerChild extends Channel {
  readonly pid: number | undefined;
  /** Fires once, when the process has ended for whatever reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
}

/** Makes a new server process each time it is called: the first start and every restart. */
export type SpawnChild = () => ServerChild;
