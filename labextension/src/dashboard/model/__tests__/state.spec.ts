import { ProgressModel } from '../state';
import { ILiveEvent } from '../../types';
import { cell, run, snapshot, start, student } from './fixtures';

function loaded(...students: ReturnType<typeof student>[]): ProgressModel {
  const model = new ProgressModel();
  model.load(snapshot(students));
  return model;
}

/** Shortly after the events of these specifications: their starts are still running. */
const SOON = Date.parse('2026-11-27T10:15:00Z');

/** Apply events as a dashboard open shortly after them would. */
function applySoon(model: ProgressModel, events: ILiveEvent[]) {
  return model.apply(events, SOON);
}

describe('ProgressModel', () => {
  describe('load', () => {
    it('takes the notebook, cells, students and last event id from the snapshot', () => {
      const model = loaded(student('alice', { c1: cell() }), student('bob'));

      expect(model.notebook).toBe('lab1.ipynb');
      expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2', 'c3']);
      expect(model.students.map(s => s.userId)).toEqual(['alice', 'bob']);
      expect(model.lastEventId).toBe('e-0');
    });

    it('copies the snapshot so that live updates never modify it', () => {
      const snap = snapshot([student('alice', { c1: cell({ attempts: 1 }) })]);
      const model = new ProgressModel();
      model.load(snap);

      model.apply([run({ userId: 'alice', cellId: 'c1' })]);

      expect(snap.students[0].cells.c1.attempts).toBe(1);
      expect(model.student('alice')?.cells.c1.attempts).toBe(2);
    });

    it('puts cells in notebook order whatever the snapshot order', () => {
      const model = new ProgressModel();
      model.load(
        snapshot([], {
          cells: [
            { cellId: 'b', cellIndex: 2, cellType: 'code' },
            { cellId: 'a', cellIndex: 0, cellType: 'code' }
          ]
        })
      );

      expect(model.cells.map(c => c.cellId)).toEqual(['a', 'b']);
    });

    it('keeps a cell the snapshot reports running, with no attempt counted for a first run', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'running',
            attempts: 0,
            executionCount: null,
            lastActivity: '2026-11-27T10:02:00Z'
          })
        })
      );

      expect(model.student('alice')?.cells.c1.status).toBe('running');
      expect(model.student('alice')?.currentCellId).toBe('c1');
      expect(model.completedCells(model.student('alice')!)).toBe(0);
    });

    it('completes a run the snapshot reports running when its result arrives live', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'running',
            attempts: 0,
            executionCount: null,
            lastActivity: '2026-11-27T10:02:00Z'
          })
        })
      );

      model.apply([
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:02:05Z'
        })
      ]);

      expect(model.student('alice')?.cells.c1).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        lastActivity: '2026-11-27T10:02:05Z'
      });
    });

    it('starts with an empty class when there is no data yet', () => {
      const model = new ProgressModel();
      model.load(
        snapshot([], {
          notebooks: [],
          notebook: null,
          cells: [],
          lastEventId: null
        })
      );

      expect(model.notebook).toBeNull();
      expect(model.students).toHaveLength(0);
      expect(model.lastEventId).toBeNull();
    });
  });

  describe('apply: a run of a cell', () => {
    it('counts a successful run as an attempt and marks the cell succeeded', () => {
      const model = loaded(student('alice'));

      const result = model.apply([
        run({ userId: 'alice', cellId: 'c2', executionCount: 4 })
      ]);

      expect(model.student('alice')?.cells.c2).toEqual({
        status: 'succeeded',
        attempts: 1,
        errors: 0,
        lastError: null,
        lastActivity: '2026-11-27T10:00:00+00:00',
        executionCount: 4
      });
      expect(result.applied).toBe(1);
      expect(result.changedStudents).toEqual(new Set(['alice']));
      expect(result.errorsChanged).toBe(false);
    });

    it('counts a failed run as an attempt and an error, and keeps its message', () => {
      const model = loaded(
        student('alice', { c1: cell({ attempts: 2, errors: 1 }) })
      );

      const result = model.apply([
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:05:00+00:00',
          hasError: true,
          errorMessage: "KeyError: 'price'"
        })
      ]);

      const c1 = model.student('alice')?.cells.c1;
      expect(c1?.status).toBe('failed');
      expect(c1?.attempts).toBe(3);
      expect(c1?.errors).toBe(2);
      expect(c1?.lastError).toBe("KeyError: 'price'");
      expect(result.errorsChanged).toBe(true);
    });

    it('turns a failed cell into succeeded on a later successful run, keeping the last error', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'failed',
            errors: 3,
            attempts: 3,
            lastError: 'NameError: x'
          })
        })
      );

      model.apply([
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:09:00Z'
        })
      ]);

      const c1 = model.student('alice')?.cells.c1;
      expect(c1?.status).toBe('succeeded');
      expect(c1?.errors).toBe(3);
      expect(c1?.lastError).toBe('NameError: x');
    });

    it('lets a late event that is older than the latest run add to the counts without changing the status', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'succeeded',
            lastActivity: '2026-11-27T10:10:00Z'
          })
        })
      );

      model.apply([
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:01:00Z',
          hasError: true,
          errorMessage: 'ZeroDivisionError: division by zero'
        })
      ]);

      const c1 = model.student('alice')?.cells.c1;
      expect(c1?.status).toBe('succeeded');
      expect(c1?.attempts).toBe(2);
      expect(c1?.errors).toBe(1);
      expect(c1?.lastActivity).toBe('2026-11-27T10:10:00Z');
      expect(c1?.lastError).toBe('ZeroDivisionError: division by zero');
    });

    it("moves the student's current cell and last activity forward, never back", () => {
      const model = loaded(
        student(
          'alice',
          { c2: cell() },
          { lastActivity: '2026-11-27T10:30:00Z' }
        )
      );

      model.apply([
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:20:00Z'
        })
      ]);
      expect(model.student('alice')?.currentCellId).toBe('c2');
      expect(model.student('alice')?.lastActivity).toBe('2026-11-27T10:30:00Z');

      model.apply([
        run({
          userId: 'alice',
          cellId: 'c3',
          eventTime: '2026-11-27T10:40:00Z'
        })
      ]);
      expect(model.student('alice')?.currentCellId).toBe('c3');
      expect(model.student('alice')?.lastActivity).toBe('2026-11-27T10:40:00Z');
    });

    it('adds a student seen for the first time', () => {
      const model = loaded(student('alice'));

      const result = model.apply([run({ userId: 'carol', cellId: 'c1' })]);

      expect(model.students.map(s => s.userId)).toEqual(['alice', 'carol']);
      expect(result.studentsAdded).toBe(true);
      expect(model.notebooks.find(n => n.path === 'lab1.ipynb')?.students).toBe(
        2
      );
    });

    it('adds a cell seen for the first time, at its place in the notebook', () => {
      const model = loaded(student('alice'));

      const result = model.apply([
        run({ cellId: 'new', cellIndex: 7, cellType: 'code' })
      ]);

      expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2', 'c3', 'new']);
      expect(result.cellsAdded).toBe(true);
    });

    it('places a new cell after the cells already known at the same position', () => {
      const model = loaded(student('alice'));

      model.apply([run({ cellId: 'inserted', cellIndex: 1 })]);

      expect(model.cells.map(c => c.cellId)).toEqual([
        'c1',
        'c2',
        'inserted',
        'c3'
      ]);
    });

    it('marks the cell as just run, at the time the event is shown', () => {
      const model = loaded(student('alice'));

      model.apply([run({ userId: 'alice', cellId: 'c2' })], 123_456);

      expect(model.flashedAt('alice', 'c2')).toBe(123_456);
      expect(model.flashedAt('alice', 'c1')).toBeUndefined();
    });

    it('remembers the id of the last run applied, for resuming after a drop', () => {
      const model = loaded();

      model.apply([run({ eventId: 'e-41' }), run({ eventId: 'e-42' })]);

      expect(model.lastEventId).toBe('e-42');
    });

    it('does not resume from a notebook event, which the server does not replay', () => {
      const model = loaded();

      model.apply([
        run({ eventId: 'e-41' }),
        run({ eventId: 'open-1', eventType: 'notebook_opened', cellId: null })
      ]);

      expect(model.lastEventId).toBe('e-41');
    });
  });

  describe('apply: a run that started and has not finished', () => {
    it('shows a cell never run before as running, without counting an attempt', () => {
      const model = loaded(student('alice'));

      const result = applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c2',
          eventTime: '2026-11-27T10:05:00Z'
        })
      ]);

      expect(model.student('alice')?.cells.c2).toEqual({
        status: 'running',
        attempts: 0,
        errors: 0,
        lastError: null,
        lastActivity: '2026-11-27T10:05:00Z',
        executionCount: null
      });
      expect(result.changedStudents).toEqual(new Set(['alice']));
      expect(result.errorsChanged).toBe(false);
    });

    it('shows a cell run before as running again, keeping its counts and last error', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'failed',
            attempts: 2,
            errors: 2,
            lastError: 'NameError: x',
            executionCount: 4
          })
        })
      );

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:05:00Z'
        })
      ]);

      expect(model.student('alice')?.cells.c1).toEqual({
        status: 'running',
        attempts: 2,
        errors: 2,
        lastError: 'NameError: x',
        lastActivity: '2026-11-27T10:05:00Z',
        executionCount: 4
      });
    });

    it('replaces running with the outcome of the run once it finishes, counting the attempt', () => {
      const model = loaded(student('alice'));

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:05:00Z'
        })
      ]);
      applySoon(model, [
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:05:02Z',
          hasError: true,
          errorMessage: "KeyError: 'price'",
          executionCount: 7
        })
      ]);

      expect(model.student('alice')?.cells.c1).toEqual({
        status: 'failed',
        attempts: 1,
        errors: 1,
        lastError: "KeyError: 'price'",
        lastActivity: '2026-11-27T10:05:02Z',
        executionCount: 7
      });
    });

    it('ignores a start older than the latest result of the cell', () => {
      const model = loaded(
        student('alice', {
          c1: cell({
            status: 'succeeded',
            lastActivity: '2026-11-27T10:10:00Z'
          })
        })
      );

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:09:00Z'
        })
      ]);

      expect(model.student('alice')?.cells.c1.status).toBe('succeeded');
      expect(model.student('alice')?.cells.c1.lastActivity).toBe(
        '2026-11-27T10:10:00Z'
      );
      expect(model.flashedAt('alice', 'c1')).toBeUndefined();
    });

    it('ignores a start at the very time of the latest result (the result is of that run)', () => {
      const model = loaded(
        student('alice', {
          c1: cell({ status: 'failed', lastActivity: '2026-11-27T10:10:00Z' })
        })
      );

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:10:00Z'
        })
      ]);

      expect(model.student('alice')?.cells.c1.status).toBe('failed');
    });

    it('keeps the cell running when a late result of an earlier run arrives, counting it', () => {
      const model = loaded(student('alice'));

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:05:00Z'
        }),
        run({
          userId: 'alice',
          cellId: 'c1',
          eventTime: '2026-11-27T10:04:00Z'
        })
      ]);

      expect(model.student('alice')?.cells.c1).toMatchObject({
        status: 'running',
        attempts: 1,
        lastActivity: '2026-11-27T10:05:00Z'
      });
    });

    it("moves the student's current cell to the cell that started", () => {
      const model = loaded(
        student('alice', { c1: cell() }, { currentCellId: 'c1' })
      );

      applySoon(model, [
        start({
          userId: 'alice',
          cellId: 'c3',
          eventTime: '2026-11-27T10:05:00Z'
        })
      ]);

      expect(model.student('alice')?.currentCellId).toBe('c3');
      expect(model.student('alice')?.lastActivity).toBe('2026-11-27T10:05:00Z');
    });

    it('adds the student and the cell of a start seen first', () => {
      const model = loaded();

      const result = applySoon(model, [
        start({ userId: 'carol', cellId: 'new', cellIndex: 5 })
      ]);

      expect(model.students.map(s => s.userId)).toEqual(['carol']);
      expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2', 'c3', 'new']);
      expect(result.studentsAdded).toBe(true);
      expect(result.cellsAdded).toBe(true);
    });

    it('marks the cell as just changed when it starts running', () => {
      const model = loaded(student('alice'));

      model.apply([start({ userId: 'alice', cellId: 'c2' })], SOON);

      expect(model.flashedAt('alice', 'c2')).toBe(SOON);
    });

    it('counts a start neither as an execution of the notebook nor as a resume point', () => {
      const model = loaded();

      applySoon(model, [run({ eventId: 'e-41' }), start({ eventId: 's-42' })]);

      expect(model.lastEventId).toBe('e-41');
      expect(
        model.notebooks.find(n => n.path === 'lab1.ipynb')?.executions
      ).toBe(11);
    });
  });

  describe('expireRunning: a start whose result never comes', () => {
    const STARTED = '2026-11-27T10:00:00Z';
    const minutes = (n: number) => Date.parse(STARTED) + n * 60_000;

    it('stops showing a first run as running after the running window', () => {
      const model = loaded(student('alice'));
      model.apply(
        [start({ userId: 'alice', cellId: 'c2', eventTime: STARTED })],
        minutes(1)
      );

      expect(model.expireRunning(minutes(59)).changedStudents.size).toBe(0);
      expect(model.student('alice')?.cells.c2?.status).toBe('running');

      const expired = model.expireRunning(minutes(61));
      expect(expired).toEqual({
        changedStudents: new Set(['alice']),
        needsSnapshot: false
      });
      expect(model.student('alice')?.cells.c2).toBeUndefined();
    });

    it('shows the outcome of the runs before the start again', () => {
      const model = loaded(student('alice'));
      model.apply(
        [
          run({
            userId: 'alice',
            cellId: 'c2',
            eventTime: '2026-11-27T09:50:00Z',
            hasError: true,
            errorMessage: 'NameError: x'
          }),
          start({ userId: 'alice', cellId: 'c2', eventTime: STARTED })
        ],
        minutes(1)
      );

      model.expireRunning(minutes(61));
      expect(model.student('alice')?.cells.c2).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'NameError: x',
        lastActivity: '2026-11-27T09:50:00Z'
      });
    });

    it('asks for a new snapshot when the snapshot did not say how the earlier runs ended', () => {
      const model = loaded(
        student('alice', {
          c1: cell({ status: 'running', attempts: 2, lastActivity: STARTED }),
          c2: cell({ status: 'running', attempts: 0, lastActivity: STARTED })
        })
      );

      const expired = model.expireRunning(minutes(61));
      expect(expired.needsSnapshot).toBe(true);
      expect(model.student('alice')?.cells.c1?.status).toBe('running');
      expect(model.student('alice')?.cells.c2).toBeUndefined();
    });
  });

  describe('apply: duplicates', () => {
    it('ignores an event whose id was already applied', () => {
      const model = loaded(student('alice'));
      const event = run({
        userId: 'alice',
        cellId: 'c1',
        hasError: true,
        errorMessage: 'E'
      });

      model.apply([event]);
      const again = model.apply([event, { ...event }]);

      expect(model.student('alice')?.cells.c1.attempts).toBe(1);
      expect(model.student('alice')?.cells.c1.errors).toBe(1);
      expect(again.applied).toBe(0);
      expect(again.duplicates).toBe(2);
      expect(again.changedStudents.size).toBe(0);
    });

    it('counts two runs with the same content but different ids twice (a real re-run)', () => {
      const model = loaded(student('alice'));

      model.apply([
        run({ eventId: 'x-1', userId: 'alice', cellId: 'c1' }),
        run({ eventId: 'x-2', userId: 'alice', cellId: 'c1' })
      ]);

      expect(model.student('alice')?.cells.c1.attempts).toBe(2);
    });

    it('counts the same event id sent by two students once each (ids are unique per student)', () => {
      const model = loaded(student('alice'), student('bob'));

      model.apply([
        run({ eventId: 'same', userId: 'alice', cellId: 'c1' }),
        run({ eventId: 'same', userId: 'bob', cellId: 'c1' })
      ]);

      expect(model.student('alice')?.cells.c1.attempts).toBe(1);
      expect(model.student('bob')?.cells.c1.attempts).toBe(1);
    });

    it('starts the memory of ids over with a new snapshot, which already contains them', () => {
      const model = loaded(student('alice'));
      const event = run({ eventId: 'r-1', userId: 'alice', cellId: 'c1' });
      model.apply([event]);

      model.load(snapshot([student('alice')], { lastEventId: 'r-1' }));
      model.apply([run({ eventId: 'r-2', userId: 'alice', cellId: 'c1' })]);

      expect(model.student('alice')?.cells.c1.attempts).toBe(1);
      expect(model.lastEventId).toBe('r-2');
    });
  });

  describe('apply: other notebooks and other events', () => {
    it('leaves the grid alone for events of another notebook but counts them in the notebook list', () => {
      const model = loaded(student('alice'));

      const result = model.apply([
        run({
          userId: 'alice',
          notebookPath: 'lab2.ipynb',
          eventTime: '2026-11-27T11:00:00Z'
        })
      ]);

      expect(model.student('alice')?.cells).toEqual({});
      expect(result.changedStudents.size).toBe(0);
      expect(result.notebooksChanged).toBe(true);
      const lab2 = model.notebooks.find(n => n.path === 'lab2.ipynb');
      expect(lab2?.executions).toBe(21);
      expect(lab2?.students).toBe(4);
      expect(model.notebooks[0].path).toBe('lab2.ipynb');
    });

    it('adds a notebook seen for the first time to the list, with its students counted', () => {
      const model = loaded();

      model.apply([
        run({ userId: 'alice', notebookPath: 'lab3.ipynb' }),
        run({ userId: 'bob', notebookPath: 'lab3.ipynb' }),
        run({ userId: 'bob', notebookPath: 'lab3.ipynb' })
      ]);

      expect(model.notebooks.find(n => n.path === 'lab3.ipynb')).toEqual({
        path: 'lab3.ipynb',
        students: 2,
        executions: 3,
        lastActivity: '2026-11-27T10:00:00+00:00'
      });
    });

    it('shows a student who opened the notebook, with no cell run yet', () => {
      const model = loaded();

      model.apply([
        run({
          eventType: 'notebook_opened',
          userId: 'dave',
          cellId: null,
          eventTime: '2026-11-27T10:02:00Z'
        })
      ]);

      expect(model.student('dave')).toEqual({
        userId: 'dave',
        lastActivity: '2026-11-27T10:02:00Z',
        currentCellId: null,
        cells: {}
      });
      expect(
        model.notebooks.find(n => n.path === 'lab1.ipynb')?.executions
      ).toBe(10);
    });

    it('does not count a save as a run', () => {
      const model = loaded(student('alice', { c1: cell() }));

      model.apply([
        run({ eventType: 'notebook_saved', userId: 'alice', cellId: 'c1' })
      ]);

      expect(model.student('alice')?.cells.c1.attempts).toBe(1);
    });

    it('ignores events for the grid while no notebook is selected', () => {
      const model = new ProgressModel();
      model.load(snapshot([], { notebooks: [], notebook: null, cells: [] }));

      const result = model.apply([run({ userId: 'alice' })]);

      expect(model.students).toHaveLength(0);
      expect(result.notebooksChanged).toBe(true);
      expect(model.notebooks.map(n => n.path)).toEqual(['lab1.ipynb']);
    });
  });

  describe('completedCells', () => {
    it('counts the cells whose latest run succeeded (not those running again)', () => {
      const model = loaded(
        student('alice', {
          c1: cell(),
          c2: cell({ status: 'failed' }),
          c3: cell({ status: 'running' })
        })
      );

      expect(model.completedCells(model.student('alice')!)).toBe(1);
    });
  });
});
