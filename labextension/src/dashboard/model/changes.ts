/**
 * What live events and the passing of time changed in the dashboard's model. Pure logic.
 */

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
