/**
 * Small helpers for the ISO 8601 times of the API.
 */

/** Milliseconds since the epoch of an ISO time, or `null` when absent or unreadable. */
export function parseTime(value: string | null | undefined): number | null {
  if (!value) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Whether ISO time `a` is at or after ISO time `b` (an absent `b` is before everything). */
export function isAtOrAfter(
  a: string | null | undefined,
  b: string | null | undefined
): boolean {
  const tb = parseTime(b);
  if (tb === null) {
    return true;
  }
  const ta = parseTime(a);
  return ta !== null && ta >= tb;
}

/** Whether ISO time `a` is strictly after ISO time `b` (an absent `b` is before everything). */
export function isAfter(
  a: string | null | undefined,
  b: string | null | undefined
): boolean {
  const ta = parseTime(a);
  if (ta === null) {
    return false;
  }
  const tb = parseTime(b);
  return tb === null || ta > tb;
}

/** The later of two ISO times (either may be absent). */
export function latest(
  a: string | null | undefined,
  b: string | null | undefined
): string | null {
  if (!a) {
    return b ?? null;
  }
  if (!b) {
    return a;
  }
  return isAtOrAfter(a, b) ? a : b;
}
