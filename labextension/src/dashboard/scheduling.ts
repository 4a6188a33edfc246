/**
 * Coalescing of frequent work: per animation frame, or after a quiet period.
 */

/**
 * Collects items and hands them over in one batch per animation frame.
 */
export class FrameBatcher<T> {
  /**
   * @param flush - receives every item queued since the previous frame, in order.
   * @param requestFrame - `requestAnimationFrame` by default.
   */
  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly requestFrame: (cb: () => void) => unknown = cb =>
      requestAnimationFrame(() => cb())
  ) {}

  /** Queue items for the next frame (any number: a replay can bring thousands). */
  push(items: readonly T[]): void {
    for (const item of items) {
      this._items.push(item);
    }
    this.schedule();
  }

  /** Make sure a flush happens on the next frame, even with no item queued. */
  schedule(): void {
    if (this._scheduled || this._disposed) {
      return;
    }
    this._scheduled = true;
    this.requestFrame(() => {
      this._scheduled = false;
      if (this._disposed) {
        return;
      }
      const items = this._items;
      this._items = [];
      this.flush(items);
    });
  }

  /** Drop the queued items. */
  clear(): void {
    this._items = [];
  }

  /** Drop queued items and stop flushing. */
  dispose(): void {
    this._disposed = true;
    this._items = [];
  }

  private _items: T[] = [];
  private _scheduled = false;
  private _disposed = false;
}

/**
 * Runs `fn` once calls stop coming for `waitMs`, but at least every `maxWaitMs` while
 * they keep coming.
 */
export class Debouncer {
  constructor(
    private readonly fn: () => void,
    private readonly waitMs: number,
    private readonly maxWaitMs: number = waitMs * 4
  ) {}

  /** Ask for a run. */
  call(): void {
    if (this._disposed) {
      return;
    }
    const now = Date.now();
    if (this._firstCall === null) {
      this._firstCall = now;
    }
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    const wait = Math.max(
      0,
      Math.min(this.waitMs, this._firstCall + this.maxWaitMs - now)
    );
    this._timer = setTimeout(() => this._run(), wait);
  }

  /** Cancel a pending run. */
  dispose(): void {
    this._disposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = null;
  }

  private _run(): void {
    this._timer = null;
    this._firstCall = null;
    this.fn();
  }

  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _firstCall: number | null = null;
  private _disposed = false;
}
