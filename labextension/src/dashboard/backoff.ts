/**
 * Reconnection delays. Pure logic.
 */

/** How reconnection delays grow. */
export interface IBackoffOptions {
  /** The delay before the first retry, in ms. */
  baseMs: number;
  /** The longest delay, in ms. */
  maxMs: number;
}

/** The defaults of {@link IBackoffOptions}. */
export const DEFAULT_BACKOFF: IBackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (0 for the first): exponential, capped, with
 * "equal jitter" (between half and all of the exponential step) so that a class of
 * dashboards does not reconnect in lockstep after a server restart.
 *
 * @param random - a number in [0, 1), `Math.random()` by default.
 */
export function backoffDelay(
  attempt: number,
  options: IBackoffOptions = DEFAULT_BACKOFF,
  random: number = Math.random()
): number {
  const step = Math.min(
    options.maxMs,
    options.baseMs * 2 ** Math.max(0, attempt)
  );
  return Math.round(step / 2 + (step / 2) * random);
}
