/**
 * The grid of a published assignment: its published cells are the columns, all of them, in
 * order; cells a student added are their own cells, never columns; presence is live.
 */
import { ProgressModel } from '../state';
import type { IColumn, IProgressSnapshot } from '../../types';
import { cell, run, snapshot, student } from './fixtures';

const ASSIGNMENT = 'a'.repeat(32);

const COLUMNS: IColumn[] = [
  {
    cellId: 'intro',
    label: 'Lab 1: sales',
    source: '# Lab 1: sales',
    cellType: 'markdown',
    position: 0
  },
  {
    cellId: 'load',
    label: 'import pandas as pd',
    source: 'import pandas as pd\ndf = pd.read_csv("sales.csv")',
    cellType: 'code',
    position: 1
  },
  {
    cellId: 'group',
    label: '# Total per region',
    source: '# Total per region\ndf.groupby("region").sum()',
    cellType: 'code',
    position: 2
  }
];

function published(overrides: Partial<IProgressSnapshot> = {}) {
  return snapshot([student('alice', { load: cell() })], {
    notebook: 'lab1.ipynb',
    notebooks: [
      {
        path: 'lab1.ipynb',
        key: `assignment:${ASSIGNMENT}`,
        assignmentId: ASSIGNMENT,
        students: 1,
        executions: 1,
        lastActivity: '2026-12-01T10:00:00+00:00'
      },
      {
        path: 'scratch.ipynb',
        key: 'scratch.ipynb',
        assignmentId: null,
        students: 1,
        executions: 4,
        lastActivity: '2026-12-01T09:00:00+00:00'
      }
    ],
    cells: [{ cellId: 'load', cellIndex: 1, cellType: 'code' }],
    assignment: { id: ASSIGNMENT, course: 'cs101', title: 'Lab 1', version: 2 },
    columns: COLUMNS,
    ownCells: { alice: { runs: 2, errors: 1 } },
    presence: {
      alice: {
        open: true,
        lastSeen: '2026-12-01T10:00:00+00:00',
        firstOpened: '2026-12-01T09:30:00+00:00',
        lastSaved: null
      }
    },
    ...overrides
  });
}

/** A run in a student's copy of the assignment. */
const copyRun = (overrides = {}) =>
  run({
    notebookPath: 'lab1-Copy1.ipynb',
    assignmentId: ASSIGNMENT,
    eventTime: '2026-12-01T10:01:00+00:00',
    ...overrides
  });

describe('the columns of an assignment', () => {
  it("are the snapshot's columns, all of them in order, labelled, run or not", () => {
    const model = new ProgressModel();
    model.load(published());
    expect(model.cells.map(c => [c.cellId, c.label, c.cellIndex])).toEqual([
      ['intro', 'Lab 1: sales', 0],
      ['load', 'import pandas as pd', 1],
      ['group', '# Total per region', 2]
    ]);
    expect(model.cells[2].source).toContain('groupby');
    expect(model.selection).toEqual({ assignment: ASSIGNMENT });
    expect(model.selectedKey).toBe(`assignment:${ASSIGNMENT}`);
  });

  it("take live runs from every copy, by cell id or else by nbgrader's grade id", () => {
    const model = new ProgressModel();
    model.load(
      published({
        columns: COLUMNS.map(c =>
          c.cellId === 'group' ? { ...c, gradeId: 'q-group' } : c
        ) as IColumn[]
      })
    );
    const result = model.apply([
      copyRun({ userId: 'bob', cellId: 'load' }),
      copyRun({
        userId: 'bob',
        cellId: 'recreated-cell',
        gradeId: 'q-group',
        hasError: true
      })
    ]);
    expect(result.cellsAdded).toBe(false);
    expect(model.student('bob')?.cells).toEqual({
      load: expect.objectContaining({ status: 'succeeded' }),
      group: expect.objectContaining({ status: 'failed' })
    });
  });

  it("never become a student's own cells: those are counted as runs and errors", () => {
    const model = new ProgressModel();
    model.load(published());
    const result = model.apply([
      copyRun({ cellId: 'mine-1' }),
      copyRun({ cellId: 'mine-2', hasError: true }),
      copyRun({ cellId: 'mine-2', eventType: 'cell_started' })
    ]);
    expect(result.cellsAdded).toBe(false);
    expect(model.cells).toHaveLength(3);
    expect(model.student('alice')?.cells).not.toHaveProperty('mine-1');
    expect(model.ownCells.of('alice')).toEqual({ runs: 4, errors: 2 });
  });

  it('ignore events of other assignments and of notebooks under the same path', () => {
    const model = new ProgressModel();
    model.load(published());
    model.apply([
      run({ userId: 'carol', notebookPath: 'lab1.ipynb', assignmentId: null }),
      run({ userId: 'dan', assignmentId: 'other' })
    ]);
    expect(model.students.map(s => s.userId)).toEqual(['alice']);
  });

  it('fall back to the cells derived from the runs when the server sends no columns', () => {
    const model = new ProgressModel();
    model.load(snapshot([], { assignment: undefined, columns: undefined }));
    expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2', 'c3']);
    expect(model.selection).toEqual({ notebook: 'lab1.ipynb' });
    const result = model.apply([run({ cellId: 'c9', cellIndex: 8 })]);
    expect(result.cellsAdded).toBe(true);
    expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2', 'c3', 'c9']);
  });

  it('of an unpublished notebook still grow with the cells students run', () => {
    const model = new ProgressModel();
    model.load(
      snapshot([], {
        assignment: null,
        columns: [
          {
            cellId: 'c1',
            label: null,
            source: null,
            cellType: 'code',
            position: 0
          }
        ]
      })
    );
    model.apply([run({ cellId: 'c2', cellIndex: 1 })]);
    expect(model.cells.map(c => c.cellId)).toEqual(['c1', 'c2']);
    expect(model.ownCells.of('alice')).toBeUndefined();
  });
});

