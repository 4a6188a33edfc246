/**
 * The grid's column headers: each column's label (a published cell's heading or first line,
 * else its position), with the cell's full source on hover (the native tooltip) and on
 * keyboard focus (a tooltip, and `aria-describedby` for screen readers). Text only, never
 * markup: the source is whatever the instructor wrote.
 */
import { clear, el } from './dom';
import { requestDrilldown } from './drilldownevent';
import { completionText } from './completionbar';
import { markPosition } from './gridfocus';
import type { ICompletion } from '../model/completion';
import { cellPosition, Texts } from '../model/format';
import type { ICellInfo } from '../types';

/** A distinct prefix per grid, for the ids of the descriptions. */
let nextGrid = 0;

/** The text a header shows: the label, else the cell's 1-based position. */
export function headerText(cell: ICellInfo): string {
  return cell.label ? cell.label : cellPosition(cell).slice(1, -1);
}

/** The full description of a column: its position, its label and its source. */
export function headerDescription(texts: Texts, cell: ICellInfo): string {
  const position = texts.trans.__('cell %1', cellPosition(cell));
  const name = cell.label ? `${position} · ${cell.label}` : position;
  return cell.source ? `${name}\n\n${cell.source}` : name;
}

/**
 * The header row of the grid.
 */
export class GridHeader {
  /** The descriptions the headers point to (hidden; read by assistive technology). */
  readonly descriptions: HTMLElement;

  /**
   * @param node - the header row
   * @param tooltip - the grid's tooltip, shown under a focused header
   */
  constructor(
    private readonly texts: Texts,
    readonly node: HTMLElement,
    private readonly tooltip: HTMLElement,
    private readonly widths: { name: number; cell: number; own: number }
  ) {
    this._prefix = `pt-coldesc-${++nextGrid}`;
    this.descriptions = el('div', { className: 'pt-grid-descriptions' });
    this.descriptions.hidden = true;
    node.addEventListener('focusin', ev => this._onFocus(ev));
    node.addEventListener(
      'focusout',
      () => (this.tooltip.style.display = 'none')
    );
    // A column's header opens its drill-down (click, Enter or Space).
    node.addEventListener('click', ev => this._open(ev));
    node.addEventListener('keydown', ev => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        this._open(ev);
      }
    });
  }

  private _open(ev: Event): void {
    const head = (ev.target as HTMLElement).closest?.(
      '.pt-grid-colhead[data-cell-id]'
    ) as HTMLElement | null;
    if (head?.dataset.cellId) {
      ev.preventDefault();
      requestDrilldown(head, { cellId: head.dataset.cellId });
    }
  }

  /** Show the headers of `cells`, and the own-cells column when `withOwnCells`. */
  render(cells: readonly ICellInfo[], withOwnCells: boolean): void {
    const { trans } = this.texts;
    clear(this.node);
    clear(this.descriptions);
    this._cells = cells;
    const corner = el('div', {
      className: 'pt-grid-corner',
      text: trans.__('student \\ cell'),
      attrs: { role: 'columnheader', 'aria-colindex': '1', tabindex: '-1' }
    });
    markPosition(corner, -1, 0);
    corner.style.width = `${this.widths.name}px`;
    this.node.appendChild(corner);
    this.node.dataset.labelled = String(cells.some(c => !!c.label));
    cells.forEach((cell, i) => {
      const id = `${this._prefix}-${i}`;
      const description = headerDescription(this.texts, cell);
      this.descriptions.appendChild(
        el('div', { text: description, attrs: { id } })
      );
      const head = el('div', {
        className: 'pt-grid-colhead',
        text: headerText(cell),
        title: description,
        attrs: {
          role: 'columnheader',
          tabindex: '-1',
          'aria-colindex': String(i + 2),
          'aria-describedby': id
        }
      });
      markPosition(head, -1, i + 1);
      head.dataset.column = String(i);
      head.dataset.cellId = cell.cellId;
      head.style.width = `${this.widths.cell}px`;
      this.node.appendChild(head);
    });
    if (withOwnCells) {
      const own = el('div', {
        className: 'pt-grid-colhead pt-grid-ownhead',
        text: trans.__('own cells'),
        title: trans.__(
          'runs and errors in cells the student added (not part of the assignment)'
        ),
        attrs: {
          role: 'columnheader',
          tabindex: '-1',
          'aria-colindex': String(cells.length + 2)
        }
      });
      markPosition(own, -1, cells.length + 1);
      own.style.width = `${this.widths.own}px`;
      this.node.appendChild(own);
    }
  }

  /** Add each column's completion to its description. */
  setCompletion(completion: ReadonlyMap<string, ICompletion>): void {
    this._cells.forEach((cell, i) => {
      const node = this.descriptions.children[i] as HTMLElement | undefined;
      const value = completion.get(cell.cellId);
      if (!node) {
        return;
      }
      const base = headerDescription(this.texts, cell);
      const text = value
        ? `${completionText(this.texts, value)}\n${base}`
        : base;
      if (node.textContent !== text) {
        node.textContent = text;
      }
    });
  }

  private _onFocus(ev: FocusEvent): void {
    const head = (ev.target as HTMLElement).closest?.(
      '.pt-grid-colhead'
    ) as HTMLElement | null;
    const cell = head ? this._cells[Number(head.dataset.column)] : undefined;
    if (!head || !cell) {
      return;
    }
    if (!this.tooltip.isConnected) {
      document.body.appendChild(this.tooltip);
    }
    const box = head.getBoundingClientRect();
    const description = this.descriptions.children[Number(head.dataset.column)];
    this.tooltip.textContent =
      description?.textContent ?? headerDescription(this.texts, cell);
    this.tooltip.style.display = '';
    this.tooltip.style.left = `${box.left}px`;
    this.tooltip.style.top = `${box.bottom + 4}px`;
  }

  private _prefix: string;
  private _cells: readonly ICellInfo[] = [];
}
