/**
 * Where the class is, per cell: the share of students whose latest run of the cell succeeded.
 * Pure logic, no DOM.
 */
import type { ICellInfo, IStudentProgress } from '../types';

/** A column's completion. */
export interface ICompletion {
  succeeded: number;
  students: number;
  /** `succeeded / students`, 0 for a class without students. */
  share: number;
}

/** The completion of each cell among `students` (every student shown counts). */
export function completionByCell(
  cells: readonly ICellInfo[],
  students: readonly IStudentProgress[]
): Map<string, ICompletion> {
  const result = new Map<string, ICompletion>();
  for (const cell of cells) {
    let succeeded = 0;
    for (const student of students) {
      if (student.cells[cell.cellId]?.status === 'succeeded') {
        succeeded += 1;
      }
    }
    const total = students.length;
    result.set(cell.cellId, {
      succeeded,
      students: total,
      share: total > 0 ? succeeded / total : 0
    });
  }
  return result;
}

/** The share as a whole percentage (for labels and the bar's height). */
export function percent(completion: ICompletion): number {
  return Math.round(completion.share * 100);
}
