/**
 * The outbox: events wait in browser storage until the server has answered
 * 202 for them, so a network failure, a server restart or a page reload loses
 * nothing. This module decides when batches leave; {@link StoredQueue} keeps
 * them, {@link judge} reads the server's answers.
 *
 * Pure logic: storage, clock, transport and logger are injected, so the
 * behaviour is unit-tested without a browser or a server.
 */
import { backoffDelay, DEFAULT_BACKOFF, IBackoffOptions } from '../../backoff';
import { judge } from './answers';
import { keepaliveBatches } from './keepalive';
import { StoredQueue } from './store';
import type {
  IClock,
  IOutboxItem,
  IOutboxLogger,
  IOutboxStorage,
  IOutboxTransport,
  ISendResult
} from './types';

/** Options of an {@link Outbox}. */
export interface IOutboxOptions<T extends IOutboxItem> {
  /** Storage key; one per server, e.g. from the base URL ({@link outboxStorageKey}). */
  storageKey: string;
  storage: IOutboxStorage;
  transport: IOutboxTransport<T>;
  clock: IClock;
  /** Numbers in [0, 1) for the backoff jitter. */
  random?: () => number;
  logger?: IOutboxLogger;
  /** A batch is sent as soon as this many events wait. */
  maxBatchEvents?: number;
  /** A batch is sent at most this long after its first event was added, in ms. */
  flushIntervalMs?: number;
  /** Most events kept; past it the oldest are dropped. */
  maxStoredEvents?: number;
  /** Retry schedule after server or network errors. */
  backoff?: IBackoffOptions;
  /** Body budget of the requests sent while the page goes away (browsers allow 64 KiB). */
  keepaliveMaxBytes?: number;
}

/** Tunable options, e.g. from the server's settings. */
export type OutboxTuning = Partial<
  Pick<IOutboxOptions<IOutboxItem>, 'maxBatchEvents' | 'flushIntervalMs'>
>;

/**
 * A persistent queue of events that sends them in batches.
 *
 * - An event is kept until the server answers 2xx for a batch holding it.
 * - A batch leaves when `maxBatchEvents` events wait, or `flushIntervalMs`
 *   after the first of them was added.
 * - Server errors (5xx), 408, 429 (a rate limit) and network failures are
 *   retried with exponential backoff and jitter (at least `Retry-After` when
 *   given).
 * - Other 4xx answers drop the batch with a warning, as sending it again would
 *   fail again; a 422 drops only the events the server named, and a 413 makes
 *   batches smaller instead.
 * - Storage is read before every change, so several pages of the same server
 *   share one queue; the server de-duplicates on `eventId`.
 */
export class Outbox<T extends IOutboxItem> {
  private readonly queue: StoredQueue<T>;
  private readonly transport: IOutboxTransport<T>;
  private readonly clock: IClock;
  private readonly random: () => number;
  private readonly logger: IOutboxLogger;
  private readonly maxStoredEvents: number;
  private readonly backoff: IBackoffOptions;
  private readonly keepaliveMaxBytes: number;
  private maxBatchEvents: number;
  private flushIntervalMs: number;
  /** Batch size in use: smaller than `maxBatchEvents` after a 413. */
  private batchLimit: number;

  private readonly inFlight = new Set<string>();
  private sending = false;
  private failures = 0;
  private retryAt = 0;
  private timer: unknown = null;
  private timerDue = Infinity;
  private disposed = false;

