/**
 * A bounded memory of event ids, to drop events delivered twice.
 */
export class SeenIds {
  /**
   * @param capacity - how many ids to remember; the oldest are forgotten first.
   */
  constructor(readonly capacity = 200_000) {}

  /** Whether `id` was added before (and not forgotten since). */
  has(id: string): boolean {
    return this._ids.has(id);
  }

  /**
   * Remember `id`.
   *
   * @returns `true` if the id is new, `false` if it was already known.
   */
  add(id: string): boolean {
    if (this._ids.has(id)) {
      return false;
    }
    this._ids.add(id);
    if (this._ids.size > this.capacity) {
      // A Set iterates in insertion order: the first one is the oldest.
      const oldest = this._ids.values().next().value as string;
      this._ids.delete(oldest);
    }
    return true;
  }

  /** Forget everything. */
  clear(): void {
    this._ids.clear();
  }

  /** How many ids are remembered. */
  get size(): number {
    return this._ids.size;
  }

  private _ids = new Set<string>();
}
