/**
 * Per-cell completion: the share of students whose latest run of the cell succeeded.
 */
import { completionByCell, percent } from '../completion';
import type { CellStatus, IStudentProgress } from '../../types';

function student(userId: string, cells: Record<string, CellStatus>) {
  const progress: IStudentProgress = {
    userId,
    lastActivity: null,
    currentCellId: null,
    cells: {}
  };
  for (const [cellId, status] of Object.entries(cells)) {
    progress.cells[cellId] = {
      status,
      attempts: 1,
      errors: status === 'failed' ? 1 : 0,
      lastError: null,
      lastActivity: null,
      executionCount: null
    };
  }
  return progress;
}

const CELLS = ['c1', 'c2', 'c3'].map((cellId, i) => ({
  cellId,
  cellIndex: i,
  cellType: 'code'
}));

describe('completionByCell', () => {
  const students = [
    student('ada', { c1: 'succeeded', c2: 'failed' }),
    student('ben', { c1: 'succeeded', c2: 'succeeded' }),
    student('cleo', { c1: 'running', c2: 'interrupted' }),
    student('dan', {})
  ];

  it('counts only students whose latest run succeeded, out of every student shown', () => {
    const completion = completionByCell(CELLS, students);
    expect(completion.get('c1')).toEqual({
      succeeded: 2,
      students: 4,
      share: 0.5
    });
    expect(completion.get('c2')?.succeeded).toBe(1);
    expect(completion.get('c3')?.share).toBe(0);
  });

  it('is a whole percentage for the bar', () => {
    const completion = completionByCell(CELLS, students.slice(0, 3));
    expect(percent(completion.get('c1')!)).toBe(67);
  });

  it('is zero for a class without students', () => {
    expect(completionByCell(CELLS, []).get('c1')).toEqual({
      succeeded: 0,
      students: 0,
      share: 0
    });
  });
});
