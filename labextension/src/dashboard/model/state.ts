/**
 * The dashboard's model of a class: a progress snapshot merged with the live events that
 * followed it. Pure logic, no DOM.
 */
import { SeenIds } from './seen';
import { isAfter, isAtOrAfter, latest, parseTime } from './time';
import {
  ICellInfo,
  ICellProgress,
  ILiveEvent,
  INotebookSummary,
  IProgressSnapshot,
  IStudentProgress
} from '../types';

/** What a batch of live events changed. */
export interface IApplyResult {
  /** Events applied (new ones, for any notebook). */
  applied: number;
  /** Events dropped because their id was seen before. */
  duplicates: number;
  /** Students of the selected notebook whose row changed. */
  changedStudents: Set<string>;
  /** Whether students were added to the selected notebook (the row list changed). */
  studentsAdded: boolean;
  /** Whether cells were added to the selected notebook (the column list changed). */
  cellsAdded: boolean;
  /** Whether a run in the selected notebook raised an error. */
  errorsChanged: boolean;
  /** Whether the list of notebooks or their counts changed. */
  notebooksChanged: boolean;
}

/** The key of one grid cell in {@link ProgressModel.flashes}. */
export function cellKey(userId: string, cellId: string): string {
  return `${userId}\u0000${cellId}`;
}

/**
 * A class's progress in one notebook, kept up to date with live events.
 *
 * Load a snapshot with {@link ProgressModel.load}, then feed every event from the WebSocket
 * to {@link ProgressModel.apply}. Events seen twice are ignored. Events of other notebooks
 * only update the notebook list.
 *
 * A `cell_started` event shows its cell as `running` until the run's `cell_executed` event
 * arrives; only the finished run counts as an attempt.
 */
export class ProgressModel {
  /** The selected notebook, `null` when the class has no data yet. */
  get notebook(): string | null {
    return this._notebook;
  }

  /** The notebooks of the class, most recently active first. */
  get notebooks(): readonly INotebookSummary[] {
    return this._notebooks;
  }

  /** The cells of the selected notebook, in notebook order. */
  get cells(): readonly ICellInfo[] {
    return this._cells;
  }

  /** The students of the selected notebook, in the order they appeared. */
  get students(): readonly IStudentProgress[] {
    return this._studentList;
  }

  /** The id of the last execution known (for `api/v1/ws?since=`). */
  get lastEventId(): string | null {
    return this._lastEventId;
  }

  /** A student of the selected notebook, if known. */
  student(userId: string): IStudentProgress | undefined {
    return this._students.get(userId);
  }

  /**
   * Replace everything with a snapshot from `GET api/v1/progress`.
   *
   * The memory of seen event ids starts over: the snapshot contains every event up to its
   * `lastEventId`, and the live connection is then resumed from there.
   */
  load(snapshot: IProgressSnapshot): void {
    this._notebook = snapshot.notebook;
    this._notebooks = snapshot.notebooks.map(n => ({ ...n }));
    this._cells = snapshot.cells.map(c => ({ ...c }));
    this._cellIds = new Set(this._cells.map(c => c.cellId));
    this._sortCells();
    this._students = new Map();
    this._studentList = [];
    for (const s of snapshot.students) {
      const copy: IStudentProgress = {
        userId: s.userId,
        lastActivity: s.lastActivity,
        currentCellId: s.currentCellId,
        cells: {}
      };
      for (const [cellId, cell] of Object.entries(s.cells)) {
        copy.cells[cellId] = { ...cell };
      }
      this._students.set(copy.userId, copy);
      this._studentList.push(copy);
    }
    this._flashes.clear();
    this._newNotebookUsers.clear();
    this._seen.clear();
    if (snapshot.lastEventId) {
      this._lastEventId = snapshot.lastEventId;
    }
  }

  /**
   * Merge live events, in the order the server persisted them.
   *
   * @param events - events from the WebSocket.
   * @param now - the local time they are shown at (for the "just ran" highlight).
   */
  apply(events: readonly ILiveEvent[], now: number = Date.now()): IApplyResult {
    const result: IApplyResult = {
      applied: 0,
      duplicates: 0,
      changedStudents: new Set(),
      studentsAdded: false,
      cellsAdded: false,
      errorsChanged: false,
      notebooksChanged: false
    };
    for (const event of events) {
      if (
        !event ||
        typeof event.eventId !== 'string' ||
        !this._seen.add(event.eventId)
      ) {
        result.duplicates += 1;
        continue;
      }
      result.applied += 1;
      if (event.eventType === 'cell_executed') {
        // The server replays executions only, so only they can serve as a resume point.
        this._lastEventId = event.eventId;
      }
      this._countInNotebookList(event, result);
      if (this._notebook !== null && event.notebookPath === this._notebook) {
        this._applyToGrid(event, now, result);
      }
    }
    return result;
  }

  /**
   * When a cell of a student last changed through a live event (local time in ms), or
   * `undefined`; for the "just ran" highlight.
   */
  flashedAt(userId: string, cellId: string): number | undefined {
    return this._flashes.get(cellKey(userId, cellId));
  }

  /** How many cells a student has run successfully (latest outcome). */
  completedCells(student: IStudentProgress): number {
    let n = 0;
    for (const cell of Object.values(student.cells)) {
      if (cell.status === 'succeeded') {
        n += 1;
      }
    }
    return n;
  }

