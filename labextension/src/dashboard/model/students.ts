/**
 * The grid's rows: the students of the selected notebook, in the order they appeared, each
 * with the state of their cells. Pure logic, no DOM.
 */
import type { CellUpdate } from './cellrecords';
import type { IStudentProgress } from '../types';

/** The students of the selected notebook, by id and in the order they appeared. */
export class StudentRows {
  /** The students, in the order they appeared. */
  get all(): readonly IStudentProgress[] {
    return this._list;
  }

  /** A student, if known. */
  get(userId: string): IStudentProgress | undefined {
    return this._byId.get(userId);
  }

  /** Replace every row with copies of a snapshot's students (new lists, not cleared ones). */
  load(students: readonly IStudentProgress[]): void {
    this._byId = new Map();
    this._list = [];
    for (const s of students) {
      const copy: IStudentProgress = {
        userId: s.userId,
        lastActivity: s.lastActivity,
        currentCellId: s.currentCellId,
        cells: {}
      };
      for (const [cellId, cell] of Object.entries(s.cells)) {
        copy.cells[cellId] = { ...cell };
      }
      this._byId.set(copy.userId, copy);
      this._list.push(copy);
    }
  }

  /** Add a row for a student not seen yet, with no activity and no cell. */
  add(userId: string): IStudentProgress {
    const student: IStudentProgress = {
      userId,
      lastActivity: null,
      currentCellId: null,
      cells: {}
    };
    this._byId.set(student.userId, student);
    this._list.push(student);
    return student;
  }

  /** Put a cell's new state in its student's row. */
  show([userId, cellId, state]: CellUpdate): void {
    const cells = this._byId.get(userId)?.cells;
    if (cells && state) {
      cells[cellId] = state;
    } else if (cells) {
      delete cells[cellId];
    }
  }

  private _byId = new Map<string, IStudentProgress>();
  private _list: IStudentProgress[] = [];
}
