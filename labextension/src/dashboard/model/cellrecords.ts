/**
 * The {@link CellRecord}s of a notebook's students, kept by student and cell: which cells show
 * as running, the kernel status changes that end them, and the expiry of the running window.
 * Pure logic, no DOM.
 */
import { CellRecord, IRunEvent } from './cells';
import { isAfter } from './time';
import type { ICellProgress } from '../types';

/** A cell's new state in its student's row, `undefined` for not run. */
export type CellUpdate = [
  userId: string,
  cellId: string,
  state: ICellProgress | undefined
];

/**
 * The {@link CellRecord}s of a notebook's students, and which of them show as running.
 */
export class CellRecords {
  /** Forget every cell. */
  clear(): void {
    this._records.clear();
    this._running.clear();
    this._kernels.clear();
  }

  /** Take a cell from the server's snapshot. */
  load(userId: string, cellId: string, cell: ICellProgress): void {
    const key = recordKey(userId, cellId);
    this._records.set(key, CellRecord.fromSnapshot(cell));
    if (cell.status === 'running') {
      this._running.add(key);
    }
  }

  /**
   * Fold in a live `cell_executed` or `cell_started` event.
   *
   * @returns the cell's state at `now`
   */
  apply(
    userId: string,
    cellId: string,
    event: IRunEvent & { eventType: string },
    now: number
  ): ICellProgress | undefined {
    const key = recordKey(userId, cellId);
    let record = this._records.get(key);
    if (!record) {
      record = new CellRecord();
      const kernelAt = this._kernels.get(userId);
      if (kernelAt !== undefined) {
        record.applyKernelStatus(kernelAt);
      }
      this._records.set(key, record);
    }
    if (event.eventType === 'cell_executed') {
      record.applyRun(event);
    } else {
      record.applyStart(event.eventTime);
    }
    return this._stateOf(key, record, now);
  }

  /**
   * Fold in a live `kernel_status` event of a student: their cells started before it stop
   * running (also the starts that arrive later but were made before it).
   *
   * @returns the cells whose state changed, with their new state
   */
  applyKernelStatus(
    userId: string,
    eventTime: string,
    now: number
  ): CellUpdate[] {
    const known = this._kernels.get(userId);
    if (known === undefined || isAfter(eventTime, known)) {
      this._kernels.set(userId, eventTime);
    }
    const prefix = recordKey(userId, '');
    const updates: CellUpdate[] = [];
    for (const [key, record] of this._records) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      const wasRunning = this._running.has(key);
      record.applyKernelStatus(eventTime);
      if (wasRunning && !record.isRunning(now)) {
        updates.push([
          userId,
          key.slice(prefix.length),
          this._stateOf(key, record, now)
        ]);
      }
    }
    return updates;
  }

  /**
   * The cells whose start outlived the running window at `now`, with their new state.
   *
   * @returns the updates, and whether a new snapshot is needed: a cell the snapshot showed
   *   running after earlier runs has expired, and how those runs ended is unknown here
   */
  expire(now: number): { updates: CellUpdate[]; needsSnapshot: boolean } {
    const updates: CellUpdate[] = [];
    let needsSnapshot = false;
    for (const key of [...this._running]) {
      const record = this._records.get(key) as CellRecord;
      if (record.outcomeUnknown) {
        needsSnapshot ||= record.isExpired(now) || record.endedUnknown;
      } else if (!record.isRunning(now)) {
        const [userId, cellId] = key.split('\u0000');
        updates.push([userId, cellId, this._stateOf(key, record, now)]);
      }
    }
    return { updates, needsSnapshot };
  }

  private _stateOf(
    key: string,
    record: CellRecord,
    now: number
  ): ICellProgress | undefined {
    if (record.isRunning(now)) {
      this._running.add(key);
    } else {
      this._running.delete(key);
    }
    return record.state(now);
  }

  private _records = new Map<string, CellRecord>();
  /** Keys of the cells shown running (the candidates for expiry). */
  private _running = new Set<string>();
  /** Per student, their latest kernel status change in the notebook. */
  private _kernels = new Map<string, string>();
}

function recordKey(userId: string, cellId: string): string {
  return `${userId}\u0000${cellId}`;
}
