/**
 * The grid's columns. Pure logic.
 *
 * For a published assignment they are its published cells, all of them, in order, whether run
 * or not (the snapshot's `columns`); a cell a student added is never a column (it counts in
 * their own cells). For a notebook never published they are the cells somebody ran, in
 * notebook order, completed by the cells live events name (also from a server that sends no
 * `columns`).
 */
import type { ICellInfo, IColumn, ILiveEvent } from '../types';

/** A column of the grid: a cell, and the nbgrader id it may also be matched by. */
export interface IGridColumn extends ICellInfo {
  gradeId?: string | null;
}

/** The columns of a snapshot's `columns` list, in their order. */
export function columnsFromSnapshot(
  columns: readonly IColumn[]
): IGridColumn[] {
  return columns
    .filter(c => c && typeof c.cellId === 'string')
    .map((c, i) => ({
      cellId: c.cellId,
      cellIndex: typeof c.position === 'number' ? c.position : i,
      cellType: c.cellType ?? null,
      label: c.label ?? null,
      source: c.source ?? null,
      gradeId: (c as { gradeId?: string | null }).gradeId ?? null
    }));
}

/**
 * The grid's columns, completed by the cells that live events name unless they are fixed.
 */
export class CellColumns {
  /** The cells, in order; cells without an index last, in arrival order. */
  get all(): readonly IGridColumn[] {
    return this._cells;
  }

  /** Whether the columns are an assignment's published cells (live events add none). */
  get fixed(): boolean {
    return this._fixed;
  }

  /**
   * Start over from a snapshot's cells.
   *
   * @param fixed - they are a published assignment's cells: keep them as they are, in order
   */
  load(cells: readonly IGridColumn[], fixed = false): void {
    this._fixed = fixed;
    this._cells = cells.map(c => ({ ...c }));
    this._ids = new Map(this._cells.map(c => [c.cellId, c]));
    this._grades = new Map();
    for (const c of this._cells) {
      if (c.gradeId && !this._grades.has(c.gradeId)) {
        this._grades.set(c.gradeId, c.cellId);
      }
    }
    if (!fixed) {
      this._sort();
    }
  }

  /**
   * The column an event's cell is: by cell id, else by nbgrader grade id; `null` when it is
   * none (a student's own cell of an assignment).
   */
  columnOf(event: Pick<ILiveEvent, 'cellId' | 'gradeId'>): string | null {
    if (event.cellId && this._ids.has(event.cellId)) {
      return event.cellId;
    }
    return (event.gradeId && this._grades.get(event.gradeId)) || null;
  }

  /**
   * Add the cell of an event if it is new (unless the columns are fixed), or give a known cell
   * its index.
   *
   * @returns whether the columns changed
   */
  ensure(event: ILiveEvent): boolean {
    const cellId = event.cellId as string;
    const index = typeof event.cellIndex === 'number' ? event.cellIndex : null;
    if (this._fixed) {
      return false;
    }
    const known = this._ids.get(cellId);
    if (known) {
      if (known.cellIndex === null && index !== null) {
        known.cellIndex = index;
        this._sort();
        return true;
      }
      return false;
    }
    const cell: IGridColumn = {
      cellId,
      cellIndex: index,
      cellType: event.cellType ?? 'code'
    };
    this._ids.set(cellId, cell);
    this._cells.push(cell);
    this._sort();
    return true;
  }

  private _sort(): void {
    // Stable sort: cells without an index stay after the indexed ones, in arrival order.
    this._cells.sort((a, b) => {
      const ia = a.cellIndex ?? Number.POSITIVE_INFINITY;
      const ib = b.cellIndex ?? Number.POSITIVE_INFINITY;
      return ia === ib ? 0 : ia < ib ? -1 : 1;
    });
  }

  private _cells: IGridColumn[] = [];
  private _ids = new Map<string, IGridColumn>();
  private _grades = new Map<string, string>();
  private _fixed = false;
}
