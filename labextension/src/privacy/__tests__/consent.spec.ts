import type { ICaptureEvent } from '../../capture/events';
import { gate, IConsentState, NOTICE_ONLY, parseConsent } from '../consent';
import { ConsentSource } from '../consentSource';

const FULL: ICaptureEvent = {
  eventId: 'e1',
  eventType: 'cell_executed',
  eventTime: '2026-12-01T10:00:00.000Z',
  notebookPath: 'lab.ipynb',
  cellId: 'c1',
  hasError: true,
  code: 'x = 1',
  errorMessage: 'NameError: y',
  result: '1'
};

function state(overrides: Partial<IConsentState> = {}): IConsentState {
  return { ...NOTICE_ONLY, course: 'cs101', ...overrides };
}

describe('gate', () => {
  it('sends nothing while the consent state is unknown or capture is off', () => {
    expect(gate(FULL, null)).toBeNull();
    expect(
      gate(FULL, state({ policy: 'opt-in', captureOn: false }))
    ).toBeNull();
  });

  it('keeps only the fields of the capture level', () => {
    const at = (captureLevel: IConsentState['captureLevel']) =>
      Object.keys(gate(FULL, state({ captureLevel }))!).sort();
    const metadata = [
      'cellId',
      'eventId',
      'eventTime',
      'eventType',
      'hasError',
      'notebookPath'
    ];
    expect(at('metadata')).toEqual(metadata);
    expect(at('errors')).toEqual([...metadata, 'errorMessage'].sort());
    expect(at('code')).toEqual([...metadata, 'code', 'errorMessage'].sort());
    expect(gate(FULL, state({ captureLevel: 'results' }))).toEqual(FULL);
  });
});

describe('parseConsent', () => {
  it("reads the server's answer", () => {
    const parsed = parseConsent({
      course: 'cs101',
      policy: 'opt-out',
      captureLevel: 'code',
      retentionDays: 180,
      choice: false,
      captureOn: false,
      mayChoose: true,
      sent: [{ field: 'code', description: 'the source' }, { field: 1 }],
      notSent: ['result', 2],
      checkInSeconds: 30
    });
    expect(parsed).toMatchObject({
      course: 'cs101',
      policy: 'opt-out',
      choice: false,
      sent: [{ field: 'code', description: 'the source' }],
      notSent: ['result'],
      checkInSeconds: 30
    });
  });

  it('refuses what is not a consent state', () => {
    expect(parseConsent(null)).toBeNull();
    expect(
      parseConsent({
        course: 'x',
        policy: 'always',
        captureLevel: 'code',
        captureOn: true
      })
    ).toBeNull();
    expect(parseConsent([])).toBeNull();
  });
});

describe('ConsentSource', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports in with whether it runs, and stores a choice in its course', async () => {
    const reports: boolean[] = [];
    const puts: [string, boolean][] = [];
    const cs101 = state({
      policy: 'opt-in',
      captureOn: false,
      mayChoose: true
    });
    const cs202 = state({
      course: 'cs202',
      policy: 'opt-out',
      mayChoose: true
    });
    let running = true;
    const source: ConsentSource = new ConsentSource(
      {
        get: async capturing => {
          reports.push(capturing);
          return { home: 'cs202', courses: [cs101, cs202] };
        },
        put: async (course, capture) => {
          puts.push([course, capture]);
          return { ...cs101, choice: capture, captureOn: capture };
        }
      },
      (): boolean => running
    );
    await jest.advanceTimersByTimeAsync(10);
    await source.ready;
    expect(source.stateFor('cs101')?.captureOn).toBe(false);
    expect(source.stateFor(null)?.course).toBe('cs202');
    expect(reports).toEqual([true]);
    const changes: unknown[] = [];
    source.changed.connect((_, consents) => changes.push(consents));
    await source.choose('cs101', true);
    expect(puts).toEqual([['cs101', true]]);
    expect(source.stateFor('cs101')?.captureOn).toBe(true);
    expect(source.stateFor('cs202')).toEqual(cs202);
    expect(changes).toHaveLength(1);
    running = false;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(reports).toEqual([true, false]);
    source.dispose();
  });

  it('stands for a notice on a server without the consent API, and for nothing when it fails', async () => {
    const missing = new ConsentSource(
      { get: async () => undefined, put: async () => null },
      () => true
    );
    await jest.advanceTimersByTimeAsync(10);
    expect(missing.current?.courses).toEqual([NOTICE_ONLY]);
    expect(missing.stateFor('cs101')).toEqual(NOTICE_ONLY);
    missing.dispose();
    const failing = new ConsentSource(
      {
        get: async () => {
          throw new Error('503');
        },
        put: async () => null
      },
      () => true
    );
    await jest.advanceTimersByTimeAsync(10);
    await failing.ready;
    expect(failing.current).toBeNull();
    expect(failing.stateFor(null)).toBeNull();
    failing.dispose();
  });
});
