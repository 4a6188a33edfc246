/**
 * A cell's drill-down (`GET api/v1/cells/latest`): every student's latest attempt, filtered by
 * status and text and sorted by time or attempts. Pure logic, no DOM.
 */
import { studentLabel } from './pseudonyms';
import { parseTime } from './time';
import type { CellStatus } from '../types';

/** A student's struggle signals on the cell (`store/read/signals.py`). */
export interface ISignals {
  errorQuotient: number | null;
  repeatedErrorDensity: number;
  timeOnCellS: number;
  attemptsSinceSuccess: number;
}

/** The signal names, in the order they are shown. */
export const SIGNAL_NAMES: ReadonlyArray<keyof ISignals> = [
  'errorQuotient',
  'repeatedErrorDensity',
  'timeOnCellS',
  'attemptsSinceSuccess'
];

/** One student's latest attempt at the cell. */
export interface IAttempt {
  student: string;
  status: CellStatus;
  code: string | null;
  result: string | null;
  errorMessage: string | null;
  attempts: number;
  errors: number;
  lastAt: string | null;
  signals: ISignals;
}

/** `GET api/v1/cells/latest`. */
export interface IDrilldown {
  notebook: string | null;
  assignment?: string | null;
  cellId: string;
  students: IAttempt[];
  /** The published definition of each signal, by name. */
  definitions: Partial<Record<keyof ISignals, string>>;
}

/** How the attempts are ordered: latest first, most attempts first, or by name. */
export type AttemptOrder = 'time' | 'attempts' | 'name';

/** What the drill-down shows. */
export interface IAttemptFilter {
  /** One status, or every one (`all`). */
  status: CellStatus | 'all';
  /** Text the name, code, error or result contains (any case); empty for all. */
  text: string;
  /** Only these students (an error group's), `null` for all. */
  students?: ReadonlySet<string> | null;
}

/** Whether `attempt` passes `filter`. */
export function matches(attempt: IAttempt, filter: IAttemptFilter): boolean {
  if (filter.status !== 'all' && attempt.status !== filter.status) {
    return false;
  }
  if (filter.students && !filter.students.has(attempt.student)) {
    return false;
  }
  const text = filter.text.trim().toLowerCase();
  if (!text) {
    return true;
  }
  return [
    studentLabel(attempt.student),
    attempt.code,
    attempt.errorMessage,
    attempt.result
  ].some(field => (field ?? '').toLowerCase().includes(text));
}

/** The attempts that pass `filter`, in `order` (ties by name). */
export function shownAttempts(
  attempts: readonly IAttempt[],
  filter: IAttemptFilter,
  order: AttemptOrder
): IAttempt[] {
  const byName = (a: IAttempt, b: IAttempt) =>
    studentLabel(a.student).localeCompare(studentLabel(b.student));
  const time = (a: IAttempt) => parseTime(a.lastAt) ?? -Infinity;
  const compare: Record<AttemptOrder, (a: IAttempt, b: IAttempt) => number> = {
    time: (a, b) => time(b) - time(a) || byName(a, b),
    attempts: (a, b) => b.attempts - a.attempts || byName(a, b),
    name: byName
  };
  return attempts.filter(a => matches(a, filter)).sort(compare[order]);
}

/** How many attempts have each status (for the filter's options). */
export function statusCounts(
  attempts: readonly IAttempt[]
): Record<CellStatus, number> {
  const counts: Record<CellStatus, number> = {
    succeeded: 0,
    failed: 0,
    running: 0,
    interrupted: 0
  };
  for (const attempt of attempts) {
    counts[attempt.status] += 1;
  }
  return counts;
}

/** A signal's value as shown: two decimals, whole seconds, or "–" when undefined. */
export function signalText(name: keyof ISignals, signals: ISignals): string {
  const value = signals[name];
  if (value === null || value === undefined) {
    return '–';
  }
  if (name === 'timeOnCellS') {
    const seconds = Math.round(value);
    return seconds >= 60
      ? `${Math.floor(seconds / 60)} min ${seconds % 60} s`
      : `${seconds} s`;
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
