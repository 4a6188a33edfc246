/**
 * The dashboard's model of a class: a progress snapshot merged with the live events that
 * followed it. Pure logic, no DOM.
 */
import { CellRecords, CellUpdate } from './cells';
import { CellColumns } from './columns';
import { NotebookList } from './notebooks';
import { SeenIds } from './seen';
import { isAtOrAfter, latest } from './time';
import {
  ICellInfo,
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

/** What {@link ProgressModel.expireRunning} changed. */
export interface IExpireResult {
  /** Students of the selected notebook whose row changed. */
  changedStudents: Set<string>;
  /**
   * Whether a cell the snapshot showed running has outlived the running window while the
   * outcome of its earlier runs is unknown: a new snapshot tells it.
   */
  needsSnapshot: boolean;
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
 * arrives, for at most the running window; only the finished run counts as an attempt (the
 * rules of one cell are in {@link CellRecord}). Call {@link ProgressModel.expireRunning} now
 * and then, so that a start whose result never comes stops showing as running.
 */
export class ProgressModel {
  /** The selected notebook, `null` when the class has no data yet. */
  get notebook(): string | null {
    return this._notebook;
  }

  /** The notebooks of the class, most recently active first. */
  get notebooks(): readonly INotebookSummary[] {
    return this._notebooks.all;
  }

  /** The cells of the selected notebook, in notebook order. */
  get cells(): readonly ICellInfo[] {
    return this._columns.all;
  }

  /** The students of the selected notebook, in the order they appeared. */
  get students(): readonly IStudentProgress[] {
    return this._studentList;
  }

  /** The id of the last execution known. */
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
   * The memory of seen event ids starts over: the snapshot contains every event the live feed
   * announced up to its `liveSeq`, and the live connection is then resumed from there.
   */
  load(snapshot: IProgressSnapshot): void {
    this._notebook = snapshot.notebook;
    this._notebooks.load(snapshot.notebooks);
    this._columns.load(snapshot.cells);
    this._students = new Map();
    this._studentList = [];
    this._records.clear();
    for (const s of snapshot.students) {
      const copy: IStudentProgress = {
        userId: s.userId,
        lastActivity: s.lastActivity,
        currentCellId: s.currentCellId,
        cells: {}
      };
      for (const [cellId, cell] of Object.entries(s.cells)) {
        copy.cells[cellId] = { ...cell };
        this._records.load(s.userId, cellId, cell);
      }
      this._students.set(copy.userId, copy);
      this._studentList.push(copy);
    }
    this._flashes.clear();
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
        // Event ids are unique per student only: two students may use the same one.
        !this._seen.add(`${event.userId}\u0000${event.eventId}`)
      ) {
        result.duplicates += 1;
        continue;
      }
      result.applied += 1;
      if (event.eventType === 'cell_executed') {
        // The server replays executions only, so only they can serve as a resume point.
        this._lastEventId = event.eventId;
      }
      this._notebooks.count(event);
      result.notebooksChanged = true;
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

  /**
   * Stop showing as running the cells whose start has outlived the running window at `now`.
   */
  expireRunning(now: number = Date.now()): IExpireResult {
    const { updates, needsSnapshot } = this._records.expire(now);
    updates.forEach(update => this._show(update));
    return {
      changedStudents: new Set(updates.map(([userId]) => userId)),
      needsSnapshot
    };
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
      this._notebooks.atLeast(this._notebook, this._studentList.length);
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
    result.cellsAdded = this._columns.ensure(event) || result.cellsAdded;
    const before = student.cells[cellId];
    const after = this._records.apply(student.userId, cellId, event, now);
    this._show([student.userId, cellId, after]);
    if (isRun && event.hasError) {
      result.errorsChanged = true;
    }
    if (isRun || JSON.stringify(before) !== JSON.stringify(after)) {
      this._flashes.set(cellKey(student.userId, cellId), now);
    }
  }

  /** Put a cell's new state in its student's row. */
  private _show([userId, cellId, state]: CellUpdate): void {
    const cells = this._students.get(userId)?.cells;
    if (cells && state) {
      cells[cellId] = state;
    } else if (cells) {
      delete cells[cellId];
    }
  }

  private _notebook: string | null = null;
  private _notebooks = new NotebookList();
  private _columns = new CellColumns();
  private _students = new Map<string, IStudentProgress>();
  private _studentList: IStudentProgress[] = [];
  private _lastEventId: string | null = null;
  private _seen = new SeenIds();
  private _flashes = new Map<string, number>();
  private _records = new CellRecords();
}