  private _countInNotebookList(event: ILiveEvent, result: IApplyResult): void {
    let summary = this._notebooks.find(n => n.path === event.notebookPath);
    if (!summary) {
      summary = {
        path: event.notebookPath,
        students: 0,
        executions: 0,
        lastActivity: null
      };
      this._notebooks.push(summary);
      this._newNotebookUsers.set(event.notebookPath, new Set());
    }
    // Student counts are only known exactly for notebooks that appeared live, and for
    // the selected one (its grid); the others keep the snapshot's count.
    const users = this._newNotebookUsers.get(event.notebookPath);
    if (users && event.userId && !users.has(event.userId)) {
      users.add(event.userId);
      summary.students = users.size;
    }
    if (event.eventType === 'cell_executed') {
      summary.executions += 1;
    }
    const before = summary.lastActivity;
    summary.lastActivity = latest(summary.lastActivity, event.eventTime);
    if (before !== summary.lastActivity) {
      this._notebooks.sort(
        (a, b) =>
          (parseTime(b.lastActivity) ?? 0) - (parseTime(a.lastActivity) ?? 0)
      );
    }
    result.notebooksChanged = true;
  }

  private _applyToGrid(
    event: ILiveEvent,
    now: number,
    result: IApplyResult
  ): void {
    if (!event.userId) {
      return;
    }
    let student = this._students.get(event.userId);
    if (!student) {
      student = {
        userId: event.userId,
        lastActivity: null,
        currentCellId: null,
        cells: {}
      };
      this._students.set(student.userId, student);
      this._studentList.push(student);
      result.studentsAdded = true;
      const summary = this._notebooks.find(n => n.path === this._notebook);
      if (summary) {
        summary.students = Math.max(summary.students, this._studentList.length);
      }
    }
    result.changedStudents.add(student.userId);
    const isNewest = isAtOrAfter(event.eventTime, student.lastActivity);
    student.lastActivity = latest(student.lastActivity, event.eventTime);

    const isRun = event.eventType === 'cell_executed';
    if ((!isRun && event.eventType !== 'cell_started') || !event.cellId) {
      return;
    }
    const cellId = event.cellId;
    if (isNewest) {
      student.currentCellId = cellId;
    }
    this._ensureCell(event, result);
    const changed = isRun
      ? this._applyRun(student, cellId, event, result)
      : this._applyStart(student, cellId, event);
    if (changed) {
      this._flashes.set(cellKey(student.userId, cellId), now);
    }
  }

  /**
   * A run started: its cell is `running` unless the cell has a result (or a start) at least
   * as recent, which the start then predates.
   */
  private _applyStart(
    student: IStudentProgress,
    cellId: string,
    event: ILiveEvent
  ): boolean {
    const previous = student.cells[cellId];
    if (previous && !isAfter(event.eventTime, previous.lastActivity)) {
      return false;
    }
    student.cells[cellId] = {
      ...(previous ?? {
        attempts: 0,
        errors: 0,
        lastError: null,
        executionCount: null
      }),
      status: 'running',
      lastActivity: event.eventTime
    };
    return true;
  }

  /** A run finished: one more attempt; the latest run decides the status. */
  private _applyRun(
    student: IStudentProgress,
    cellId: string,
    event: ILiveEvent,
    result: IApplyResult
  ): boolean {
    const previous = student.cells[cellId];
    const cell: ICellProgress = previous ?? {
      status: 'succeeded',
      attempts: 0,
      errors: 0,
      lastError: null,
      lastActivity: null,
      executionCount: null
    };
    cell.attempts += 1;
    if (event.hasError) {
      cell.errors += 1;
      result.errorsChanged = true;
    }
    if (!previous || isAtOrAfter(event.eventTime, cell.lastActivity)) {
      // The latest run decides the status; a late, older event only adds to the counts.
      cell.status = event.hasError ? 'failed' : 'succeeded';
      if (event.hasError) {
        cell.lastError = event.errorMessage ?? cell.lastError;
      }
      cell.lastActivity = event.eventTime;
      cell.executionCount = event.executionCount ?? cell.executionCount;
    } else if (event.hasError && !cell.lastError) {
      cell.lastError = event.errorMessage ?? null;
    }
    student.cells[cellId] = cell;
    return true;
  }

  private _ensureCell(event: ILiveEvent, result: IApplyResult): void {
    const cellId = event.cellId as string;
    if (this._cellIds.has(cellId)) {
      const known = this._cells.find(c => c.cellId === cellId);
      if (
        known &&
        known.cellIndex === null &&
        typeof event.cellIndex === 'number'
      ) {
        known.cellIndex = event.cellIndex;
        this._sortCells();
        result.cellsAdded = true;
      }
      return;
    }
    this._cellIds.add(cellId);
    this._cells.push({
      cellId,
      cellIndex: typeof event.cellIndex === 'number' ? event.cellIndex : null,
      cellType: event.cellType ?? 'code'
    });
    this._sortCells();
    result.cellsAdded = true;
  }

  private _sortCells(): void {
    // Stable sort: cells without an index stay after the indexed ones, in arrival order.
    this._cells.sort((a, b) => {
      const ia = a.cellIndex ?? Number.POSITIVE_INFINITY;
      const ib = b.cellIndex ?? Number.POSITIVE_INFINITY;
      return ia === ib ? 0 : ia < ib ? -1 : 1;
    });
  }

  private _notebook: string | null = null;
  private _notebooks: INotebookSummary[] = [];
  private _cells: ICellInfo[] = [];
  private _cellIds = new Set<string>();
  private _students = new Map<string, IStudentProgress>();
  private _studentList: IStudentProgress[] = [];
  private _lastEventId: string | null = null;
  private _seen = new SeenIds();
  private _flashes = new Map<string, number>();
  private _newNotebookUsers = new Map<string, Set<string>>();
}
