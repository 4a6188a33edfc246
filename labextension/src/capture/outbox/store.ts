/**
 * The outbox's queue in browser storage: one JSON list per server, read before every change
 * so that several pages of the same server share it.
 */
import type { IOutboxItem, IOutboxLogger, IOutboxStorage } from './types';

/** The storage key of the outbox of the server at `baseUrl`. */
export function outboxStorageKey(baseUrl: string): string {
  return `progress-tracker:outbox:${baseUrl}`;
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
 * A list of events kept under one storage key, in memory only once the browser refuses
 * storage (disabled, or full).
 */
export class StoredQueue<T extends IOutboxItem> {
  constructor(
    private readonly storage: IOutboxStorage,
    private readonly key: string,
    private readonly logger: IOutboxLogger
  ) {}

  /** The events, oldest first, as stored now. */
  read(): T[] {
    if (this._broken) {
      return [...this._memory];
    }
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch (error) {
      // Storage disabled by the browser: keep what this page knows.
      this._broken = true;
      this.logger.warn(
        'progress-tracker: browser storage is unavailable; unsent events are kept in memory only.',
        error
      );
      return [...this._memory];
    }
    this._memory = parseQueue<T>(raw, this.logger);
    return [...this._memory];
  }

  /** Store `queue` in place of the events stored. */
  write(queue: T[]): void {
    this._memory = queue;
    if (this._broken) {
      return;
    }
    try {
      if (queue.length === 0) {
        this.storage.removeItem(this.key);
      } else {
        this.storage.setItem(this.key, JSON.stringify(queue));
      }
    } catch (error) {
      this._broken = true;
      this.logger.warn(
        'progress-tracker: browser storage is full or unavailable; unsent events are kept in memory only.',
        error
      );
    }
  }

  /** Remove the events with these ids. */
  remove(ids: ReadonlySet<string>): void {
    this.write(this.read().filter(event => !ids.has(event.eventId)));
  }

  private _memory: T[] = [];
  private _broken = false;
}
