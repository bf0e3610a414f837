// The measurement window, in message timestamps: the publisher and every player count the media
// messages whose timestamp falls inside it, so losses compare like with like whatever the arrival time.
export class MeasureWindow {
  private startTimestamp = Infinity;
  private endTimestamp = Infinity;

  /** Opens the window at the first timestamp after `lastSent`; it stays open-ended until closed. */
  open(lastSent: number): void {
    this.startTimestamp = lastSent + 1;
    this.endTimestamp = Infinity;
  }

  /** Closes it at the last timestamp sent: later messages fall outside. */
  close(lastSent: number): void {
    this.endTimestamp = lastSent;
  }

  includes(timestamp: number): boolean {
    return timestamp >= this.startTimestamp && timestamp <= this.endTimestamp;
  }
}
