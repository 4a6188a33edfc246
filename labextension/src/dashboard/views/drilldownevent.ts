/**
 * How a view asks for a cell's drill-down: a DOM event that bubbles up to the dashboard (no
 * import of the panel, so the grid and the errors view stay light).
 */

/** The DOM event a column header or an error group sends to open the drill-down. */
export const OPEN_CELL_EVENT = 'pt-open-cell';

/** What {@link OPEN_CELL_EVENT} says: the cell, and an error group if it came from one. */
export interface IOpenCellDetail {
  cellId: string;
  group?: { errorMessage: string; students: readonly string[] } | null;
}

/** Ask the dashboard (the event bubbles up to it) to open the drill-down of a cell. */
export function requestDrilldown(
  from: HTMLElement,
  detail: IOpenCellDetail
): void {
  from.dispatchEvent(
    new CustomEvent<IOpenCellDetail>(OPEN_CELL_EVENT, { bubbles: true, detail })
  );
}
