/**
 * What each student ran in the cells they added to an assignment themselves: a summary per
 * student (runs, errors), never class columns. Pure logic.
 */
import type { IOwnCells } from '../types';

/**
 * The own-cells summaries of a grid's students.
 */
export class OwnCellsBook {
  /** Start over from a snapshot's `ownCells`. */
  load(ownCells: Record<string, IOwnCells> | undefined): void {
    this._book.clear();
    for (const [userId, own] of Object.entries(ownCells ?? {})) {
      const runs = count(own?.runs);
      const errors = count(own?.errors);
      if (runs > 0 || errors > 0) {
        this._book.set(userId, { runs, errors });
      }
    }
  }

  /** Count a live run of a student's own cell. */
  countRun(userId: string, hasError: boolean | undefined): void {
    const own = this._book.get(userId) ?? { runs: 0, errors: 0 };
    own.runs += 1;
    if (hasError) {
      own.errors += 1;
    }
    this._book.set(userId, own);
  }

  /** A student's summary, `undefined` when they ran no cell of their own. */
  of(userId: string): Readonly<IOwnCells> | undefined {
    return this._book.get(userId);
  }

  private _book = new Map<string, IOwnCells>();
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : 0;
}
