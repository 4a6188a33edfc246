/**
 * Packing events into the requests a page may still send while it goes away. Pure logic.
 */

/**
 * The batches of `events`, in order, that fit the browser's keepalive budget: at most `limit`
 * events per batch, and at most `budgetBytes` of JSON bodies in all (browsers allow 64 KiB of
 * keepalive bodies in flight). What does not fit is left out (it stays stored).
 */
export function keepaliveBatches<T>(
  events: readonly T[],
  limit: number,
  budgetBytes: number
): T[][] {
  let budget = budgetBytes;
  let batch: T[] = [];
  let batchBytes = 2; // "[]"
  const batches: T[][] = [];
  for (const event of events) {
    const bytes = JSON.stringify(event).length + 1;
    if (bytes + 2 > budget) {
      break;
    }
    if (batch.length >= limit || batchBytes + bytes > budget) {
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
  return batches;
}
