/**
 * The dashboard's model of a class: a progress snapshot merged with the live events that
 * followed it. Pure logic, no DOM.
 */
import { CellRecords } from './cellrecords';
import { isInterrupted } from './cells';
import { cellKey, IApplyResult, IExpireResult } from './changes';
import { CellColumns, columnsFromSnapshot, IGridColumn } from './columns';
import { NotebookList } from './notebooks';
import { OwnCellsBook } from './owncells';
import { eventKey, Selection, selectionKey } from './picker';
import { isPresenceOnly, PresenceBook } from './presence';
import { SeenIds } from './seen';
import { StudentRows } from './students';
import { isAtOrAfter, latest } from './time';
import {
  IAssignmentInfo,
  ILiveEvent,
  INotebookSummary,
  IProgressSnapshot,
  IStudentProgress
} from '../types';

export { cellKey } from './changes';
export type { IApplyResult, IExpireResult } from './changes';

/**
 * A class's progress in one assignment or unpublished notebook, kept up to date with live
 * events.
 *
 * Load a snapshot with {@link ProgressModel.load}, then feed every event from the WebSocket
 * to {@link ProgressModel.apply}. Events seen twice are ignored. Events of other assignments
 * and notebooks only update the notebook list. In an assignment, a run of a cell that is not
 * a published one counts in the student's own cells, never as a column.
 *
 * A `cell_started` event shows its cell as `running` until the run's `cell_executed` event
 * arrives, for at most the running window; only the finished run counts as an attempt (the
 * rules of one cell are in {@link CellRecord}). Call {@link ProgressModel.expireRunning} now
 * and then, so that a start whose result never comes stops showing as running. A
 * `kernel_status` event (a restart, shutdown or reload) ends the student's running cells.
 */
export class ProgressModel {
  /** The selected notebook, `null` when the class has no data yet. */
  get notebook(): string | null {
    return this._notebook;
  }

  /** What the grid shows, as the API is asked for it; `null` when the class has no data. */
  get selection(): Selection | null {
    return this._selection;
  }

  /** The picker key of what the grid shows (`assignment:<id>` or the path). */
  get selectedKey(): string | null {
    return this._key;
  }

  /** The assignments and unpublished notebooks of the class, for the picker. */
  readonly list = new NotebookList();

  /** The assignment shown, `null` for an unpublished notebook. */
  get assignment(): IAssignmentInfo | null {
    return this._assignment;
  }

  /** The students' own cells (of an assignment). */
  readonly ownCells = new OwnCellsBook();

  /** Who has it open, first opened and last saved. */
  readonly presence = new PresenceBook();

  /** The notebooks of the class, most recently active first. */
  get notebooks(): readonly INotebookSummary[] {
    return this.list.all;
  }

  /** The grid's columns, in order (for an assignment, all its published cells). */
  get cells(): readonly IGridColumn[] {
    return this._columns.all;
  }

  /** The students of the selected notebook, in the order they appeared. */
  get students(): readonly IStudentProgress[] {
    return this._rows.all;
  }

  /** The id of the last execution known. */
  get lastEventId(): string | null {
    return this._lastEventId;
  }

  /** A student of the selected notebook, if known. */
  student(userId: string): IStudentProgress | undefined {
    return this._rows.get(userId);
  }

  /**
   * Replace everything with a snapshot from `GET api/v1/progress`.
   *
   * The memory of seen event ids starts over: the snapshot contains every event the live feed
   * announced up to its `liveSeq`, and the live connection is then resumed from there.
   */
  load(snapshot: IProgressSnapshot): void {
    this._notebook = snapshot.notebook;
    this._assignment = snapshot.assignment ?? null;
    this._selection = this._assignment
      ? { assignment: this._assignment.id }
      : snapshot.notebook !== null
        ? { notebook: snapshot.notebook }
        : null;
    this._key = this._selection ? selectionKey(this._selection) : null;
    this.list.load(snapshot.notebooks);
    // Without `columns` (a server from before assignments), the columns are derived as before.
    this._columns.load(
      Array.isArray(snapshot.columns)
        ? columnsFromSnapshot(snapshot.columns)
        : snapshot.cells,
      this._assignment !== null
    );
    this.ownCells.load(snapshot.ownCells);
    this.presence.load(snapshot.presence);
    this._rows.load(snapshot.students);
    this._records.clear();
    for (const s of snapshot.students) {
      for (const [cellId, cell] of Object.entries(s.cells)) {
        this._records.load(s.userId, cellId, cell);
      }
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
      this.list.count(event);
      result.notebooksChanged = true;
      if (this._key !== null && eventKey(event) === this._key) {
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
    updates.forEach(update => this._rows.show(update));
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
    if (event.eventType === 'kernel_status') {
      // Ends the student's running cells; it adds no student (the snapshot lists none either).
      const updates = this._records.applyKernelStatus(
        event.userId,
        event.eventTime,
        now
      );
      updates.forEach(update => this._rows.show(update));
      if (updates.length > 0) {
        result.changedStudents.add(event.userId);
      }
      return;
    }
    let student = this._rows.get(event.userId);
    if (!student) {
      student = this._rows.add(event.userId);
      result.studentsAdded = true;
      this.list.atLeast(this._key, this._rows.all.length);
    }
    result.changedStudents.add(student.userId);
    const isNewest = isAtOrAfter(event.eventTime, student.lastActivity);
    if (!isPresenceOnly(event)) {
      student.lastActivity = latest(student.lastActivity, event.eventTime);
    }
    this.presence.apply(event);

    const isRun = event.eventType === 'cell_executed';
    if ((!isRun && event.eventType !== 'cell_started') || !event.cellId) {
      return;
    }
    // A published cell by its id or grade id; in an assignment, any other is the student's own.
    const column = this._columns.columnOf(event);
    if (column === null && this._columns.fixed) {
      if (isRun) {
        this.ownCells.countRun(
          student.userId,
          event.hasError && !isInterrupted(event)
        );
      }
      return;
    }
    const cellId = column ?? event.cellId;
    if (isNewest) {
      student.currentCellId = cellId;
    }
    result.cellsAdded = this._columns.ensure(event) || result.cellsAdded;
    const before = student.cells[cellId];
    const after = this._records.apply(student.userId, cellId, event, now);
    this._rows.show([student.userId, cellId, after]);
    if (isRun && event.hasError && !isInterrupted(event)) {
      result.errorsChanged = true;
    }
    if (isRun || JSON.stringify(before) !== JSON.stringify(after)) {
      this._flashes.set(cellKey(student.userId, cellId), now);
    }
  }

  private _notebook: string | null = null;
  private _selection: Selection | null = null;
  private _assignment: IAssignmentInfo | null = null;
  /** The picker key of the selection: events with this key belong to the grid. */
  private _key: string | null = null;
  private _columns = new CellColumns();
  private _rows = new StudentRows();
  private _lastEventId: string | null = null;
  private _seen = new SeenIds();
  private _flashes = new Map<string, number>();
  private _records = new CellRecords();
}
