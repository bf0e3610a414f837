// A Logger that keeps every line, so tests can assert what the server logged and wait for a line.
import type { Logger } from '../../src/server/log';
import { Watch } from './wait';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: Record<string, unknown>;
}

export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];
  private readonly watch = new Watch();

  info(event: string, fields: Record<string, unknown> = {}): void {
    this.add({ level: 'info', event, fields });
  }

  warn(event: string, fields: Record<string, unknown> = {}): void {
    this.add({ level: 'warn', event, fields });
  }

  error(event: string, fields: Record<string, unknown> = {}): void {
    this.add({ level: 'error', event, fields });
  }

  /** Lines of this event whose fields include every field of `match`. */
  find(event: string, match: Record<string, unknown> = {}): LogLine[] {
    return this.lines.filter((line) => line.event === event && Object.entries(match).every(([key, value]) => line.fields[key] === value));
  }

  /** The first line of this event matching `match`, as soon as it is logged. */
  waitFor(event: string, match: Record<string, unknown> = {}, timeoutMs = 5000): Promise<LogLine> {
    return this.watch.until(() => this.find(event, match)[0], `log line ${event} ${JSON.stringify(match)}`, timeoutMs);
  }

  private add(line: LogLine): void {
    this.lines.push(line);
    this.watch.notify();
  }
}
