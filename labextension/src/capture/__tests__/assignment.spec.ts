import {
  buildCellExecutedEvent,
  buildCellStartedEvent,
  ICellRun
} from '../events';
import { buildNotebookEvent } from '../notebookevents';
import { SERVER_DEFAULT_SETTINGS } from '../settings';

const run = (overrides: Partial<ICellRun> = {}): ICellRun => ({
  notebookPath: 'lab1-Copy1.ipynb',
  cellId: 'c1',
  cellIndex: 0,
  cellType: 'code',
  source: '1 + 1',
  executionCount: 1,
  outputs: [],
  success: true,
  finishedAt: new Date('2026-12-01T10:00:00Z'),
  ...overrides
});

describe('events of a published notebook', () => {
  it('carry the assignment id, and cell events the nbgrader grade id', () => {
    const executed = buildCellExecutedEvent(
      run({ assignmentId: 'a'.repeat(32), gradeId: 'q1' }),
      SERVER_DEFAULT_SETTINGS,
      'e1'
    );
    expect(executed).toMatchObject({
      assignmentId: 'a'.repeat(32),
      gradeId: 'q1'
    });
    const started = buildCellStartedEvent(
      {
        notebookPath: 'x.ipynb',
        cellId: 'c1',
        cellIndex: 0,
        cellType: 'code',
        source: 'x',
        scheduledAt: new Date(),
        assignmentId: 'abc',
        gradeId: null
      },
      SERVER_DEFAULT_SETTINGS,
      's1'
    );
    expect(started?.assignmentId).toBe('abc');
    expect(started).not.toHaveProperty('gradeId');
  });

  it('carry neither for a notebook never published', () => {
    const executed = buildCellExecutedEvent(
      run({ assignmentId: null }),
      SERVER_DEFAULT_SETTINGS,
      'e1'
    );
    expect(executed).not.toHaveProperty('assignmentId');
    expect(executed).not.toHaveProperty('gradeId');
    expect(
      buildNotebookEvent('notebook_opened', 'a.ipynb', new Date(), 'n1')
    ).not.toHaveProperty('assignmentId');
  });

  it('include heartbeats with the assignment id', () => {
    expect(
      buildNotebookEvent(
        'notebook_heartbeat',
        'lab1-Copy1.ipynb',
        new Date('2026-12-01T10:00:00Z'),
        'h1',
        'abc'
      )
    ).toEqual({
      eventId: 'h1',
      eventType: 'notebook_heartbeat',
      eventTime: '2026-12-01T10:00:00.000Z',
      notebookPath: 'lab1-Copy1.ipynb',
      assignmentId: 'abc'
    });
  });
});
