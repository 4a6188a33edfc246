/**
 * Truthful states in the live model: an interrupted run is no error and never puts a student
 * in "needing help"; a kernel status change ends running cells; the help list uses the
 * thresholds the server serves.
 */
import { needingHelp } from '../help';
import { ProgressModel } from '../state';
import { HelpThresholds } from '../thresholds';
import { cell, run, snapshot, start, student } from './fixtures';

const NOW = Date.parse('2026-11-27T10:05:00Z');
const AT = (minute: number) => `2026-11-27T10:0${minute}:00+00:00`;

function kernel(status: string, minute: number, userId = 'alice') {
  return {
    eventId: `k-${status}-${minute}-${userId}`,
    eventType: 'kernel_status',
    eventTime: AT(minute),
    userId,
    notebookPath: 'lab1.ipynb',
    kernelStatus: status
  };
}

describe('an interrupted run', () => {
  it('is interrupted, an attempt and no error, whether the capture says so or only the error', () => {
    const model = new ProgressModel();
    model.load(snapshot());
    const result = model.apply(
      [
        run({ eventTime: AT(1), hasError: false, interrupted: true }),
        run({
          cellId: 'c2',
          eventTime: AT(1),
          hasError: true,
          errorMessage: 'KeyboardInterrupt: '
        })
      ],
      NOW
    );
    const cells = model.student('alice')!.cells;
    expect(cells.c1).toMatchObject({
      status: 'interrupted',
      attempts: 1,
      errors: 0
    });
    expect(cells.c2).toMatchObject({
      status: 'interrupted',
      attempts: 1,
      errors: 0
    });
    expect(result.errorsChanged).toBe(false);
  });

  it('never puts a student in "needing help", however often', () => {
    const model = new ProgressModel();
    model.load(snapshot());
    model.apply(
      [1, 2, 3, 4].map(minute =>
        run({
          eventTime: AT(minute),
          hasError: true,
          errorMessage: 'KeyboardInterrupt: '
        })
      ),
      NOW
    );
    const options = { errorThreshold: 1, idleMinutes: 60, now: NOW };
    expect(needingHelp(model.students, model.cells, options)).toEqual([]);
  });
});

describe('a kernel status change', () => {
  it('ends the running cells the student started before it, and no one else’s', () => {
    const model = new ProgressModel();
    model.load(snapshot());
    model.apply(
      [
        start({ eventTime: AT(1) }),
        start({ eventTime: AT(1), userId: 'bob' }),
        kernel('restarting', 2)
      ],
      NOW
    );
    expect(model.student('alice')!.cells.c1).toBeUndefined();
    expect(model.student('bob')!.cells.c1?.status).toBe('running');
  });

  it('ends a start that arrives after it but was made before it', () => {
    const model = new ProgressModel();
    model.load(snapshot());
    model.apply([run({ eventTime: AT(0) }), kernel('started', 2)], NOW);
    model.apply([start({ eventTime: AT(1) })], NOW);
    expect(model.student('alice')!.cells.c1?.status).toBe('succeeded');
    model.apply([start({ eventTime: AT(3) })], NOW);
    expect(model.student('alice')!.cells.c1?.status).toBe('running');
  });

  it('asks for a snapshot when it ends a cell the snapshot showed running after earlier runs', () => {
    const model = new ProgressModel();
    model.load(
      snapshot([
        student('alice', {
          c1: cell({
            status: 'running',
            attempts: 2,
            errors: 1,
            lastActivity: AT(1)
          })
        })
      ])
    );
    expect(model.expireRunning(NOW).needsSnapshot).toBe(false);
    model.apply([kernel('dead', 2)], NOW);
    expect(model.expireRunning(NOW).needsSnapshot).toBe(true);
  });

  it('adds no student of its own', () => {
    const model = new ProgressModel();
    model.load(snapshot());
    model.apply([kernel('started', 1, 'carol')], NOW);
    expect(model.student('carol')).toBeUndefined();
  });
});

describe('the help thresholds the server serves', () => {
  it('are the ones the help list applies', () => {
    const thresholds = new HelpThresholds();
    const alice = student(
      'alice',
      {
        c1: cell({ status: 'failed', attempts: 2, errors: 2, lastError: 'E' })
      },
      { lastActivity: AT(4) }
    );
    const listed = () =>
      needingHelp([alice], snapshot().cells, {
        ...thresholds.current,
        now: NOW
      }).map(entry => entry.userId);
    expect(listed()).toEqual([]); // the default: 3 errors
    thresholds.fromServer({ helpErrorThreshold: 2, helpIdleMinutes: 10 });
    expect(listed()).toEqual(['alice']);
  });
});
