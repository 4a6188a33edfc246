/**
 * The capture's outbox: events kept in browser storage until the server has them.
 */
export { isRetryableStatus, judge } from './answers';
export type { Verdict } from './answers';
export { keepaliveBatches } from './keepalive';
export { Outbox } from './outbox';
export type { IOutboxOptions, OutboxTuning } from './outbox';
export { outboxStorageKey, StoredQueue } from './store';
export type * from './types';
