/**
 * What the outbox does with the server's answer to a batch. Pure logic.
 */
import type { ISendResult } from './types';

/** What becomes of a batch after the server's answer. */
export type Verdict<T> =
  /** Stored: forget the batch. */
  | { kind: 'sent' }
  /** Not now (unreachable, 5xx, 408, 429): keep it, send it again after `retryAfterMs` at least. */
  | { kind: 'retry'; retryAfterMs?: number }
  /** Too large (413): send batches of at most `limit` events. */
  | { kind: 'shrink'; limit: number }
  /** Refused: drop `events` (all of the batch, or those a 422 named) and send the rest again. */
  | { kind: 'drop'; events: T[]; partial: boolean };

/** Statuses after which a batch is sent again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status < 200;
}

/** The indices of the events a 422 answer names as invalid. */
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

/**
 * Judge an answer.
 *
 * @param batch - the events sent, in order
 * @param result - the answer, `null` when the server could not be reached
 */
export function judge<T>(batch: T[], result: ISendResult | null): Verdict<T> {
  if (result === null) {
    return { kind: 'retry' };
  }
  const { status } = result;
  if (status >= 200 && status < 300) {
    return { kind: 'sent' };
  }
  if (isRetryableStatus(status)) {
    // 429 Too Many Requests (a rate limit) is no refusal: the events are sent again later.
    return { kind: 'retry', retryAfterMs: result.retryAfterMs };
  }
  if (status === 413 && batch.length > 1) {
    // The server takes smaller batches than configured: halve and retry.
    return { kind: 'shrink', limit: Math.max(1, Math.floor(batch.length / 2)) };
  }
  if (status === 422) {
    const rejected = rejectedIndices(result.body);
    if (rejected.size > 0 && rejected.size < batch.length) {
      return {
        kind: 'drop',
        events: batch.filter((_, index) => rejected.has(index)),
        partial: true
      };
    }
  }
  return { kind: 'drop', events: batch, partial: false };
}
