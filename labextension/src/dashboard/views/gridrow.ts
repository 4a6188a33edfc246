/**
 * One row of the grid: a student's name (a row header) and a cell per column, each a
 * focusable grid cell whose `aria-label` says its status, attempts, last error and time.
 */
import { el } from './dom';
import { Texts } from '../model/format';
import type { IPresenceView } from '../model/presence';
import { studentLabel } from '../model/pseudonyms';
import { ICellInfo, IOwnCells, IStudentProgress } from '../types';
import { markPosition } from './gridfocus';

export const ROW_HEIGHT = 22;
export const CELL_WIDTH = 20;
export const NAME_WIDTH = 180;
export const OWN_WIDTH = 72;
export const OVERSCAN = 6;
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

/** A new row of `columns` cells (and the own-cells summary). */
export function createRow(columns: number, withOwnCells: boolean): HTMLElement {
  const name = el('div', {
    className: 'pt-grid-name',
    attrs: { role: 'rowheader', tabindex: '-1', 'aria-colindex': '1' }
  });
  name.style.width = `${NAME_WIDTH}px`;
  const row = el('div', { className: 'pt-grid-row', attrs: { role: 'row' } }, [
    name
  ]);
  row.style.height = `${ROW_HEIGHT}px`;
  for (let j = 0; j < columns; j++) {
    const cell = el('div', {
      className: 'pt-grid-cell',
      attrs: {
        role: 'gridcell',
        tabindex: '-1',
        'aria-colindex': String(j + 2)
      }
    });
    cell.style.width = `${CELL_WIDTH - 4}px`;
    cell.style.height = `${ROW_HEIGHT - 4}px`;
    row.appendChild(cell);
  }
  if (withOwnCells) {
    // After the columns: `row.children[j + 1]` stays column j.
    const own = el('div', {
      className: 'pt-grid-own',
      attrs: {
        role: 'gridcell',
        tabindex: '-1',
        'aria-colindex': String(columns + 2)
      }
    });
    own.style.width = `${OWN_WIDTH}px`;
    row.appendChild(own);
  }
  return row;
}

/** Show a student in a row. */
export function fillRow(
  texts: Texts,
  row: HTMLElement,
  index: number,
  student: IStudentProgress,
  data: IGridData
): void {
  row.style.top = `${index * ROW_HEIGHT}px`;
  row.dataset.index = String(index);
  row.dataset.user = student.userId;
  row.setAttribute('aria-rowindex', String(index + 2));
  const name = row.firstChild as HTMLElement;
  const label = studentLabel(student.userId);
  if (name.textContent !== label) {
    name.textContent = label;
  }
  markPosition(name, index, 0);
  const presence = data.presence?.(student.userId);
  const details = texts.presence(student.userId, presence);
  if (name.title !== details) {
    name.title = details;
  }
  name.dataset.user = student.userId;
  name.dataset.help = String(data.needsHelp.has(student.userId));
  name.dataset.open = String(!!presence?.open);
  if (data.withOwnCells) {
    const own = row.lastChild as HTMLElement;
    const counts = data.ownCells?.(student.userId);
    own.textContent = counts ? texts.ownCells(counts) : '';
    own.dataset.errors = String(counts?.errors ?? 0);
    markPosition(own, index, data.cells.length + 1);
  }
  for (let j = 0; j < data.cells.length; j++) {
    const node = row.children[j + 1] as HTMLElement;
    const cellId = data.cells[j].cellId;
    const progress = student.cells[cellId];
    const status = progress ? progress.status : 'not-run';
    if (node.dataset.status !== status) {
      node.dataset.status = status;
    }
    markPosition(node, index, j + 1);
    const details = texts
      .cellTooltip(student.userId, data.cells[j], progress)
      .replace(/\n/g, '; ');
    if (node.getAttribute('aria-label') !== details) {
      node.setAttribute('aria-label', details);
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
