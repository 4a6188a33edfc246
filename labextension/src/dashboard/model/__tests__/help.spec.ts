import { needingHelp } from '../help';
import { ICellInfo } from '../../types';
import { cell, student } from './fixtures';

const CELLS: ICellInfo[] = [
  { cellId: 'c1', cellIndex: 0, cellType: 'code' },
  { cellId: 'c2', cellIndex: 1, cellType: 'code' },
  { cellId: 'md', cellIndex: 2, cellType: 'markdown' },
  { cellId: 'c3', cellIndex: 3, cellType: 'code' }
];
const NOW = Date.parse('2026-11-27T10:30:00Z');
const OPTIONS = { errorThreshold: 3, idleMinutes: 10, now: NOW };
const RECENT = '2026-11-27T10:29:00Z';

describe('needingHelp', () => {
  it('lists a student with N errors on a cell whose latest run failed', () => {
    const alice = student(
      'alice',
      {
        c1: cell(),
        c2: cell({
          status: 'failed',
          attempts: 3,
          errors: 3,
          lastError: "KeyError: 'price'"
        })
      },
      { lastActivity: RECENT, currentCellId: 'c2' }
    );

    expect(needingHelp([alice], CELLS, OPTIONS)).toEqual([
      {
        userId: 'alice',
        reasons: [{ kind: 'errors', cellId: 'c2', errors: 3 }],
        currentCellId: 'c2',
        lastError: "KeyError: 'price'"
      }
    ]);
  });

  it('keeps listing a student stuck on a cell while a new run of it is going', () => {
    const alice = student(
      'alice',
      {
        c2: cell({
          status: 'running',
          attempts: 3,
          errors: 3,
          lastError: "KeyError: 'price'"
        })
      },
      { lastActivity: RECENT, currentCellId: 'c2' }
    );

    expect(needingHelp([alice], CELLS, OPTIONS)).toEqual([
      {
        userId: 'alice',
        reasons: [{ kind: 'errors', cellId: 'c2', errors: 3 }],
        currentCellId: 'c2',
        lastError: "KeyError: 'price'"
      }
    ]);
  });

  it('does not list a student below the error threshold', () => {
    const bob = student(
      'bob',
      { c1: cell({ status: 'failed', errors: 2 }) },
      { lastActivity: RECENT }
    );

    expect(needingHelp([bob], CELLS, OPTIONS)).toEqual([]);
  });

  it('does not list a student whose failing cell finally succeeded', () => {
    const carol = student(
      'carol',
      {
        c1: cell({
          status: 'succeeded',
          attempts: 6,
          errors: 5,
          lastError: 'NameError'
        })
      },
      { lastActivity: RECENT }
    );

    expect(needingHelp([carol], CELLS, OPTIONS)).toEqual([]);
  });

  it('does not add up errors spread over several cells', () => {
    const dan = student(
      'dan',
      {
        c1: cell({ status: 'failed', errors: 2 }),
        c2: cell({ status: 'failed', errors: 2 })
      },
      { lastActivity: RECENT }
    );

    expect(needingHelp([dan], CELLS, OPTIONS)).toEqual([]);
  });

  it('follows the configured error threshold', () => {
    const bob = student(
      'bob',
      { c1: cell({ status: 'failed', errors: 2 }) },
      { lastActivity: RECENT }
    );

    expect(
      needingHelp([bob], CELLS, { ...OPTIONS, errorThreshold: 2 })
    ).toHaveLength(1);
  });

  it('lists a student who started and has been idle for M minutes', () => {
    const erin = student(
      'erin',
      { c1: cell() },
      { lastActivity: '2026-11-27T10:15:00Z', currentCellId: 'c1' }
    );

    expect(needingHelp([erin], CELLS, OPTIONS)).toEqual([
      {
        userId: 'erin',
        reasons: [{ kind: 'idle', idleMs: 15 * 60_000 }],
        currentCellId: 'c1',
        lastError: null
      }
    ]);
  });

  it('follows the configured idle time', () => {
    const erin = student(
      'erin',
      { c1: cell() },
      { lastActivity: '2026-11-27T10:15:00Z' }
    );

    expect(needingHelp([erin], CELLS, { ...OPTIONS, idleMinutes: 20 })).toEqual(
      []
    );
  });

  it('does not list an idle student who completed every code cell', () => {
    const fay = student(
      'fay',
      { c1: cell(), c2: cell(), c3: cell() },
      { lastActivity: '2026-11-27T09:00:00Z' }
    );

    expect(needingHelp([fay], CELLS, OPTIONS)).toEqual([]);
  });

  it('does not list a student who left the session hours ago as idle', () => {
    const kim = student(
      'kim',
      { c1: cell() },
      { lastActivity: '2026-11-26T15:00:00Z' }
    );

    expect(needingHelp([kim], CELLS, OPTIONS)).toEqual([]);
    expect(
      needingHelp([kim], CELLS, { ...OPTIONS, maxIdleMinutes: 24 * 60 })
    ).toHaveLength(1);
  });

  it('does not list a student who has not started', () => {
    const gus = student('gus', {}, { lastActivity: null, currentCellId: null });

    expect(needingHelp([gus], CELLS, OPTIONS)).toEqual([]);
  });

  it('gives both reasons when a student is stuck on errors and idle', () => {
    const hal = student(
      'hal',
      { c1: cell({ status: 'failed', errors: 4, lastError: 'SyntaxError' }) },
      { lastActivity: '2026-11-27T10:00:00Z', currentCellId: 'c1' }
    );

    expect(needingHelp([hal], CELLS, OPTIONS)[0].reasons).toEqual([
      { kind: 'errors', cellId: 'c1', errors: 4 },
      { kind: 'idle', idleMs: 30 * 60_000 }
    ]);
  });

  it('names the cell with the most errors when a student is stuck on several', () => {
    const ivy = student(
      'ivy',
      {
        c1: cell({ status: 'failed', errors: 3, lastError: 'A' }),
        c2: cell({ status: 'failed', errors: 5, lastError: 'B' })
      },
      { lastActivity: RECENT, currentCellId: 'c1' }
    );

    const [entry] = needingHelp([ivy], CELLS, OPTIONS);
    expect(entry.reasons[0]).toEqual({
      kind: 'errors',
      cellId: 'c2',
      errors: 5
    });
    expect(entry.lastError).toBe('B');
  });

  it("shows an idle student's current failed cell error", () => {
    const jo = student(
      'jo',
      {
        c1: cell({ status: 'failed', errors: 1, lastError: 'TypeError: bad' })
      },
      { lastActivity: '2026-11-27T10:00:00Z', currentCellId: 'c1' }
    );

    expect(needingHelp([jo], CELLS, OPTIONS)[0].lastError).toBe(
      'TypeError: bad'
    );
  });

  it('ranks the most errors first, then the longest idle, then by name', () => {
    const students = [
      student(
        'idle-short',
        { c1: cell() },
        { lastActivity: '2026-11-27T10:18:00Z' }
      ),
      student(
        'errors-3',
        { c1: cell({ status: 'failed', errors: 3 }) },
        { lastActivity: RECENT }
      ),
      student(
        'idle-long',
        { c1: cell() },
        { lastActivity: '2026-11-27T09:00:00Z' }
      ),
      student(
        'errors-7',
        { c2: cell({ status: 'failed', errors: 7 }) },
        { lastActivity: RECENT }
      ),
      student(
        'b-idle',
        { c1: cell() },
        { lastActivity: '2026-11-27T10:18:00Z' }
      ),
      student('fine', { c1: cell() }, { lastActivity: RECENT })
    ];

    expect(needingHelp(students, CELLS, OPTIONS).map(e => e.userId)).toEqual([
      'errors-7',
      'errors-3',
      'idle-long',
      'b-idle',
      'idle-short'
    ]);
  });
});
