/**
 * The cells of the selected notebook, in notebook order: the grid's columns. Pure logic.
 */
import type { ICellInfo, ILiveEvent } from '../types';

/**
 * The grid's columns, completed by the cells that live events name.
 */
export class CellColumns {
  /** The cells, in notebook order; cells without an index last, in arrival order. */
  get all(): readonly ICellInfo[] {
    return this._cells;
  }

  /** Start over from a snapshot's cells. */
  load(cells: readonly ICellInfo[]): void {
    this._cells = cells.map(c => ({ ...c }));
    this._ids = new Set(this._cells.map(c => c.cellId));
    this._sort();
  }

  /**
   * Add the cell of an event if it is new, or give a known cell its index.
   *
   * @returns whether the columns changed
   */
  ensure(event: ILiveEvent): boolean {
    const cellId = event.cellId as string;
    const index = typeof event.cellIndex === 'number' ? event.cellIndex : null;
    if (this._ids.has(cellId)) {
      const known = this._cells.find(c => c.cellId === cellId);
      if (known && known.cellIndex === null && index !== null) {
        known.cellIndex = index;
        this._sort();
        return true;
      }
      return false;
    }
    this._ids.add(cellId);
    this._cells.push({
      cellId,
      cellIndex: index,
      cellType: event.cellType ?? 'code'
    });
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

  private _cells: ICellInfo[] = [];
  private _ids = new Set<string>();
}
