/**
 * The order of the grid's rows. Pure logic, no DOM.
 */
import { IStudentProgress } from '../types';

/** How the grid's rows are sorted. */
export type RowOrder = 'help' | 'name' | 'progress';

/**
 * The students in display order.
 *
 * - `help`: those needing help first (in the order given by `helpOrder`), then by name;
 * - `name`: by user name;
 * - `progress`: fewest completed cells first (who is behind), then by name.
 *
 * @param completed - the number of cells a student completed.
 * @param helpOrder - user names needing help, most urgent first.
 */
export function orderStudents(
  students: readonly IStudentProgress[],
  order: RowOrder,
  completed: (s: IStudentProgress) => number,
  helpOrder: readonly string[] = []
): IStudentProgress[] {
  const byName = (a: IStudentProgress, b: IStudentProgress): number =>
    a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
  const rows = [...students];
  if (order === 'name') {
    return rows.sort(byName);
  }
  if (order === 'progress') {
    const done = new Map(rows.map(s => [s.userId, completed(s)]));
    return rows.sort(
      (a, b) =>
        (done.get(a.userId) ?? 0) - (done.get(b.userId) ?? 0) || byName(a, b)
    );
  }
  const rank = new Map(helpOrder.map((u, i) => [u, i]));
  return rows.sort((a, b) => {
    const ra = rank.get(a.userId) ?? Number.POSITIVE_INFINITY;
    const rb = rank.get(b.userId) ?? Number.POSITIVE_INFINITY;
    return ra === rb ? byName(a, b) : ra < rb ? -1 : 1;
  });
}
