/**
 * The rules of one student's state on one cell, folded from live events. Pure logic, no DOM.
 *
 * The server's snapshot (`progress_tracker/store/read/snapshot.py`, `progress`) applies the same
 * rules to the stored history, so a dashboard shows after a reload what it showed live. Both
 * sides pass the cases of `tests/fixtures/cell_state_rules.json` at the repository root.
 */
import { isAfter, isAtOrAfter, parseTime } from './time';
import type { ICellProgress } from '../types';

/**
 * How long a started cell without a result shows as running (its kernel may have died);
 * the server's `RUNNING_WINDOW`.
 */
export const RUNNING_WINDOW_MS = 60 * 60 * 1000;

/** The error a run ends with when the student interrupts the kernel (older clients). */
const INTERRUPT_ERROR = 'KeyboardInterrupt';

/** The status of a finished run. */
type RunStatus = 'succeeded' | 'failed' | 'interrupted';

/** What a cell's state needs of a `cell_executed` event. */
export interface IRunEvent {
  eventTime: string;
  hasError?: boolean;
  errorMessage?: string | null;
  executionCount?: number | null;
  /** The student interrupted the run: neither a success nor a failure, and no error. */
  interrupted?: boolean;
}

/**
 * Whether a run was interrupted: the capture says so, or (older clients) it failed with a
 * KeyboardInterrupt. The server reads events the same way (`events/model.py`).
 */
export function isInterrupted(event: IRunEvent): boolean {
  return (
    event.interrupted === true ||
    (event.hasError === true &&
      (event.errorMessage ?? '').startsWith(INTERRUPT_ERROR))
  );
}

/** The state from finished runs alone. */
interface ISettled {
  status: RunStatus;
  attempts: number;
  errors: number;
  lastError: string | null;
  /** When the run `lastError` is from ran; `null` when unknown (a snapshot does not say). */
  lastErrorAt: string | null;
  /** When the latest run finished. */
  lastActivity: string | null;
  executionCount: number | null;
}

/**
 * One student's state on one cell: the outcome of the runs, and the latest start.
 *
 * - Every run counts as an attempt, every failed run as an error (live events are
 *   de-duplicated by id before they get here); an interrupted run is neither a success nor
 *   a failure (status `interrupted`, no error).
 * - The latest run (by event time; of two at the same time, the one applied last) decides the
 *   status, `lastActivity` and `executionCount`; `lastError` is the message of the latest
 *   failed run (`null` when that run sent none).
 * - A start later than the latest run shows the cell as `running` (with the counts of the runs
 *   so far and the start as `lastActivity`) for {@link RUNNING_WINDOW_MS}; after that the runs
 *   alone decide again, and a cell without runs shows as not run.
 * - A kernel status change of the student's notebook (restart, shutdown, reload) ends the
 *   starts made before it, as the running window does.
 */
export class CellRecord {
  /** A cell as the server's snapshot reports it. */
  static fromSnapshot(cell: ICellProgress): CellRecord {
    const record = new CellRecord();
    if (cell.status === 'running') {
      record._startedAt = cell.lastActivity;
      if (cell.attempts > 0) {
        // The snapshot does not say how the runs before this start ended.
        record._settled = { ...settledOf(cell), lastActivity: null };
        record._outcomeUnknown = true;
      }
    } else {
      record._settled = settledOf(cell);
    }
    return record;
  }

  /**
   * Whether the outcome of the runs is unknown (the snapshot showed the cell running after
   * earlier runs): the cell stays running until a newer snapshot or a newer run says more.
   */
  get outcomeUnknown(): boolean {
    return this._outcomeUnknown;
  }

