/**
 * Replaying a past class: the runs of a time window (`GET api/v1/replay`) folded into the
 * grid's states at a moment of it. Pure logic, no DOM.
 *
 * The rules are those of a cell's finished runs (model/cells.ts): the latest run decides the
 * status; every run is an attempt; a failed run is an error, an interrupted one is not.
 */
import { parseTime } from './time';
import type { ICellProgress, IStudentProgress } from '../types';

/** The outcome of one stored run. */
export type RunStatus = 'succeeded' | 'failed' | 'interrupted';

/** One run of `GET api/v1/replay`. */
export interface IReplayRun {
  student: string;
  cellId: string;
  status: RunStatus;
  /** When the run finished (ISO). */
  at: string;
  errorMessage?: string | null;
}

/** `GET api/v1/replay`: one page of the runs of a window, in time order. */
export interface IReplayPage {
  runs: IReplayRun[];
  /** The cursor of the next page, `null` on the last one. */
  next: string | null;
}

const STATUSES: readonly string[] = ['succeeded', 'failed', 'interrupted'];

/** The runs of a page that are well formed (others are left out). */
export function validRuns(raw: unknown): IReplayRun[] {
  const runs = (raw as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) {
    return [];
  }
  return runs.filter(
    (r): r is IReplayRun =>
      !!r &&
      typeof r.student === 'string' &&
      typeof r.cellId === 'string' &&
      STATUSES.includes(r.status) &&
      parseTime(r.at) !== null
  );
}

/** A run with its time in ms. */
interface ITimedRun extends IReplayRun {
  ms: number;
}

/**
 * The runs of a window, sorted by time, and the grid they make at any moment of it.
 */
export class ReplayTimeline {
  /**
   * @param columnOf - the grid column of a run's cell, `null` when it is none (a student's own
   *   cell of an assignment)
   */
  constructor(
    runs: readonly IReplayRun[],
    private readonly columnOf: (run: IReplayRun) => string | null = run =>
      run.cellId
  ) {
    this._runs = runs
      .map(run => ({ ...run, ms: parseTime(run.at) as number }))
      .filter(run => Number.isFinite(run.ms))
      // Stable: runs at the same time keep the server's order.
      .sort((a, b) => a.ms - b.ms);
  }

  /** How many runs the window holds. */
  get size(): number {
    return this._runs.length;
  }

  /** When the first run ended (ms), `null` without runs. */
  get first(): number | null {
    return this._runs.length ? this._runs[0].ms : null;
  }

  /** When the last run ended (ms), `null` without runs. */
  get last(): number | null {
    return this._runs.length ? this._runs[this._runs.length - 1].ms : null;
  }

  /**
   * The students' states at `time` (ms): every run that ended at or before it, folded. The
   * students of `roster` come first, in its order, with the cells they ran by then; students
   * only the runs name follow in the order they first ran.
   */
  at(time: number, roster: readonly string[] = []): IStudentProgress[] {
    const students = new Map<string, IStudentProgress>();
    const row = (userId: string): IStudentProgress => {
      let student = students.get(userId);
      if (!student) {
        student = {
          userId,
          lastActivity: null,
          currentCellId: null,
          cells: {}
        };
        students.set(userId, student);
      }
      return student;
    };
    roster.forEach(row);
    for (const run of this._runs) {
      if (run.ms > time) {
        break;
      }
      const cellId = this.columnOf(run);
      const student = row(run.student);
      student.lastActivity = run.at;
      if (cellId === null) {
        continue;
      }
      student.currentCellId = cellId;
      student.cells[cellId] = fold(student.cells[cellId], run);
    }
    return [...students.values()];
  }

  private _runs: ITimedRun[];
}

/** A cell's state after one more run. */
function fold(
  before: ICellProgress | undefined,
  run: IReplayRun
): ICellProgress {
  const failed = run.status === 'failed';
  return {
    status: run.status,
    attempts: (before?.attempts ?? 0) + 1,
    errors: (before?.errors ?? 0) + (failed ? 1 : 0),
    lastError: failed
      ? (run.errorMessage ?? null)
      : (before?.lastError ?? null),
    lastActivity: run.at,
    executionCount: null
  };
}
