/**
 * The outbox: events wait in browser storage until the server has answered
 * 202 for them, so a network failure, a server restart or a page reload loses
 * nothing.
 *
 * Pure logic: storage, clock, transport and logger are injected, so the
 * behaviour is unit-tested without a browser or a server.
 */
import { backoffDelay, DEFAULT_BACKOFF, IBackoffOptions } from '../backoff';

/** What the outbox needs of an event. */
export interface IOutboxItem {
  /** The idempotency key: the server stores a retried event once. */
  eventId: string;
}

/** The subset of the Web Storage API the outbox uses (`localStorage` fits). */
export interface IOutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Time and timers (`window` fits, a fake clock in tests). */
export interface IClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The server's answer to one batch. */
export interface ISendResult {
  /** HTTP status. */
  status: number;
  /** The `Retry-After` delay, in ms, when the server gave one. */
  retryAfterMs?: number;
  /** The decoded JSON body, when there was one. */
  body?: unknown;
}

/** How batches reach the server. */
export interface IOutboxTransport<T extends IOutboxItem> {
  /**
   * POST a batch.
   *
   * @param events - the batch, in capture order
   * @param options.keepalive - the page is going away: the request must outlive it
   * @returns the answer; rejects when the server could not be reached
   */
  send(
    events: readonly T[],
    options: { keepalive: boolean }
  ): Promise<ISendResult>;
}

/** Where the outbox reports dropped events. */
export interface IOutboxLogger {
  warn(message: string, ...details: unknown[]): void;
}

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

/** The storage key of the outbox of the server at `baseUrl`. */
export function outboxStorageKey(baseUrl: string): string {
  return `progress-tracker:outbox:${baseUrl}`;
}

/** Statuses after which a batch is sent again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status < 200;
}

function rejectedIndices(body: unknown): Set<number> {
  const indices = new Set<number>();
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) {
    for (const error of errors) {
      const index = (error as { index?: unknown })?.index;
      if (typeof index === 'number' && Number.isInteger(index)) {
        indices.add(index);
      }
    }
  }
  return indices;
}

function parseQueue<T extends IOutboxItem>(
  raw: string | null,
  logger: IOutboxLogger
): T[] {
  if (!raw) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    logger.warn(
      'progress-tracker: the stored outbox is not valid JSON; it is discarded.',
      error
    );
    return [];
  }
  if (!Array.isArray(parsed)) {
    return [];
  }
  return parsed.filter(
    (item): item is T =>
      item !== null &&
      typeof item === 'object' &&
      typeof (item as IOutboxItem).eventId === 'string'
  );
}

/**
 * A persistent queue of events that sends them in batches.
 *
 * - An event is kept until the server answers 2xx for a batch holding it.
 * - A batch leaves when `maxBatchEvents` events wait, or `flushIntervalMs`
 *   after the first of them was added.
 * - Server errors (5xx), 408, 429 and network failures are retried with
 *   exponential backoff and jitter (at least `Retry-After` when given).
 * - Other 4xx answers drop the batch with a warning, as sending it again would
 *   fail again; a 422 drops only the events the server named, and a 413 makes
 *   batches smaller instead.
 * - Storage is read before every change, so several pages of the same server
 *   share one queue; the server de-duplicates on `eventId`.
 */
export class Outbox<T extends IOutboxItem> {
  private readonly storageKey: string;
  private readonly storage: IOutboxStorage;
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

  private memory: T[] = [];
  private storageBroken = false;
  private readonly inFlight = new Set<string>();
  private sending = false;
  private failures = 0;
  private retryAt = 0;
  private timer: unknown = null;
  private timerDue = Infinity;
  private disposed = false;

  constructor(options: IOutboxOptions<T>) {
    this.storageKey = options.storageKey;
    this.storage = options.storage;
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
    this.memory = this.read();
    if (this.memory.length > 0) {
      // Events left by an earlier page (reload, crash): send them now.
      this.schedule(0);
    }
  }

  /** How many events wait (including those being sent). */
  get size(): number {
    return this.read().length;
  }

  /** The waiting events, oldest first. */
  pending(): T[] {
    return this.read();
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
    const queue = this.read();
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
    this.write(queue);
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
    let budget = this.keepaliveMaxBytes;
    let batch: T[] = [];
    let batchBytes = 2;
    const batches: T[][] = [];
    for (const event of this.unsent()) {
      const bytes = JSON.stringify(event).length + 1;
      if (bytes + 2 > budget) {
        break;
      }
      if (batch.length >= this.batchLimit || batchBytes + bytes > budget) {
        batches.push(batch);
        budget -= batchBytes;
        batch = [];
        batchBytes = 2;
        if (bytes + 2 > budget) {
          break;
        }
      }
      batch.push(event);
      batchBytes += bytes;
    }
    if (batch.length > 0) {
      batches.push(batch);
    }
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
    return this.read().filter(event => !this.inFlight.has(event.eventId));
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
    if (result === null) {
      this.deferRetry(undefined);
      return;
    }
    const { status } = result;
    if (status >= 200 && status < 300) {
      this.remove(new Set(ids));
      this.failures = 0;
      this.retryAt = 0;
      return;
    }
    if (isRetryableStatus(status)) {
      this.deferRetry(result.retryAfterMs);
      return;
    }
    if (status === 413 && batch.length > 1) {
      // The server takes smaller batches than configured: halve and retry.
      this.batchLimit = Math.max(1, Math.floor(batch.length / 2));
      return;
    }
    if (status === 422) {
      const rejected = rejectedIndices(result.body);
      if (rejected.size > 0 && rejected.size < batch.length) {
        const dropped = batch.filter((_, index) => rejected.has(index));
        this.logger.warn(
          `progress-tracker: the server rejected ${dropped.length} invalid event(s); they are dropped and the rest sent again.`,
          result.body,
          dropped
        );
        this.remove(new Set(dropped.map(event => event.eventId)));
        return;
      }
    }
    this.logger.warn(
      `progress-tracker: the server refused a batch of ${batch.length} event(s) with HTTP ${status}; it is dropped.`,
      result.body,
      batch
    );
    this.remove(new Set(ids));
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

  private remove(ids: Set<string>): void {
    this.write(this.read().filter(event => !ids.has(event.eventId)));
  }

  private read(): T[] {
    if (this.storageBroken) {
      return [...this.memory];
    }
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.storageKey);
    } catch (error) {
      // Storage disabled by the browser: keep what this page knows.
      this.storageBroken = true;
      this.logger.warn(
        'progress-tracker: browser storage is unavailable; unsent events are kept in memory only.',
        error
      );
      return [...this.memory];
    }
    this.memory = parseQueue<T>(raw, this.logger);
    return [...this.memory];
  }

  private write(queue: T[]): void {
    this.memory = queue;
    if (this.storageBroken) {
      return;
    }
    try {
      if (queue.length === 0) {
        this.storage.removeItem(this.storageKey);
      } else {
        this.storage.setItem(this.storageKey, JSON.stringify(queue));
      }
    } catch (error) {
      this.storageBroken = true;
      this.logger.warn(
        'progress-tracker: browser storage is full or unavailable; unsent events are kept in memory only.',
        error
      );
    }
  }
}
