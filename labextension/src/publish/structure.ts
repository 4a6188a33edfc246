/**
 * What an assignment is made of, read from a notebook's cells: the structure the publish
 * command registers with `POST api/v1/assignments`. Pure logic, no JupyterLab.
 */
import { gradeIdOf } from '../assignment';

/** Longest label of a cell, in characters. */
export const MAX_LABEL_CHARS = 80;

/** Longest source registered per cell (the server keeps code up to 20,000 characters). */
export const MAX_SOURCE_CHARS = 20_000;

/** The kinds of nbformat cell. */
export type CellType = 'code' | 'markdown' | 'raw';

/** What the publish command reads of one cell of the open notebook. */
export interface INotebookCell {
  /** The nbformat cell id. */
  id: string;
  type: string;
  source: string;
  /** The cell's `metadata.nbgrader`, if any. */
  nbgrader?: unknown;
}

/** One published cell, in the wire form of `POST api/v1/assignments`. */
export interface IPublishedCell {
  cellId: string;
  gradeId: string | null;
  cellType: CellType;
  label: string;
  source: string;
}

// An ATX heading: up to three spaces, 1-6 '#', a space, the text, optional closing '#'s.
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '\u2026';
}

/**
 * A cell's short label: the first markdown heading of a markdown cell, else the first
 * non-empty line, trimmed and cut to {@link MAX_LABEL_CHARS}; `Cell <n>` (1-based) for an
 * empty cell.
 *
 * @param cell - the cell's type and source
 * @param index - its 0-based position in the notebook
 */
export function cellLabel(
  cell: Pick<INotebookCell, 'type' | 'source'>,
  index: number
): string {
  const lines = cell.source.split(/\r?\n/);
  if (cell.type === 'markdown') {
    for (const line of lines) {
      const heading = HEADING.exec(line);
      if (heading && heading[1]?.trim()) {
        return cut(heading[1].trim(), MAX_LABEL_CHARS);
      }
    }
  }
  const first = lines.map(line => line.trim()).find(line => line.length > 0);
  return first ? cut(first, MAX_LABEL_CHARS) : `Cell ${index + 1}`;
}

function cellTypeOf(type: string): CellType {
  return type === 'markdown' || type === 'raw' ? type : 'code';
}

/**
 * The structure of a notebook, every cell in notebook order: its nbformat id, nbgrader's
 * `grade_id` if any, its type, its label and its source.
 */
export function buildStructure(
  cells: readonly INotebookCell[]
): IPublishedCell[] {
  return cells.map((cell, index) => ({
    cellId: cell.id,
    gradeId: gradeIdOf(cell.nbgrader),
    cellType: cellTypeOf(cell.type),
    label: cellLabel(cell, index),
    source: cut(cell.source, MAX_SOURCE_CHARS)
  }));
}