  /** Fold in a finished run. */
  applyRun(event: IRunEvent): void {
    const time = event.eventTime;
    const previous = this._settled;
    const settled: ISettled = previous ?? {
      status: 'succeeded',
      attempts: 0,
      errors: 0,
      lastError: null,
      lastErrorAt: null,
      lastActivity: null,
      executionCount: null
    };
    settled.attempts += 1;
    const interrupted = isInterrupted(event);
    const failed = event.hasError === true && !interrupted;
    if (failed) {
      settled.errors += 1;
      const isLatestError =
        settled.lastErrorAt !== null
          ? isAtOrAfter(time, settled.lastErrorAt)
          : settled.lastError === null;
      if (isLatestError) {
        settled.lastError = event.errorMessage ?? null;
        settled.lastErrorAt = time;
      }
    }
    const isLatestRun = this._outcomeUnknown
      ? isAtOrAfter(time, this._startedAt)
      : !previous || isAtOrAfter(time, settled.lastActivity);
    if (isLatestRun) {
      settled.status = interrupted
        ? 'interrupted'
        : failed
          ? 'failed'
          : 'succeeded';
      settled.lastActivity = time;
      settled.executionCount = event.executionCount ?? null;
      this._outcomeUnknown = false;
    }
    this._settled = settled;
  }

  /**
   * Fold in a start.
   *
   * @returns whether it is the latest start and later than every run (the cell runs again)
   */
  applyStart(eventTime: string): boolean {
    if (this._startedAt !== null && !isAfter(eventTime, this._startedAt)) {
      return false;
    }
    this._startedAt = eventTime;
    return isAfter(eventTime, this._settled?.lastActivity);
  }

  /**
   * Fold in a kernel status change of the student's notebook at `eventTime`: the starts made
   * up to then no longer run.
   */
  applyKernelStatus(eventTime: string): void {
    if (this._kernelAt === null || isAfter(eventTime, this._kernelAt)) {
      this._kernelAt = eventTime;
    }
  }

  /**
   * Whether a kernel status change ended a start the snapshot showed running after earlier
   * runs: how those runs ended is unknown here, a new snapshot tells it.
   */
  get endedUnknown(): boolean {
    return this._outcomeUnknown && this._endedByKernel();
  }

  /**
   * The state shown at `now` (ms since the epoch), `undefined` for a cell not run.
   */
  state(now: number): ICellProgress | undefined {
    const settled = this._settled;
    if (this._startedAt !== null && this.isRunning(now)) {
      return {
        status: 'running',
        attempts: settled?.attempts ?? 0,
        errors: settled?.errors ?? 0,
        lastError: settled?.lastError ?? null,
        lastActivity: this._startedAt,
        executionCount: settled?.executionCount ?? null
      };
    }
    if (!settled) {
      return undefined;
    }
    return {
      status: settled.status,
      attempts: settled.attempts,
      errors: settled.errors,
      lastError: settled.lastError,
      lastActivity: settled.lastActivity,
      executionCount: settled.executionCount
    };
  }

  /** Whether the cell shows as running at `now`. */
  isRunning(now: number): boolean {
    if (this._startedAt === null) {
      return false;
    }
    if (this._outcomeUnknown) {
      return true;
    }
    const started = parseTime(this._startedAt);
    return (
      started !== null &&
      started >= now - RUNNING_WINDOW_MS &&
      isAfter(this._startedAt, this._settled?.lastActivity) &&
      !this._endedByKernel()
    );
  }

  private _endedByKernel(): boolean {
    return (
      this._kernelAt !== null &&
      this._startedAt !== null &&
      !isAfter(this._startedAt, this._kernelAt)
    );
  }

  /** Whether a running start has outlived {@link RUNNING_WINDOW_MS} at `now`. */
  isExpired(now: number): boolean {
    const started = parseTime(this._startedAt);
    return started !== null && started < now - RUNNING_WINDOW_MS;
  }

  private _settled: ISettled | null = null;
  private _startedAt: string | null = null;
  private _outcomeUnknown = false;
  /** The latest kernel status change of the student's notebook. */
  private _kernelAt: string | null = null;
}

function settledOf(cell: ICellProgress): ISettled {
  return {
    status:
      cell.status === 'failed' || cell.status === 'interrupted'
        ? cell.status
        : 'succeeded',
    attempts: cell.attempts,
    errors: cell.errors,
    lastError: cell.lastError,
    // Exact when the latest run failed; otherwise the snapshot does not say.
    lastErrorAt: cell.status === 'failed' ? cell.lastActivity : null,
    lastActivity: cell.lastActivity,
    executionCount: cell.executionCount
  };
}
