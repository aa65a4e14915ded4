/**
 * The state keys (`end|key`) of the live windows or panes of an operator whose state is keyed by
 * window end and record key, by end and key string: each made once when its window opens instead
 * of once per record. A string built per lookup had its hash computed anew, and with event times in
 * epoch milliseconds (13-digit ends) it was a rope, first flattened: ~5× the cost of the two Map
 * lookups here (docs/performance.md, "A window's state keys"). Only keys are kept, never state
 * values (an on-disk backend owns those: KeyedStateBackend.settle).
 */
export class EndKeys {
  private readonly byEnd = new Map<number, Map<string, string>>();

  /** The kept state key of `end` and `keyString` (undefined: none yet — `make` it, and `keep` it once its state is stored). */
  get(end: number, keyString: string): string | undefined {
    return this.byEnd.get(end)?.get(keyString);
  }

  /** The state key as the operator writes it. */
  static make(end: number, keyString: string): string {
    return `${end}|${keyString}`;
  }

  keep(end: number, keyString: string, stateKey: string): void {
    let byKey = this.byEnd.get(end);
    if (byKey === undefined) this.byEnd.set(end, (byKey = new Map()));
    byKey.set(keyString, stateKey);
  }

  /** One window or pane left state. */
  forget(end: number, stateKey: string): void {
    const byKey = this.byEnd.get(end);
    if (byKey === undefined) return;
    byKey.delete(stateKey.slice(String(end).length + 1));
    if (byKey.size === 0) this.byEnd.delete(end);
  }

  /** Every window of `end` left state. */
  forgetEnd(end: number): void {
    this.byEnd.delete(end);
  }
}