describe('the notebook list with assignments', () => {
  it('counts a live run of a copy under its assignment, not under the copy path', () => {
    const model = new ProgressModel();
    model.load(published());
    model.apply([copyRun({ userId: 'bob' })]);
    expect(model.notebooks.map(n => n.path)).toEqual([
      'lab1.ipynb',
      'scratch.ipynb'
    ]);
    expect(model.notebooks[0].executions).toBe(2);
  });

  it('adds an assignment first seen live under its key', () => {
    const model = new ProgressModel();
    model.load(published());
    model.apply([
      run({
        assignmentId: 'new',
        notebookPath: 'lab2.ipynb',
        eventTime: '2026-12-01T11:00:00+00:00'
      })
    ]);
    expect(model.notebooks[0]).toMatchObject({
      key: 'assignment:new',
      assignmentId: 'new',
      path: 'lab2.ipynb'
    });
    expect(model.list.unnamed()).toEqual(['new', ASSIGNMENT]);
  });
});

describe('presence in the grid', () => {
  it('comes from the snapshot and follows notebook events live', () => {
    const model = new ProgressModel();
    model.load(published());
    const at = (iso: string) => Date.parse(iso);
    expect(
      model.presence.view('alice', at('2026-12-01T10:01:00Z'))
    ).toMatchObject({ open: true, firstOpened: '2026-12-01T09:30:00+00:00' });
    const result = model.apply([
      copyRun({
        eventType: 'notebook_saved',
        eventTime: '2026-12-01T10:02:00+00:00',
        cellId: null
      }),
      copyRun({
        eventType: 'notebook_closed',
        eventTime: '2026-12-01T10:03:00+00:00',
        cellId: null
      })
    ]);
    expect(result.changedStudents).toEqual(new Set(['alice']));
    expect(model.presence.view('alice', at('2026-12-01T10:03:00Z'))).toEqual({
      open: false,
      firstOpened: '2026-12-01T09:30:00+00:00',
      lastSaved: '2026-12-01T10:02:00+00:00'
    });
  });

  it('takes heartbeats for presence, never for activity: an idle student stays idle', () => {
    const model = new ProgressModel();
    model.load(published());
    const before = model.student('alice')?.lastActivity;
    const listed = model.notebooks[0].lastActivity;
    model.apply([
      copyRun({
        eventType: 'notebook_heartbeat',
        eventTime: '2026-12-01T10:30:00+00:00',
        cellId: null
      })
    ]);
    expect(model.student('alice')?.lastActivity).toBe(before);
    expect(model.notebooks[0].lastActivity).toBe(listed);
    expect(
      model.presence.view('alice', Date.parse('2026-12-01T10:30:30Z'))?.open
    ).toBe(true);
  });
});
