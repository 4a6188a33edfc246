/**
 * Builders of API payloads for the dashboard's specifications.
 */
import {
  ICellProgress,
  ILiveEvent,
  IProgressSnapshot,
  IStudentProgress
} from '../../types';

let counter = 0;

/** A `cell_executed` event of notebook `lab1.ipynb`, with a fresh id unless given. */
export function run(overrides: Partial<ILiveEvent> = {}): ILiveEvent {
  counter += 1;
  return {
    eventId: `e-${counter}`,
    eventType: 'cell_executed',
    eventTime: '2026-11-27T10:00:00+00:00',
    userId: 'alice',
    notebookPath: 'lab1.ipynb',
    cellId: 'c1',
    cellIndex: 0,
    cellType: 'code',
    code: 'x = 1',
    executionCount: 1,
    hasError: false,
    errorMessage: null,
    ...overrides
  };
}

/** A `cell_started` event of notebook `lab1.ipynb`, with a fresh id unless given. */
export function start(overrides: Partial<ILiveEvent> = {}): ILiveEvent {
  counter += 1;
  return {
    eventId: `s-${counter}`,
    eventType: 'cell_started',
    eventTime: '2026-11-27T10:00:00+00:00',
    userId: 'alice',
    notebookPath: 'lab1.ipynb',
    cellId: 'c1',
    cellIndex: 0,
    cellType: 'code',
    code: 'x = 1',
    ...overrides
  };
}

/** A cell's progress. */
export function cell(overrides: Partial<ICellProgress> = {}): ICellProgress {
  return {
    status: 'succeeded',
    attempts: 1,
    errors: 0,
    lastError: null,
    lastActivity: '2026-11-27T10:00:00+00:00',
    executionCount: 1,
    ...overrides
  };
}

/** A student's progress. */
export function student(
  userId: string,
  cells: Record<string, ICellProgress> = {},
  overrides: Partial<IStudentProgress> = {}
): IStudentProgress {
  return {
    userId,
    lastActivity: '2026-11-27T10:00:00+00:00',
    currentCellId: Object.keys(cells).pop() ?? null,
    cells,
    ...overrides
  };
}

/** A snapshot of `lab1.ipynb` with cells c1, c2, c3 and the given students. */
export function snapshot(
  students: IStudentProgress[] = [],
  overrides: Partial<IProgressSnapshot> = {}
): IProgressSnapshot {
  return {
    notebooks: [
      {
        path: 'lab1.ipynb',
        students: students.length,
        executions: 10,
        lastActivity: '2026-11-27T10:00:00+00:00'
      },
      {
        path: 'lab2.ipynb',
        students: 4,
        executions: 20,
        lastActivity: '2026-11-27T09:00:00+00:00'
      }
    ],
    notebook: 'lab1.ipynb',
    cells: [
      { cellId: 'c1', cellIndex: 0, cellType: 'code' },
      { cellId: 'c2', cellIndex: 1, cellType: 'code' },
      { cellId: 'c3', cellIndex: 2, cellType: 'code' }
    ],
    students,
    lastEventId: 'e-0',
    liveFeed: 'f1',
    liveSeq: 10,
    generatedAt: '2026-11-27T10:00:00+00:00',
    ...overrides
  };
}
