/**
 * The labels the dashboard shows that need no translation: a cell's position or label, the
 * first line of a text, and an export's file name. Pure logic, no DOM.
 */
import type { ICellInfo } from '../types';

/** A cell's 1-based position in the notebook, e.g. "[3]", or "[?]". */
export function cellPosition(
  cell: Pick<ICellInfo, 'cellIndex'> | undefined
): string {
  return cell && typeof cell.cellIndex === 'number'
    ? `[${cell.cellIndex + 1}]`
    : '[?]';
}

/**
 * The label of a cell: a published cell's label (its heading or first line), else its
 * position, e.g. "[3]" ({@link cellPosition}).
 */
export function cellLabel(
  cell: Pick<ICellInfo, 'cellIndex' | 'label'> | undefined
): string {
  return cell?.label ? cell.label : cellPosition(cell);
}

/** The first line of a text, for one-line displays. */
export function firstLine(text: string | null | undefined): string {
  if (!text) {
    return '';
  }
  const index = text.indexOf('\n');
  return index < 0 ? text : text.slice(0, index);
}

/** A file name for an export of `notebook`, e.g. "progress-lab1.csv". */
export function exportFileName(notebook: string | null): string {
  const base = (notebook ?? 'all').split('/').pop() ?? 'all';
  const stem =
    base.replace(/\.ipynb$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') ||
    'notebook';
  return `progress-${stem}.csv`;
}
