/**
 * Which students need help, and in what order to list them. Pure logic, no DOM.
 */
import { parseTime } from './time';
import { ICellInfo, IStudentProgress } from '../types';

/** The thresholds an instructor sets in the dashboard. */
export interface IHelpOptions {
  /** A student with at least this many errors on a cell whose latest run failed is stuck. */
  errorThreshold: number;
  /** A student who started and has done nothing for this many minutes is idle. */
  idleMinutes: number;
  /**
   * A student inactive for longer than this has left the session rather than got stuck, and is
   * not listed as idle (default {@link MAX_IDLE_MINUTES}).
   */
  maxIdleMinutes?: number;
  /** The current time in ms since the epoch. */
  now: number;
}

/** The defaults of {@link IHelpOptions} (without `now`). */
export const DEFAULT_HELP_OPTIONS = { errorThreshold: 3, idleMinutes: 10 };

/** After three hours without activity a student is taken to have left, not to be stuck. */
export const MAX_IDLE_MINUTES = 180;

/** Why a student is listed as needing help. */
export type HelpReason =
  | { kind: 'errors'; cellId: string; errors: number }
  | { kind: 'idle'; idleMs: number };

/** A student who needs help. */
export interface IHelpEntry {
  userId: string;
  reasons: HelpReason[];
  /** The cell the student ran last. */
  currentCellId: string | null;
  /** The error most relevant to the student's situation, if any. */
  lastError: string | null;
}

/**
 * The students who need help, the most urgent first.
 *
 * A student needs help when
 * - a cell's latest run failed and that cell has raised `errorThreshold` errors or more
 *   (once the cell succeeds the student is unblocked), or
 * - the student has started (has some activity), has not completed every code cell, and has
 *   been inactive for `idleMinutes` or more (but not for more than `maxIdleMinutes`: then the
 *   student has left the session).
 *
 * Students stuck on errors come first, those with the most errors on one cell first; then
 * idle students, the longest idle first; ties by user name.
 */
export function needingHelp(
  students: readonly IStudentProgress[],
  cells: readonly ICellInfo[],
  options: IHelpOptions
): IHelpEntry[] {
  const codeCells = cells.filter(
    c => !c.cellType || c.cellType === 'code'
  ).length;
  const idleLimitMs = options.idleMinutes * 60_000;
  const leftMs = (options.maxIdleMinutes ?? MAX_IDLE_MINUTES) * 60_000;
  const entries: Array<IHelpEntry & { maxErrors: number; idleMs: number }> = [];

  for (const student of students) {
    const reasons: HelpReason[] = [];
    let stuck: { cellId: string; errors: number; at: number } | null = null;
    let succeeded = 0;
    for (const [cellId, cell] of Object.entries(student.cells)) {
      if (cell.status === 'succeeded') {
        succeeded += 1;
        continue;
      }
      if (cell.errors < options.errorThreshold) {
        continue;
      }
      const at = parseTime(cell.lastActivity) ?? 0;
      if (
        !stuck ||
        cell.errors > stuck.errors ||
        (cell.errors === stuck.errors && at > stuck.at)
      ) {
        stuck = { cellId, errors: cell.errors, at };
      }
    }
    if (stuck) {
      reasons.push({
        kind: 'errors',
        cellId: stuck.cellId,
        errors: stuck.errors
      });
    }

    const last = parseTime(student.lastActivity);
    const finished = codeCells > 0 && succeeded >= codeCells;
    const idleMs = last === null ? 0 : options.now - last;
    if (
      last !== null &&
      !finished &&
      idleMs >= idleLimitMs &&
      idleMs <= leftMs
    ) {
      reasons.push({ kind: 'idle', idleMs });
    }
    if (reasons.length === 0) {
      continue;
    }
    entries.push({
      userId: student.userId,
      reasons,
      currentCellId: student.currentCellId,
      lastError: relevantError(student, stuck?.cellId ?? null),
      maxErrors: stuck?.errors ?? 0,
      idleMs: reasons.some(r => r.kind === 'idle') ? idleMs : 0
    });
  }

  entries.sort(
    (a, b) =>
      b.maxErrors - a.maxErrors ||
      b.idleMs - a.idleMs ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
  );
  return entries.map(({ userId, reasons, currentCellId, lastError }) => ({
    userId,
    reasons,
    currentCellId,
    lastError
  }));
}

/**
 * The error to show next to a student: the one of the cell they are stuck on, else the one of
 * their current cell if it failed, else the latest of their failed cells.
 */
function relevantError(
  student: IStudentProgress,
  stuckCellId: string | null
): string | null {
  if (stuckCellId) {
    return student.cells[stuckCellId]?.lastError ?? null;
  }
  const current = student.currentCellId
    ? student.cells[student.currentCellId]
    : undefined;
  if (current?.status === 'failed' && current.lastError) {
    return current.lastError;
  }
  let best: { error: string; at: number } | null = null;
  for (const cell of Object.values(student.cells)) {
    if (cell.status !== 'failed' || !cell.lastError) {
      continue;
    }
    const at = parseTime(cell.lastActivity) ?? 0;
    if (!best || at > best.at) {
      best = { error: cell.lastError, at };
    }
  }
  return best?.error ?? null;
}
