/**
 * What the grid is handed on each render: the model's columns and students (or the time
 * window's rows at the playback moment), ordered, with who needs help.
 */
import { orderStudents, RowOrder } from '../model/ordering';
import type { ProgressModel } from '../model/state';
import { studentLabel } from '../model/pseudonyms';
import type { IStudentProgress } from '../types';
import type { IGridData } from './gridrow';
import type { ClassWindow } from './timewindow';

/**
 * The grid's data.
 *
 * @param window - the time window: its rows at the playback moment, unless the grid is live
 * @param helpOrder - who needs help, most urgent first
 */
export function gridData(
  model: ProgressModel,
  window: Pick<ClassWindow, 'rows'>,
  order: RowOrder,
  helpOrder: readonly string[],
  now: number = Date.now()
): IGridData {
  const rows: readonly IStudentProgress[] =
    window.rows(model.students.map(s => s.userId)) ?? model.students;
  return {
    cells: model.cells,
    rows:
      order === 'name'
        ? byLabel(rows)
        : orderStudents(rows, order, s => model.completedCells(s), helpOrder),
    needsHelp: new Set(helpOrder),
    flashedAt: (user, cell) => model.flashedAt(user, cell),
    now,
    withOwnCells: model.assignment !== null,
    ownCells: user => model.ownCells.of(user),
    presence: user => model.presence.view(user, now)
  };
}

/**
 * By the name shown (projector mode: by pseudonym, so the order tells nothing of real
 * names), then by id.
 */
function byLabel(rows: readonly IStudentProgress[]): IStudentProgress[] {
  const keyed = rows.map(row => ({ row, label: studentLabel(row.userId) }));
  keyed.sort((a, b) =>
    a.label < b.label
      ? -1
      : a.label > b.label
        ? 1
        : a.row.userId < b.row.userId
          ? -1
          : a.row.userId > b.row.userId
            ? 1
            : 0
  );
  return keyed.map(k => k.row);
}
