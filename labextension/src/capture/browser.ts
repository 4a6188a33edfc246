/**
 * Browser facilities for the capture plugin, with fallbacks.
 */
import { UUID } from '@lumino/coreutils';

import type { IClock, IOutboxStorage } from './outbox';

/** The window's timers and clock. */
export const windowClock: IClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: handle => window.clearTimeout(handle as number)
};

/**
 * `localStorage`, or a storage that forgets on reload where the browser
 * denies it (e.g. disabled site data).
 */
export function browserStorage(): IOutboxStorage {
  try {
    const storage = window.localStorage;
    const probe = 'progress-tracker:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    const items = new Map<string, string>();
    return {
      getItem: key => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: key => void items.delete(key)
    };
  }
}

/**
 * A fresh event id: `crypto.randomUUID()` where the page is a secure context,
 * else a random v4 UUID from `crypto.getRandomValues` (plain-HTTP servers).
 */
export function newEventId(): string {
  if (
    typeof crypto !== 'undefined' &&
    typeof crypto.randomUUID === 'function'
  ) {
    return crypto.randomUUID();
  }
  return UUID.uuid4();
}
