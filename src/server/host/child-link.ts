// The parent's side of one server process: numbered requests matched to their replies, each with a deadline.
import type { ServerChild } from './channel';
import { HostError } from './host-error';
import { RESULT_CHECKS, parseChildMessage, type HostEvent, type HostMethod, type HostRequest, type HostResults } from './protocol';

export type RequestBody<M extends HostMethod> = Omit<Extract<HostRequest, { method: M }>, 'kind' | 'id' | 'method'>;

export interface ChildExit {
  code: number | null;
  signal: string | null;
}

export interface ChildLinkHandlers {
  onEvent(event: HostEvent): void;
  /** A message from the child that is not one of the protocol's: reported, never thrown. */
  onInvalid(reason: string): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: HostError): void;
}

export class ChildLink {
  readonly exited: Promise<ChildExit>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private alive = true;

  constructor(
    readonly child: ServerChild,
    private readonly handlers: ChildLinkHandlers,
  ) {
    child.onMessage((message) => this.receive(message));
    this.exited = new Promise((resolve) =>
      child.onExit((code, signal) => {
        this.alive = false;
        const error = new HostError('HOST_NOT_RUNNING', `the server process exited (${signal ?? `code ${code}`})`);
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
        resolve({ code, signal });
      }),
    );
  }

  /** Sends one request; rejects with HOST_NOT_RUNNING if the process is or goes away, HOST_TIMEOUT after `timeoutMs`. */
  request<M extends HostMethod>(method: M, body: RequestBody<M>, timeoutMs: number): Promise<HostResults[M]> {
    if (!this.alive) return Promise.reject(new HostError('HOST_NOT_RUNNING', 'the server process has exited'));
    const id = this.nextId++;
    return new Promise<HostResults[M]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostError('HOST_TIMEOUT', `no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(id);
      };
      const check = RESULT_CHECKS[method];
      this.pending.set(id, {
        resolve: (result) => {
          settle();
          if (check(result)) resolve(result);
          else reject(new HostError('HOST_MESSAGE_INVALID', `the answer to ${method} has the wrong shape`));
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.child.send({ kind: 'request', id, method, ...body });
    });
  }

  kill(): void {
    if (this.alive) this.child.kill();
  }

  private receive(message: unknown): void {
    const parsed = parseChildMessage(message);
    if (!parsed.ok) return this.handlers.onInvalid(parsed.reason);
    const value = parsed.value;
    if (value.kind === 'event') return this.handlers.onEvent(value);
    const pending = value.id === null ? undefined : this.pending.get(value.id);
    if (!pending) return this.handlers.onInvalid(value.ok ? `a reply to no request (id ${value.id})` : `${value.error.code}: ${value.error.message}`);
    if (value.ok) pending.resolve(value.result);
    else pending.reject(new HostError(value.error.code, value.error.message));
  }
}
