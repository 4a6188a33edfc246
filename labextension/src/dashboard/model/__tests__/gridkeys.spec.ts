/**
 * The grid's keyboard model (WAI-ARIA grid pattern). Row -1 is the header row, column 0 the
 * names; 3 students × 4 cells make 5 columns.
 */
import { clampPosition, moveFocus, PAGE_ROWS } from '../gridkeys';

const SIZE = { rows: 3, columns: 5 };

describe('moveFocus', () => {
  it('moves one cell with the arrow keys, stopping at the edges', () => {
    const at = { row: 1, column: 2 };
    expect(moveFocus(at, 'ArrowRight', SIZE)).toEqual({ row: 1, column: 3 });
    expect(moveFocus(at, 'ArrowLeft', SIZE)).toEqual({ row: 1, column: 1 });
    expect(moveFocus(at, 'ArrowDown', SIZE)).toEqual({ row: 2, column: 2 });
    expect(moveFocus(at, 'ArrowUp', SIZE)).toEqual({ row: 0, column: 2 });
    expect(moveFocus({ row: 2, column: 4 }, 'ArrowDown', SIZE)).toEqual({
      row: 2,
      column: 4
    });
    expect(moveFocus({ row: 0, column: 0 }, 'ArrowLeft', SIZE)).toEqual({
      row: 0,
      column: 0
    });
  });

  it('reaches the column headers above the first row, and no further', () => {
    const header = moveFocus({ row: 0, column: 3 }, 'ArrowUp', SIZE);
    expect(header).toEqual({ row: -1, column: 3 });
    expect(moveFocus(header!, 'ArrowUp', SIZE)).toEqual(header);
  });

  it('goes to the row ends with Home / End, the grid corners with Ctrl', () => {
    const at = { row: 1, column: 2 };
    expect(moveFocus(at, 'Home', SIZE)).toEqual({ row: 1, column: 0 });
    expect(moveFocus(at, 'End', SIZE)).toEqual({ row: 1, column: 4 });
    expect(moveFocus(at, 'Home', SIZE, true)).toEqual({ row: 0, column: 0 });
    expect(moveFocus(at, 'End', SIZE, true)).toEqual({ row: 2, column: 4 });
  });

  it('pages by ten rows, within the body', () => {
    const big = { rows: 25, columns: 5 };
    expect(moveFocus({ row: 3, column: 1 }, 'PageDown', big)).toEqual({
      row: 3 + PAGE_ROWS,
      column: 1
    });
    expect(moveFocus({ row: 20, column: 1 }, 'PageDown', big)?.row).toBe(24);
    expect(moveFocus({ row: 3, column: 1 }, 'PageUp', big)?.row).toBe(0);
  });

  it('lets other keys through', () => {
    expect(moveFocus({ row: 0, column: 0 }, 'a', SIZE)).toBeNull();
    expect(moveFocus({ row: 0, column: 0 }, 'Tab', SIZE)).toBeNull();
  });

  it('visits every cell of the grid from the first, row by row', () => {
    const seen = new Set<string>();
    let at = { row: 0, column: 0 };
    for (let row = 0; row < SIZE.rows; row++) {
      at = moveFocus(at, 'Home', SIZE)!;
      for (let column = 0; column < SIZE.columns; column++) {
        seen.add(`${at.row},${at.column}`);
        at = moveFocus(at, 'ArrowRight', SIZE)!;
      }
      at = moveFocus(at, 'ArrowDown', SIZE)!;
    }
    expect(seen.size).toBe(SIZE.rows * SIZE.columns);
  });
});

describe('clampPosition', () => {
  it('keeps the focus inside a grid that shrank', () => {
    expect(clampPosition({ row: 9, column: 9 }, SIZE)).toEqual({
      row: 2,
      column: 4
    });
    expect(
      clampPosition({ row: 0, column: 3 }, { rows: 0, columns: 1 })
    ).toEqual({ row: -1, column: 0 });
  });
});
