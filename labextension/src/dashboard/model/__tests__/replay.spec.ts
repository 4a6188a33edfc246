/**
 * Replaying a class: the runs of a window folded into the grid at a moment.
 */
import { IReplayRun, ReplayTimeline, validRuns } from '../replay';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function r(
  student: string,
  cellId: string,
  status: IReplayRun['status'],
  minute: number,
  errorMessage: string | null = null
): IReplayRun {
  return { student, cellId, status, at: at(minute), errorMessage };
}

const RUNS = [
  r('ada', 'c1', 'failed', 1, 'NameError: x'),
  r('ben', 'c1', 'succeeded', 2),
  r('ada', 'c1', 'succeeded', 3),
  r('ada', 'c2', 'interrupted', 4),
  r('ben', 'c2', 'failed', 5, 'KeyError: k')
];

describe('ReplayTimeline', () => {
  it('shows at a moment only the runs that ended by then', () => {
    const timeline = new ReplayTimeline(RUNS);
    const rows = timeline.at(T0 + 2 * 60_000);
    expect(rows.map(s => s.userId)).toEqual(['ada', 'ben']);
    expect(rows[0].cells.c1.status).toBe('failed');
    expect(rows[0].cells.c2).toBeUndefined();
    expect(rows[1].cells.c1.status).toBe('succeeded');
  });

  it('lets the latest run decide, counting attempts and errors', () => {
    const [ada] = new ReplayTimeline(RUNS).at(T0 + 10 * 60_000);
    expect(ada.cells.c1).toEqual({
      status: 'succeeded',
      attempts: 2,
      errors: 1,
      lastError: 'NameError: x',
      lastActivity: at(3),
      executionCount: null
    });
    expect(ada.currentCellId).toBe('c2');
  });

  it('never counts an interrupted run as an error', () => {
    const [ada, ben] = new ReplayTimeline(RUNS).at(T0 + 10 * 60_000);
    expect(ada.cells.c2).toMatchObject({
      status: 'interrupted',
      attempts: 1,
      errors: 0
    });
    expect(ben.cells.c2).toMatchObject({ status: 'failed', errors: 1 });
  });

  it('folds runs in time order, whatever order they came in', () => {
    const shuffled = [RUNS[2], RUNS[0], RUNS[4], RUNS[1], RUNS[3]];
    const end = T0 + 10 * 60_000;
    expect(new ReplayTimeline(shuffled).at(end)).toEqual(
      new ReplayTimeline(RUNS).at(end)
    );
  });

  it('keeps the roster first, with students who ran nothing yet', () => {
    const rows = new ReplayTimeline(RUNS).at(T0, ['cleo', 'ben']);
    expect(rows.map(s => [s.userId, Object.keys(s.cells).length])).toEqual([
      ['cleo', 0],
      ['ben', 0]
    ]);
    const later = new ReplayTimeline(RUNS).at(T0 + 60_000, ['cleo']);
    expect(later.map(s => s.userId)).toEqual(['cleo', 'ada']);
  });

  it('leaves out runs of cells that are no column', () => {
    const timeline = new ReplayTimeline(RUNS, run =>
      run.cellId === 'c1' ? 'c1' : null
    );
    const [ada] = timeline.at(T0 + 10 * 60_000);
    expect(Object.keys(ada.cells)).toEqual(['c1']);
  });

  it('knows when its first and last runs ended', () => {
    const timeline = new ReplayTimeline(RUNS);
    expect(timeline.first).toBe(T0 + 60_000);
    expect(timeline.last).toBe(T0 + 5 * 60_000);
    expect(timeline.size).toBe(5);
    expect(new ReplayTimeline([]).first).toBeNull();
  });
});

describe('validRuns', () => {
  it('keeps only well-formed runs of a page', () => {
    const page = {
      runs: [
        RUNS[0],
        { ...RUNS[1], status: 'exploded' },
        { ...RUNS[2], at: 'yesterday' },
        { cellId: 'c1', status: 'failed', at: at(1) },
        null
      ],
      next: null
    };
    expect(validRuns(page)).toEqual([RUNS[0]]);
    expect(validRuns({ message: 'nope' })).toEqual([]);
    expect(validRuns(null)).toEqual([]);
  });
});
