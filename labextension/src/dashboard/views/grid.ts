/**
 * The students × cells grid, virtualised: only the rows in view exist in the DOM, so a class
 * of 500 students × 60 cells scrolls and updates without lag.
 *
 * It follows the WAI-ARIA grid pattern (views/gridfocus.ts): every cell is reachable by the
 * keyboard and announces its details (`aria-label`); a status shows by a glyph as well as by
 * colour. Students are named through `studentLabel` (projector mode).
 */
import { el } from './dom';
import { completionByCell } from '../model/completion';
import { Texts } from '../model/format';
import type { IGridPosition } from '../model/gridkeys';
import { CompletionBars } from './completionbar';
import { GridFocus } from './gridfocus';
import {
  CELL_WIDTH,
  createRow,
  fillRow,
  IGridData,
  NAME_WIDTH,
  OVERSCAN,
  OWN_WIDTH,
  ROW_HEIGHT
} from './gridrow';
import { attachCellTips } from './gridtip';
import { GridHeader } from './gridheader';
import { legend } from './legend';

export { FLASH_MS } from './gridrow';
export type { IGridData } from './gridrow';

/**
 * The grid. Call {@link GridView.render} whenever the data changes; scrolling re-renders the
 * rows in view by itself.
 */
export class GridView {
  /** The grid's root element. */
  readonly node: HTMLElement;

  /**
   * @param onSelect - called with a user name when the instructor clicks a student, or opens
   *   a student's row or cell with Enter
   */
  constructor(
    private readonly texts: Texts,
    private readonly onSelect: (userId: string) => void
  ) {
    this._bars = new CompletionBars(texts, {
      name: NAME_WIDTH,
      cell: CELL_WIDTH
    });
    this._header = el('div', {
      className: 'pt-grid-header',
      attrs: { role: 'row', 'aria-rowindex': '1' }
    });
    this._body = el('div', {
      className: 'pt-grid-body',
      attrs: { role: 'rowgroup' }
    });
    this._viewport = el(
      'div',
      {
        className: 'pt-grid-viewport',
        attrs: {
          role: 'grid',
          'aria-label': texts.trans.__('Students by cells')
        }
      },
      [this._header, this._bars.node, this._body]
    );
    this._tooltip = el('div', {
      className: 'pt-tooltip',
      attrs: { role: 'tooltip' }
    });
    this._tooltip.style.display = 'none';
    this._headers = new GridHeader(texts, this._header, this._tooltip, {
      name: NAME_WIDTH,
      cell: CELL_WIDTH,
      own: OWN_WIDTH
    });
    this.node = el('div', { className: 'pt-grid' }, [
      this._viewport,
      this._headers.descriptions,
      legend(texts)
    ]);

    this._focus = new GridFocus(this._viewport, {
      size: () => this._size(),
      elementAt: at => this._elementAt(at),
      reveal: row => this._reveal(row),
      activate: (at, node) => this._activate(at, node)
    });
    attachCellTips(this._viewport, this._tooltip);
    this._viewport.addEventListener('scroll', () => this._renderRows());
    this._body.addEventListener('click', ev => {
      const name = (ev.target as HTMLElement).closest(
        '.pt-grid-name'
      ) as HTMLElement | null;
      if (name?.dataset.user) {
        this.onSelect(name.dataset.user);
      }
    });
  }

  /** Show new data (cheap: only the rows in view are touched). */
  render(data: IGridData): void {
    const columnKey = JSON.stringify([
      data.cells.map(c => [c.cellIndex, c.cellId, c.label, c.source]),
      !!data.withOwnCells
    ]);
    this._data = data;
    if (columnKey !== this._columnKey) {
      this._columnKey = columnKey;
      this._headers.render(data.cells, !!data.withOwnCells);
      for (const row of this._pool) {
        row.remove();
      }
      this._pool = [];
    }
    const completion = completionByCell(data.cells, data.rows);
    this._bars.render(data.cells, completion);
    this._headers.setCompletion(completion);
    const columns = data.cells.length + 1 + (data.withOwnCells ? 1 : 0);
    this._viewport.setAttribute('aria-rowcount', String(data.rows.length + 1));
    this._viewport.setAttribute('aria-colcount', String(columns));
    const width =
      NAME_WIDTH +
      data.cells.length * CELL_WIDTH +
      (data.withOwnCells ? OWN_WIDTH : 0);
    this._body.style.height = `${data.rows.length * ROW_HEIGHT}px`;
    this._body.style.width = `${width}px`;
    this._header.style.width = `${width}px`;
    this._bars.node.style.width = `${width}px`;
    this._renderRows();
  }

  /** Remove the tooltip from the document. */
  dispose(): void {
    this._tooltip.remove();
  }

  private _renderRows(): void {
    const data = this._data;
    if (!data) {
      return;
    }
    const top = Math.max(
      0,
      this._viewport.scrollTop -
        this._header.offsetHeight -
        this._bars.node.offsetHeight
    );
    const height = this._viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      data.rows.length,
      Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN
    );
    const needed = Math.max(0, last - first);
    while (this._pool.length < needed) {
      const row = createRow(data.cells.length, !!data.withOwnCells);
      this._pool.push(row);
      this._body.appendChild(row);
    }
    for (let i = 0; i < this._pool.length; i++) {
      const row = this._pool[i];
      const index = first + i;
      if (i >= needed) {
        row.style.display = 'none';
        row.dataset.index = '';
        continue;
      }
      row.style.display = '';
      fillRow(this.texts, row, index, data.rows[index], data);
    }
    this._focus.sync();
  }

  /** Rows, and columns with the names (and own cells). */
  private _size(): { rows: number; columns: number } {
    const data = this._data;
    if (!data) {
      return { rows: 0, columns: 1 };
    }
    const own = data.withOwnCells ? 1 : 0;
    return { rows: data.rows.length, columns: data.cells.length + 1 + own };
  }

  private _elementAt(at: IGridPosition): HTMLElement | null {
    if (at.row < 0) {
      return (this._header.children[at.column] as HTMLElement) ?? null;
    }
    const row = this._pool.find(r => r.dataset.index === String(at.row));
    return (row?.children[at.column] as HTMLElement) ?? null;
  }

  /** Scroll a row into view (keeping it under the sticky headers) and render it. */
  private _reveal(index: number): void {
    const above = this._header.offsetHeight + this._bars.node.offsetHeight;
    const top = index * ROW_HEIGHT;
    const viewport = this._viewport;
    const visible = Math.max(ROW_HEIGHT, viewport.clientHeight - above);
    if (top < viewport.scrollTop) {
      viewport.scrollTop = top;
    } else if (top + ROW_HEIGHT > viewport.scrollTop + visible) {
      viewport.scrollTop = top + ROW_HEIGHT - visible;
    }
    this._renderRows();
  }

  /** Enter on a student's name or cell opens their timeline. */
  private _activate(at: IGridPosition, node: HTMLElement): void {
    const student = at.row >= 0 ? this._data?.rows[at.row] : undefined;
    if (student) {
      this.onSelect(student.userId);
    } else if (at.row < 0) {
      node.click();
    }
  }

  private _viewport: HTMLElement;
  private _header: HTMLElement;
  private _body: HTMLElement;
  private _tooltip: HTMLElement;
  private _headers: GridHeader;
  private _bars: CompletionBars;
  private _focus: GridFocus;
  private _pool: HTMLElement[] = [];
  private _data: IGridData | null = null;
  private _columnKey: string | null = null;
}
