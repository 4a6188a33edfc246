/**
 * The shared rules of a student's state on a cell (tests/fixtures/cell_state_rules.json at
 * the repository root), applied through the model the dashboard folds live events with. The
 * server's snapshot must pass the same cases (tests/ on the Python side).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { RUNNING_WINDOW_MS } from '../cells';
import { ProgressModel } from '../state';
import type { ICellProgress, ILiveEvent } from '../../types';

interface IRuleEvent {
  eventId: string;
  eventType: 'cell_executed' | 'cell_started' | 'kernel_status';
  userId: string;
  cellId?: string;
  at: number;
  notebookPath?: string;
  hasError?: boolean;
  errorMessage?: string | null;
  executionCount?: number | null;
  interrupted?: boolean;
  kernelStatus?: string;
}

interface IExpectedState {
  userId: string;
  cellId: string;
  status: ICellProgress['status'] | 'none';
  attempts?: number;
  errors?: number;
  lastError?: string | null;
  lastActivity?: number;
  executionCount?: number | null;
}

interface IRules {
  runningWindowSeconds: number;
  notebookPath: string;
  cases: { name: string; events: IRuleEvent[]; expected: IExpectedState[] }[];
}

const RULES: IRules = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../../tests/fixtures/cell_state_rules.json'),
    'utf-8'
  )
);

/** The moment the state is read. */
const NOW = Date.parse('2026-11-27T10:30:00Z');

function timeAt(seconds: number): string {
  return new Date(NOW + seconds * 1000).toISOString();
}

function liveEvent(event: IRuleEvent): ILiveEvent {
  const { at, ...fields } = event;
  return {
    notebookPath: RULES.notebookPath,
    ...fields,
    eventTime: timeAt(at)
  };
}

function stateOf(model: ProgressModel, userId: string, cellId: string) {
  return model.student(userId)?.cells[cellId];
}

describe('the shared cell state rules', () => {
  it('run with the running window of the server', () => {
    expect(RUNNING_WINDOW_MS).toBe(RULES.runningWindowSeconds * 1000);
  });

  it('hold several cases', () => {
    expect(RULES.cases.length).toBeGreaterThan(10);
  });

  describe.each(RULES.cases.map(c => [c.name, c] as const))('%s', (_, rule) => {
    const model = new ProgressModel();
    model.load({
      notebooks: [],
      notebook: RULES.notebookPath,
      cells: [],
      students: [],
      lastEventId: null,
      liveFeed: 'f1',
      liveSeq: 0,
      generatedAt: timeAt(0)
    });
    model.apply(rule.events.map(liveEvent), NOW);

    it.each(rule.expected.map(e => [`${e.userId} × ${e.cellId}`, e] as const))(
      '%s',
      (__, expected) => {
        const { userId, cellId, status, lastActivity, ...counts } = expected;
        const actual = stateOf(model, userId, cellId);
        if (status === 'none') {
          expect(actual).toBeUndefined();
          return;
        }
        expect(actual).toEqual({
          status,
          ...counts,
          lastActivity: timeAt(lastActivity as number)
        });
      }
    );
  });
});
