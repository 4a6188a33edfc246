/**
 * The grid's keyboard model (the WAI-ARIA grid pattern): where focus goes for a key. Pure
 * logic. Row -1 is the header row; column 0 is the students' names, columns 1..n the cells.
 */

/** A focus position in the grid. */
export interface IGridPosition {
  row: number;
  column: number;
}

/** The grid's size: body rows, and columns including the names column. */
export interface IGridSize {
  rows: number;
  columns: number;
}

/** How many rows Page Up / Page Down move. */
export const PAGE_ROWS = 10;

/**
 * The position `key` moves focus to from `at`, or `null` when the key is not a navigation key
 * (the grid lets it through). Moves stop at the edges; Ctrl+Home / Ctrl+End go to the first /
 * last cell of the grid.
 */
export function moveFocus(
  at: IGridPosition,
  key: string,
  size: IGridSize,
  ctrl = false
): IGridPosition | null {
  const lastRow = size.rows - 1;
  const lastColumn = Math.max(0, size.columns - 1);
  const row = (r: number) => Math.max(-1, Math.min(lastRow, r));
  const column = (c: number) => Math.max(0, Math.min(lastColumn, c));
  switch (key) {
    case 'ArrowRight':
      return { row: at.row, column: column(at.column + 1) };
    case 'ArrowLeft':
      return { row: at.row, column: column(at.column - 1) };
    case 'ArrowDown':
      return { row: row(at.row + 1), column: at.column };
    case 'ArrowUp':
      return { row: row(at.row - 1), column: at.column };
    case 'Home':
      return ctrl ? { row: row(0), column: 0 } : { row: at.row, column: 0 };
    case 'End':
      return ctrl
        ? { row: lastRow, column: lastColumn }
        : { row: at.row, column: lastColumn };
    case 'PageDown':
      return { row: row(at.row + PAGE_ROWS), column: at.column };
    case 'PageUp':
      return { row: row(Math.max(0, at.row - PAGE_ROWS)), column: at.column };
    default:
      return null;
  }
}

/** The position kept valid after the grid changed size (rows or columns left). */
export function clampPosition(
  at: IGridPosition,
  size: IGridSize
): IGridPosition {
  return {
    row: Math.max(-1, Math.min(size.rows - 1, at.row)),
    column: Math.max(0, Math.min(Math.max(0, size.columns - 1), at.column))
  };
}
