/**
 * Exponential backoff with jitter, for retries against the server.
 */

/** Bounds of a backoff schedule. */
export interface IBackoffOptions {
  /** Delay cap of the first retry, in milliseconds. */
  baseMs: number;
  /** Largest delay, in milliseconds. */
  maxMs: number;
}

/** The schedule used when nothing else is configured: 1 s, 2 s, 4 s ... up to 1 min. */
export const DEFAULT_BACKOFF: IBackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/**
 * The delay before retry number `attempt` (0 for the first retry).
 *
 * The cap doubles with every attempt up to `maxMs`; the delay is drawn
 * uniformly from the upper half of the cap ("equal jitter"), so clients that
 * failed together do not retry together, and no retry comes immediately.
 *
 * @param attempt - how many retries came before this one
 * @param options - the schedule's bounds
 * @param random - a source of numbers in [0, 1)
 */
export function backoffDelay(
  attempt: number,
  options: IBackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random
): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const half = cap / 2;
  return Math.round(half + random() * half);
}

/**
 * The delay an HTTP `Retry-After` header asks for, in ms, or `undefined`.
 *
 * @param header - delay-seconds (`120`) or an HTTP date
 * @param now - the current time in ms, for the date form
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number
): number | undefined {
  if (!header) {
    return undefined;
  }
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
