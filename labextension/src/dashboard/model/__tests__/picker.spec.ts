import {
  eventKey,
  pickerEntries,
  selectionKey,
  selectionOf,
  summaryKey,
  unnamedAssignments
} from '../picker';
import type { INotebookSummary } from '../../types';

const summary = (overrides: Partial<INotebookSummary>): INotebookSummary => ({
  path: 'lab1.ipynb',
  students: 3,
  executions: 10,
  lastActivity: null,
  ...overrides
});

describe('the notebook picker', () => {
  const list = [
    summary({
      path: 'course/lab1.ipynb',
      key: 'assignment:a1',
      assignmentId: 'a1',
      students: 12
    }),
    summary({
      path: 'course/lab2.ipynb',
      assignmentId: 'a2',
      title: 'Lab 2',
      course: 'cs102'
    }),
    summary({
      path: 'scratch.ipynb',
      key: 'scratch.ipynb',
      assignmentId: null
    }),
    summary({ path: 'old-server.ipynb' })
  ];

  it('lists assignments by title and course, unpublished notebooks by path', () => {
    const names = new Map([['a1', { title: 'Lab 1', course: 'cs101' }]]);
    expect(
      pickerEntries(list, names).map(e => [e.key, e.name, e.course, e.students])
    ).toEqual([
      ['assignment:a1', 'Lab 1', 'cs101', 12],
      ['assignment:a2', 'Lab 2', 'cs102', 3],
      ['scratch.ipynb', 'scratch.ipynb', null, 3],
      ['old-server.ipynb', 'old-server.ipynb', null, 3]
    ]);
  });

  it('asks for an assignment by its id and a notebook by its path', () => {
    expect(pickerEntries(list).map(e => e.selection)).toEqual([
      { assignment: 'a1' },
      { assignment: 'a2' },
      { notebook: 'scratch.ipynb' },
      { notebook: 'old-server.ipynb' }
    ]);
  });

  it('lists an assignment whose title is unknown by its path until it is known', () => {
    expect(pickerEntries(list)[0]).toMatchObject({
      name: 'course/lab1.ipynb',
      course: null
    });
    expect(unnamedAssignments(list, new Map())).toEqual(['a1']);
    expect(
      unnamedAssignments(list, new Map([['a1', { title: 'x', course: 'y' }]]))
    ).toEqual([]);
  });

  it('keys events, entries and selections alike', () => {
    expect(eventKey({ assignmentId: 'a1', notebookPath: 'copy.ipynb' })).toBe(
      'assignment:a1'
    );
    expect(eventKey({ assignmentId: null, notebookPath: 'x.ipynb' })).toBe(
      'x.ipynb'
    );
    expect(summaryKey(summary({ assignmentId: 'a2' }))).toBe('assignment:a2');
    expect(selectionKey(selectionOf(list[0]))).toBe(summaryKey(list[0]));
    expect(selectionKey({ notebook: 'assignment:odd.ipynb' })).toBe(
      'assignment:odd.ipynb'
    );
  });
});
