/**
 * The grid's roving focus (the WAI-ARIA grid pattern): one element of the grid is in the tab
 * order at a time; arrow keys, Home/End (Ctrl for the corners) and Page Up/Down move it, Enter
 * opens what it is about. The grid is virtualised, so the focused row is scrolled into view and
 * rendered before it is focused.
 */
import {
  clampPosition,
  IGridPosition,
  IGridSize,
  moveFocus
} from '../model/gridkeys';

/** What the focus needs of the grid. */
export interface IFocusHost {
  /** Rows and columns (the names column included). */
  size(): IGridSize;
  /** The element at a position if it is rendered (row -1: the header row). */
  elementAt(at: IGridPosition): HTMLElement | null;
  /** Scroll a body row into view and render it. */
  reveal(row: number): void;
  /** Enter (or Space) on a position. */
  activate(at: IGridPosition, element: HTMLElement): void;
}

/** Keeps one focusable element, and moves it with the keyboard. */
export class GridFocus {
  constructor(
    private readonly root: HTMLElement,
    private readonly host: IFocusHost
  ) {
    root.addEventListener('keydown', ev => this._onKey(ev));
    root.addEventListener('focusin', ev => {
      const at = positionOf(ev.target as HTMLElement);
      if (at) {
        this._at = at;
        this.sync();
      }
    });
  }

  /** The position in the tab order. */
  get position(): IGridPosition {
    return this._at;
  }

  /**
   * Give the focus position `tabindex=0` and every other rendered element `-1`; when its row
   * is scrolled away, the header of its column stands in, so the grid stays reachable by Tab.
   */
  sync(): void {
    this._at = clampPosition(this._at, this.host.size());
    const target =
      this.host.elementAt(this._at) ??
      this.host.elementAt({ row: -1, column: this._at.column });
    this.root.querySelectorAll<HTMLElement>('[data-col]').forEach(node => {
      const tabindex = node === target ? '0' : '-1';
      if (node.getAttribute('tabindex') !== tabindex) {
        node.setAttribute('tabindex', tabindex);
      }
    });
  }

  private _onKey(ev: KeyboardEvent): void {
    const from = positionOf(ev.target as HTMLElement);
    if (!from) {
      return;
    }
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      this.host.activate(from, ev.target as HTMLElement);
      return;
    }
    const to = moveFocus(from, ev.key, this.host.size(), ev.ctrlKey);
    if (!to) {
      return;
    }
    ev.preventDefault();
    this._at = to;
    if (to.row >= 0) {
      this.host.reveal(to.row);
    }
    this.sync();
    this.host.elementAt(to)?.focus({ preventScroll: to.row < 0 });
  }

  private _at: IGridPosition = { row: 0, column: 1 };
}

/** Mark an element as the grid position (row, column). */
export function markPosition(
  node: HTMLElement,
  row: number,
  column: number
): void {
  node.dataset.row = String(row);
  node.dataset.col = String(column);
}

function positionOf(node: HTMLElement | null): IGridPosition | null {
  const cell = node?.closest?.('[data-col]') as HTMLElement | null;
  if (!cell || cell.dataset.row === undefined || cell.dataset.row === '') {
    return null;
  }
  return { row: Number(cell.dataset.row), column: Number(cell.dataset.col) };
}
