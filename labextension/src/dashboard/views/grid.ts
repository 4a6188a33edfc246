/**
 * The students × cells grid, virtualised: only the rows in view exist in the DOM, so a class
 * of 500 students × 60 cells scrolls and updates without lag.
 */
import { el } from './dom';
import { Texts } from '../model/format';
import type { IPresenceView } from '../model/presence';
import { ICellInfo, IOwnCells, IStudentProgress } from '../types';
import { GridHeader } from './gridheader';
import { legend } from './legend';

const ROW_HEIGHT = 22;
const CELL_WIDTH = 20;
const NAME_WIDTH = 180;
const OWN_WIDTH = 72;
const OVERSCAN = 6;
/** How long a cell stays highlighted after a live run, in ms. */
export const FLASH_MS = 3000;

/** What the grid shows, handed over on each render. */
export interface IGridData {
  cells: readonly ICellInfo[];
  rows: readonly IStudentProgress[];
  /** Users needing help (their names are emphasised). */
  needsHelp: ReadonlySet<string>;
  /** When a cell last changed live (local ms), for the "just ran" highlight. */
  flashedAt: (userId: string, cellId: string) => number | undefined;
  now: number;
  /** Whether the columns are an assignment's (its students' own cells get a summary). */
  withOwnCells?: boolean;
  /** A student's own cells, `undefined` when they ran none. */
  ownCells?: (userId: string) => Readonly<IOwnCells> | undefined;
  /** A student's presence, `undefined` when unknown. */
  presence?: (userId: string) => IPresenceView | undefined;
}

/**
 * The grid. Call {@link GridView.render} whenever the data changes; scrolling re-renders the
 * rows in view by itself.
 */
export class GridView {
  /** The grid's root element. */
  readonly node: HTMLElement;

  /**
   * @param onSelect - called with a user name when the instructor clicks a student.
   */
  constructor(
    private readonly texts: Texts,
    private readonly onSelect: (userId: string) => void
  ) {
    this._header = el('div', {
      className: 'pt-grid-header',
      attrs: { role: 'row' }
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
      [this._header, this._body]
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

    this._viewport.addEventListener('scroll', () => this._renderRows());
    this._body.addEventListener('mousemove', ev => this._onHover(ev));
    this._body.addEventListener('mouseleave', () => this._hideTooltip());
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
    const width =
      NAME_WIDTH +
      data.cells.length * CELL_WIDTH +
      (data.withOwnCells ? OWN_WIDTH : 0);
    this._body.style.height = `${data.rows.length * ROW_HEIGHT}px`;
    this._body.style.width = `${width}px`;
    this._header.style.width = `${width}px`;
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
      this._viewport.scrollTop - this._header.offsetHeight
    );
    const height = this._viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      data.rows.length,
      Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN
    );
    const needed = Math.max(0, last - first);
    while (this._pool.length < needed) {
      const row = this._createRow(data.cells.length, !!data.withOwnCells);
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
      this._fillRow(row, index, data.rows[index], data);
    }
  }

  private _createRow(columns: number, withOwnCells: boolean): HTMLElement {
    const name = el('button', {
      className: 'pt-grid-name',
      attrs: { type: 'button' }
    });
    name.style.width = `${NAME_WIDTH}px`;
    const row = el(
      'div',
      { className: 'pt-grid-row', attrs: { role: 'row' } },
      [name]
    );
    row.style.height = `${ROW_HEIGHT}px`;
    for (let j = 0; j < columns; j++) {
      const cell = el('div', {
        className: 'pt-grid-cell',
        attrs: { role: 'gridcell' }
      });
      cell.style.width = `${CELL_WIDTH - 4}px`;
      cell.style.height = `${ROW_HEIGHT - 4}px`;
      row.appendChild(cell);
    }
    if (withOwnCells) {
      // After the columns: `row.children[j + 1]` stays column j.
      const own = el('div', {
        className: 'pt-grid-own',
        attrs: { role: 'gridcell' }
      });
      own.style.width = `${OWN_WIDTH}px`;
      row.appendChild(own);
    }
    return row;
  }

  private _fillRow(
    row: HTMLElement,
    index: number,
    student: IStudentProgress,
    data: IGridData
  ): void {
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.dataset.index = String(index);
    row.dataset.user = student.userId;
    const name = row.firstChild as HTMLElement;
    if (name.textContent !== student.userId) {
      name.textContent = student.userId;
    }
    const presence = data.presence?.(student.userId);
    const details = this.texts.presence(student.userId, presence);
    if (name.title !== details) {
      name.title = details;
    }
    name.dataset.user = student.userId;
    name.dataset.help = String(data.needsHelp.has(student.userId));
    name.dataset.open = String(!!presence?.open);
    if (data.withOwnCells) {
      const own = row.lastChild as HTMLElement;
      const counts = data.ownCells?.(student.userId);
      own.textContent = counts ? this.texts.ownCells(counts) : '';
      own.dataset.errors = String(counts?.errors ?? 0);
    }
    for (let j = 0; j < data.cells.length; j++) {
      const node = row.children[j + 1] as HTMLElement;
      const cellId = data.cells[j].cellId;
      const progress = student.cells[cellId];
      const status = progress ? progress.status : 'not-run';
      if (node.dataset.status !== status) {
        node.dataset.status = status;
      }
      const flashed = data.flashedAt(student.userId, cellId);
      const flash = String(
        flashed !== undefined && data.now - flashed < FLASH_MS
      );
      if (node.dataset.flash !== flash) {
        node.dataset.flash = flash;
      }
    }
  }

  private _onHover(ev: MouseEvent): void {
    const data = this._data;
    const target = ev.target as HTMLElement;
    if (!data || !target.classList.contains('pt-grid-cell')) {
      this._hideTooltip();
      return;
    }
    const row = target.parentElement as HTMLElement;
    const student = data.rows[Number(row.dataset.index)];
    const column = Array.prototype.indexOf.call(row.children, target) - 1;
    const cell = data.cells[column];
    if (!student || !cell) {
      this._hideTooltip();
      return;
    }
    if (!this._tooltip.isConnected) {
      document.body.appendChild(this._tooltip);
    }
    this._tooltip.textContent = this.texts.cellTooltip(
      student.userId,
      cell,
      student.cells[cell.cellId]
    );
    this._tooltip.style.display = '';
    this._tooltip.style.left = `${ev.clientX + 12}px`;
    this._tooltip.style.top = `${ev.clientY + 12}px`;
  }

  private _hideTooltip(): void {
    this._tooltip.style.display = 'none';
  }

  private _viewport: HTMLElement;
  private _header: HTMLElement;
  private _body: HTMLElement;
  private _tooltip: HTMLElement;
  private _headers: GridHeader;
  private _pool: HTMLElement[] = [];
  private _data: IGridData | null = null;
  private _columnKey: string | null = null;
}
