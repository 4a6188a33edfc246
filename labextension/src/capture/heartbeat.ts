/**
 * The `notebook_heartbeat` schedule: open notebooks say every so often that they are still
 * open, so the dashboard can tell who has an assignment open now. Pure logic over a clock.
 *
 * The rule (docs/assignments.md, "What the capture plugin sends"):
 * - every open notebook beats every `heartbeatSeconds` (from `api/v1/settings`), starting one
 *   interval after it opened (its `notebook_opened` event counts as the first sign of life);
 *   a server whose settings do not announce `heartbeatSeconds` gets none;
 * - a notebook stops beating when it closes (its `notebook_closed` event says so);
 * - while the browser tab is hidden, beats go on for {@link HIDDEN_GRACE_MS}, then pause: a
 *   student who left the tab in the background for long no longer counts as working on it (the
 *   server shows them as not open after two missed beats); the first beat comes as soon as the
 *   tab is visible again.
 */
import type { IClock } from './outbox';

/** How long beats go on in a hidden tab, in ms. */
export const HIDDEN_GRACE_MS = 5 * 60 * 1000;

/** Options of a {@link Heartbeat}. */
export interface IHeartbeatOptions<K> {
  clock: IClock;
  /** The interval between beats, in ms; `null` for no beats (until one is set). */
  intervalMs: number | null;
  /** Send one notebook's beat. */
  beat: (notebook: K) => void;
  /** How long beats go on in a hidden tab, in ms ({@link HIDDEN_GRACE_MS} by default). */
  hiddenGraceMs?: number;
}

/**
 * The beats of the open notebooks of one page (one timer for all of them).
 */
export class Heartbeat<K> {
  constructor(private readonly options: IHeartbeatOptions<K>) {
    this._intervalMs = options.intervalMs;
  }

  /** Whether beats are paused because the tab has been hidden for long. */
  get paused(): boolean {
    return this._paused;
  }

  /** The interval between beats, in ms, `null` when there are none. */
  get intervalMs(): number | null {
    return this._intervalMs;
  }

  /**
   * Beat every `ms` from now on (the next beat comes one new interval from now); `null` stops
   * the beats.
   */
  setInterval(ms: number | null): void {
    if (ms === this._intervalMs) {
      return;
    }
    this._intervalMs = ms;
    this._stop();
    this._schedule();
  }

  /** A notebook opened: it beats from one interval on. */
  open(notebook: K): void {
    this._open.add(notebook);
    this._schedule();
  }

  /** A notebook closed: it beats no more. */
  close(notebook: K): void {
    this._open.delete(notebook);
    if (this._open.size === 0) {
      this._stop();
    }
  }

  /** The tab was hidden (`true`) or shown again (`false`). */
  setHidden(hidden: boolean): void {
    if (hidden) {
      this._hiddenSince ??= this.options.clock.now();
      return;
    }
    this._hiddenSince = null;
    if (this._paused) {
      this._paused = false;
      this._beatAll();
      this._schedule();
    }
  }

  /** Stop beating. */
  dispose(): void {
    this._open.clear();
    this._stop();
  }

  private _schedule(): void {
    const interval = this._intervalMs;
    if (
      interval === null ||
      this._timer !== null ||
      this._paused ||
      this._open.size === 0
    ) {
      return;
    }
    this._timer = this.options.clock.setTimeout(() => this._tick(), interval);
  }

  private _tick(): void {
    this._timer = null;
    const grace = this.options.hiddenGraceMs ?? HIDDEN_GRACE_MS;
    if (
      this._hiddenSince !== null &&
      this.options.clock.now() - this._hiddenSince >= grace
    ) {
      this._paused = true;
      return;
    }
    this._beatAll();
    this._schedule();
  }

  private _beatAll(): void {
    for (const notebook of [...this._open]) {
      this.options.beat(notebook);
    }
  }

  private _stop(): void {
    if (this._timer !== null) {
      this.options.clock.clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _intervalMs: number | null;
  private _open = new Set<K>();
  private _timer: unknown = null;
  private _hiddenSince: number | null = null;
  private _paused = false;
}
