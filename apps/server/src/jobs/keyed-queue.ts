/**
 * Runs tasks of one key one at a time, in arrival order; tasks of different keys run
 * concurrently. The lifecycle calls on a pipeline (deploy, stop, savepoint, restore, replace,
 * delete, restarts) go through it, so none sees another half done.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return result;
  }

  /** Waits for every task queued so far. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
