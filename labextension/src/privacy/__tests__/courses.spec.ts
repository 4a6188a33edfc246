import { nullTranslator } from '@jupyterlab/translation';

import { IConsentState, NOTICE_ONLY } from '../consent';
import {
  checkInSeconds,
  ICourseConsents,
  IPromptStorage,
  parseCourseConsents,
  Prompted,
  stateOf,
  summarize,
  withState
} from '../courses';
import { statusText } from '../texts';

const trans = nullTranslator.load('progress_tracker');

function course(
  name: string,
  overrides: Partial<IConsentState> = {}
): IConsentState {
  return { ...NOTICE_ONLY, course: name, ...overrides };
}

/** A student of cs101 (opt-in, not answered) and cs202 (opt-out), home `default`. */
const STUDENT: ICourseConsents = {
  home: 'default',
  courses: [
    course('cs101', {
      policy: 'opt-in',
      captureOn: false,
      mayChoose: true,
      captureLevel: 'metadata'
    }),
    course('cs202', { policy: 'opt-out', captureOn: true, mayChoose: true }),
    course('default')
  ]
};

function memoryStorage(): IPromptStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: key => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value)
  };
}

describe('parseCourseConsents', () => {
  it("reads the server's list, leaving out entries that are no consent state", () => {
    const parsed = parseCourseConsents({
      home: 'default',
      courses: [
        { ...STUDENT.courses[0] },
        { course: 'cs303', policy: 'always', captureLevel: 'code' },
        { ...STUDENT.courses[2] }
      ]
    });
    expect(parsed?.home).toBe('default');
    expect(parsed?.courses.map(state => state.course)).toEqual([
      'cs101',
      'default'
    ]);
  });

  it('refuses what is not a list of courses', () => {
    expect(parseCourseConsents(null)).toBeNull();
    expect(parseCourseConsents([])).toBeNull();
    expect(parseCourseConsents({ home: 'default' })).toBeNull();
    expect(parseCourseConsents({ courses: [] })).toBeNull();
  });
});

describe('stateOf', () => {
  it("gates a published notebook's events by its course's state", () => {
    expect(stateOf(STUDENT, 'cs101')?.course).toBe('cs101');
    expect(stateOf(STUDENT, 'cs202')?.captureOn).toBe(true);
  });

  it('gates other work by the home course, as the server attributes it', () => {
    expect(stateOf(STUDENT, null)?.course).toBe('default');
    // an assignment of a course the student is not in goes to their home course
    expect(stateOf(STUDENT, 'cs999')?.course).toBe('default');
  });

  it('gates nothing in while the states are unknown or no state applies', () => {
    expect(stateOf(null, 'cs101')).toBeNull();
    expect(stateOf({ home: 'cs101', courses: [] }, null)).toBeNull();
  });
});

describe('summarize and the status bar', () => {
  it('counts the courses tracking, paused and asking for consent', () => {
    expect(summarize(STUDENT)).toEqual({ tracking: 2, paused: 0, awaiting: 1 });
    expect(statusText(STUDENT, trans)).toBe(
      'Tracking: 2 courses, 1 asks your consent'
    );
    const stopped = withState(
      STUDENT,
      course('cs202', { policy: 'opt-out', captureOn: false, choice: false })
    );
    expect(summarize(stopped)).toEqual({ tracking: 1, paused: 1, awaiting: 1 });
    expect(statusText(stopped, trans)).toBe(
      'Tracking: 1 course, 1 paused, 1 asks your consent'
    );
  });

  it('says what the one course does when there is only one', () => {
    const one = { home: 'cs101', courses: [STUDENT.courses[0]] };
    expect(statusText(one, trans)).toBe(
      'Progress capture: off, asks your consent · cs101'
    );
    expect(statusText(null, trans)).toBe(
      'Progress capture: off (no answer yet)'
    );
  });
});

describe('withState', () => {
  it('replaces only the chosen course and keeps the order', () => {
    const agreed = course('cs101', {
      policy: 'opt-in',
      choice: true,
      captureOn: true
    });
    const after = withState(STUDENT, agreed);
    expect(after.courses.map(state => state.course)).toEqual([
      'cs101',
      'cs202',
      'default'
    ]);
    expect(stateOf(after, 'cs101')?.captureOn).toBe(true);
    expect(STUDENT.courses[0].captureOn).toBe(false); // unchanged
  });
});

describe('checkInSeconds', () => {
  it('reports in as often as the most demanding course asks', () => {
    const often = withState(STUDENT, course('cs202', { checkInSeconds: 15 }));
    expect(checkInSeconds(often)).toBe(15);
    expect(checkInSeconds({ home: 'default', courses: [] })).toBe(60);
  });
});

describe('Prompted', () => {
  it('prompts once for each opt-in course not answered, and again for a new one', () => {
    const storage = memoryStorage();
    const prompted = new Prompted(storage, 'prompted');
    expect(prompted.take(STUDENT)).toEqual(['cs101']);
    expect(prompted.take(STUDENT)).toEqual([]);
    // the next page load of the same browser remembers
    expect(new Prompted(storage, 'prompted').take(STUDENT)).toEqual([]);
    const added = withState(
      STUDENT,
      course('cs303', { policy: 'opt-in', captureOn: false })
    );
    expect(prompted.take(added)).toEqual(['cs303']);
  });

  it('never prompts for a course answered, notice or opt-out', () => {
    const answered = withState(
      STUDENT,
      course('cs101', { policy: 'opt-in', choice: false, captureOn: false })
    );
    expect(new Prompted(memoryStorage(), 'p').take(answered)).toEqual([]);
  });

  it('reads a damaged memory as empty', () => {
    const storage = memoryStorage();
    storage.setItem('p', '{not json');
    expect(new Prompted(storage, 'p').take(STUDENT)).toEqual(['cs101']);
  });
});
