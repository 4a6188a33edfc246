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

  it('reports in with whether it captures, and stores a choice', async () => {
    const reports: boolean[] = [];
    const answer = {
      ...state({ policy: 'opt-in', captureOn: false, mayChoose: true })
    };
    const source: ConsentSource = new ConsentSource(
      {
        get: async capturing => {
          reports.push(capturing);
          return answer;
        },
        put: async capture => ({
          ...answer,
          choice: capture,
          captureOn: capture
        })
      },
      (): boolean => source.current?.captureOn ?? false
    );
    await jest.advanceTimersByTimeAsync(10);
    await source.ready;
    expect(source.current?.captureOn).toBe(false);
    expect(reports).toEqual([false]);
    await source.choose(true);
    expect(source.current?.captureOn).toBe(true);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(reports).toEqual([false, true]);
    source.dispose();
  });

  it('stands for a notice on a server without the consent API, and for nothing when it fails', async () => {
    const missing = new ConsentSource(
      { get: async () => undefined, put: async () => null },
      () => true
    );
    await jest.advanceTimersByTimeAsync(10);
    expect(missing.current).toEqual(NOTICE_ONLY);
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
    failing.dispose();
  });
});
