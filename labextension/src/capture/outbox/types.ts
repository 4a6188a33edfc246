/**
 * What the outbox works with: its events, storage, clock, transport and logger, all injected
 * (a browser's in the plugin, doubles in the specifications).
 */

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