  constructor(options: IOutboxOptions<T>) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? console;
    this.maxBatchEvents = Math.max(1, options.maxBatchEvents ?? 100);
    this.batchLimit = this.maxBatchEvents;
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 2000);
    this.maxStoredEvents = Math.max(1, options.maxStoredEvents ?? 10_000);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.keepaliveMaxBytes = options.keepaliveMaxBytes ?? 60_000;
    this.queue = new StoredQueue<T>(
      options.storage,
      options.storageKey,
      this.logger
    );
    if (this.queue.read().length > 0) {
      // Events left by an earlier page (reload, crash): send them now.
      this.schedule(0);
    }
  }

  /** How many events wait (including those being sent). */
  get size(): number {
    return this.queue.read().length;
  }

  /** The waiting events, oldest first. */
  pending(): T[] {
    return this.queue.read();
  }

  /** Change batch size and interval (e.g. when the server's settings arrive). */
  configure(tuning: OutboxTuning): void {
    if (tuning.maxBatchEvents !== undefined) {
      this.maxBatchEvents = Math.max(1, tuning.maxBatchEvents);
      this.batchLimit = this.maxBatchEvents;
    }
    if (tuning.flushIntervalMs !== undefined) {
      this.flushIntervalMs = Math.max(0, tuning.flushIntervalMs);
    }
    this.scheduleNext();
  }

  /** Queue an event; it is stored before this returns. */
  add(event: T): void {
    if (this.disposed) {
      return;
    }
    const queue = this.queue.read();
    if (queue.some(item => item.eventId === event.eventId)) {
      return;
    }
    queue.push(event);
    const excess = queue.length - this.maxStoredEvents;
    if (excess > 0) {
      const dropped = queue.splice(0, excess);
      this.logger.warn(
        `progress-tracker: the outbox holds more than ${this.maxStoredEvents} unsent events; dropped the ${excess} oldest.`,
        dropped.map(item => item.eventId)
      );
    }
    this.queue.write(queue);
    this.scheduleNext();
  }

  /**
   * Send the next batch now, unless one is on its way or the outbox is
   * waiting before a retry.
   *
   * @returns when the batch (and any follow-up batch) has been answered
   */
  async flush(): Promise<void> {
    if (this.disposed || this.sending || this.clock.now() < this.retryAt) {
      return;
    }
    const batch = this.unsent().slice(0, this.batchLimit);
    if (batch.length === 0) {
      return;
    }
    this.clearTimer();
    this.sending = true;
    try {
      await this.sendBatch(batch, false);
    } finally {
      this.sending = false;
    }
    this.scheduleNext();
  }

  /**
   * Hand every unsent event to requests that outlive the page (within the
   * browser's keepalive budget). Call on `pagehide` and when the page becomes
   * hidden. Events stay stored until answered, so whatever does not arrive is
   * sent again by the next page.
   */
  flushOnPageHide(): void {
    if (this.disposed) {
      return;
    }
    const batches = keepaliveBatches(
      this.unsent(),
      this.batchLimit,
      this.keepaliveMaxBytes
    );
    for (const each of batches) {
      void this.sendBatch(each, true).then(() => this.scheduleNext());
    }
  }

  /** Stop the timers; stored events stay for the next page. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private unsent(): T[] {
    return this.queue.read().filter(event => !this.inFlight.has(event.eventId));
  }

  private async sendBatch(batch: T[], keepalive: boolean): Promise<void> {
    const ids = batch.map(event => event.eventId);
    ids.forEach(id => this.inFlight.add(id));
    let result: ISendResult | null = null;
    try {
      result = await this.transport.send(batch, { keepalive });
    } catch {
      // Unreachable server: retried below.
      result = null;
    } finally {
      ids.forEach(id => this.inFlight.delete(id));
    }
    const verdict = judge(batch, result);
    switch (verdict.kind) {
      case 'sent':
        this.queue.remove(new Set(ids));
        this.failures = 0;
        this.retryAt = 0;
        return;
      case 'retry':
        this.deferRetry(verdict.retryAfterMs);
        return;
      case 'shrink':
        this.batchLimit = verdict.limit;
        return;
      case 'drop':
        this.logger.warn(
          verdict.partial
            ? `progress-tracker: the server rejected ${verdict.events.length} invalid event(s); they are dropped and the rest sent again.`
            : `progress-tracker: the server refused a batch of ${batch.length} event(s) with HTTP ${result?.status}; it is dropped.`,
          result?.body,
          verdict.events
        );
        this.queue.remove(new Set(verdict.events.map(event => event.eventId)));
    }
  }

  private deferRetry(retryAfterMs: number | undefined): void {
    const delay = Math.max(
      retryAfterMs ?? 0,
      backoffDelay(this.failures, this.backoff, this.random)
    );
    this.failures += 1;
    this.retryAt = this.clock.now() + delay;
  }

  /** Arm the timer for the next batch, if anything waits. */
  private scheduleNext(): void {
    if (this.disposed || this.sending) {
      return;
    }
    const waiting = this.unsent().length;
    if (waiting === 0) {
      this.clearTimer();
      return;
    }
    const now = this.clock.now();
    if (now < this.retryAt) {
      this.schedule(this.retryAt - now, true);
    } else if (waiting >= this.batchLimit || this.failures > 0) {
      this.schedule(0);
    } else {
      this.schedule(this.flushIntervalMs);
    }
  }

  /** Run `flush` in `delay` ms, unless it is due earlier already. */
  private schedule(delay: number, replace = false): void {
    const due = this.clock.now() + delay;
    if (this.timer !== null && this.timerDue <= due && !replace) {
      return;
    }
    this.clearTimer();
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.flush();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
      this.timerDue = Infinity;
    }
  }
}
