// Runs a service's changes one at a time, in the order asked: a start never overtakes a stop, a save never races a save.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it has settled; a failure reaches its caller only, not the next. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when everything queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
