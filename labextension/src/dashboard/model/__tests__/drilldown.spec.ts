import {
  IAttempt,
  shownAttempts,
  signalText,
  statusCounts
} from '../drilldown';

function attempt(overrides: Partial<IAttempt>): IAttempt {
  return {
    student: 'ada',
    status: 'succeeded',
    code: 'x = 1',
    result: null,
    errorMessage: null,
    attempts: 1,
    errors: 0,
    lastAt: '2026-11-27T10:00:00+00:00',
    signals: {
      errorQuotient: null,
      repeatedErrorDensity: 0,
      timeOnCellS: 0,
      attemptsSinceSuccess: 0
    },
    ...overrides
  };
}

const CLASS = [
  attempt({ student: 'ada', attempts: 2, lastAt: '2026-11-27T10:02:00Z' }),
  attempt({
    student: 'bob',
    status: 'failed',
    attempts: 5,
    errorMessage: "KeyError: 'price'",
    lastAt: '2026-11-27T10:01:00Z'
  }),
  attempt({
    student: 'cy',
    status: 'interrupted',
    attempts: 5,
    code: 'while True: pass',
    lastAt: '2026-11-27T10:03:00Z'
  }),
  attempt({ student: 'dee', status: 'running', lastAt: null, code: null })
];
const ALL = { status: 'all' as const, text: '' };
const names = (shown: IAttempt[]) => shown.map(a => a.student);

describe('the drill-down of a cell', () => {
  it('sorts by time, latest first (no result yet last), or by attempts then name', () => {
    expect(names(shownAttempts(CLASS, ALL, 'time'))).toEqual([
      'cy',
      'ada',
      'bob',
      'dee'
    ]);
    expect(names(shownAttempts(CLASS, ALL, 'attempts'))).toEqual([
      'bob',
      'cy',
      'ada',
      'dee'
    ]);
    expect(names(shownAttempts(CLASS, ALL, 'name'))).toEqual([
      'ada',
      'bob',
      'cy',
      'dee'
    ]);
  });

  it('filters by status, interrupted being its own', () => {
    const only = (status: IAttempt['status']) =>
      names(shownAttempts(CLASS, { status, text: '' }, 'name'));
    expect(only('failed')).toEqual(['bob']);
    expect(only('interrupted')).toEqual(['cy']);
    expect(statusCounts(CLASS)).toEqual({
      succeeded: 1,
      failed: 1,
      running: 1,
      interrupted: 1
    });
  });

  it('filters by text in the name, code, error or result, in any case', () => {
    const find = (text: string) =>
      names(shownAttempts(CLASS, { status: 'all', text }, 'name'));
    expect(find('KEYERROR')).toEqual(['bob']);
    expect(find('while')).toEqual(['cy']);
    expect(find('de')).toEqual(['dee']);
    expect(find('  ')).toEqual(['ada', 'bob', 'cy', 'dee']);
  });

  it("shows only an error group's students when it came from one", () => {
    const group = { ...ALL, students: new Set(['bob', 'dee']) };
    expect(names(shownAttempts(CLASS, group, 'time'))).toEqual(['bob', 'dee']);
  });

  it('shows signals readably, undefined ones as a dash', () => {
    const signals = {
      errorQuotient: 0.4583,
      repeatedErrorDensity: 2,
      timeOnCellS: 130.4,
      attemptsSinceSuccess: 3
    };
    expect(signalText('errorQuotient', signals)).toBe('0.46');
    expect(signalText('repeatedErrorDensity', signals)).toBe('2');
    expect(signalText('timeOnCellS', signals)).toBe('2 min 10 s');
    expect(signalText('attemptsSinceSuccess', signals)).toBe('3');
    expect(
      signalText('errorQuotient', { ...signals, errorQuotient: null })
    ).toBe('–');
  });
});
