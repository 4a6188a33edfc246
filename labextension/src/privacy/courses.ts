/**
 * A student's notices across their courses, as the server answers at
 * `GET api/v1/consent/courses`: one consent state per course, and which state
 * an event is gated by. Pure logic.
 *
 * The course of an event is the server's rule (docs/courses.md): a notebook
 * published in a course of the student's belongs to it; any other work goes to
 * the student's home course (their only course, or the implicit `default`).
 */
import { IConsentState, NOTICE_ONLY, parseConsent } from './consent';

/** Every course whose policy applies to the student's events. */
export interface ICourseConsents {
  /** Where work naming no assignment of the student's courses goes. */
  home: string;
  /** One state per course, in the server's order. */
  courses: IConsentState[];
}

/** How the student's courses stand, for the status bar. */
export interface IConsentSummary {
  /** Courses whose capture is on. */
  tracking: number;
  /** Courses the student stopped (opted out, or withdrew their consent). */
  paused: number;
  /** Opt-in courses the student has not answered yet (nothing is sent). */
  awaiting: number;
}

/** The state of a server without the consent API: a notice, everything sent. */
export const NOTICE_ONLY_COURSES: Readonly<ICourseConsents> = {
  home: NOTICE_ONLY.course,
  courses: [NOTICE_ONLY]
};

/**
 * Read the server's answer; `null` when it is not one (then nothing is sent).
 * Entries that are not consent states are left out.
 *
 * @param raw - the decoded JSON body of `GET api/v1/consent/courses`
 */
export function parseCourseConsents(raw: unknown): ICourseConsents | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return null;
  }
  const data = raw as Record<string, unknown>;
  if (typeof data.home !== 'string' || !Array.isArray(data.courses)) {
    return null;
  }
  const courses = data.courses
    .map(parseConsent)
    .filter((state): state is IConsentState => state !== null);
  return { home: data.home, courses };
}

/** Whether `state` waits for an answer the student has not given (opt-in). */
export function isAwaiting(state: Readonly<IConsentState>): boolean {
  return state.policy === 'opt-in' && state.choice === null;
}

/**
 * The state that gates an event of a notebook, `null` when none applies
 * (then nothing is sent).
 *
 * @param consents - the student's courses, `null` while unknown
 * @param assignmentCourse - the course of the notebook's published assignment
 *   (`metadata.progress_tracker.course`), `null` when it has none
 */
export function stateOf(
  consents: Readonly<ICourseConsents> | null,
  assignmentCourse: string | null
): IConsentState | null {
  if (consents === null) {
    return null;
  }
  const find = (course: string) =>
    consents.courses.find(state => state.course === course) ?? null;
  // An assignment of a course the student is not in goes to their home course.
  return (assignmentCourse && find(assignmentCourse)) || find(consents.home);
}

/** How many courses capture, are paused, or wait for the student's answer. */
export function summarize(
  consents: Readonly<ICourseConsents>
): IConsentSummary {
  const summary: IConsentSummary = { tracking: 0, paused: 0, awaiting: 0 };
  for (const state of consents.courses) {
    if (state.captureOn) {
      summary.tracking += 1;
    } else if (isAwaiting(state)) {
      summary.awaiting += 1;
    } else {
      summary.paused += 1;
    }
  }
  return summary;
}

/** `consents` with `state` in place of its course's state. */
export function withState(
  consents: Readonly<ICourseConsents>,
  state: IConsentState
): ICourseConsents {
  const known = consents.courses.some(s => s.course === state.course);
  return {
    home: consents.home,
    courses: known
      ? consents.courses.map(s => (s.course === state.course ? state : s))
      : [...consents.courses, state]
  };
}

/** How often the plugin reports in: the most often any course asks. */
export function checkInSeconds(consents: Readonly<ICourseConsents>): number {
  const asked = consents.courses.map(state => state.checkInSeconds);
  return asked.length > 0 ? Math.min(...asked) : 60;
}

/** Where the courses already prompted for are remembered. */
export interface IPromptStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The opt-in courses the notice has opened for by itself: each one once, for
 * this server in this browser (a course added later prompts in its turn).
 */
export class Prompted {
  constructor(
    private readonly storage: IPromptStorage,
    private readonly key: string
  ) {}

  /**
   * The courses of `consents` that wait for an answer and were never
   * prompted for; they count as prompted from now on.
   */
  take(consents: Readonly<ICourseConsents>): string[] {
    const seen = this._read();
    const fresh = consents.courses
      .filter(state => isAwaiting(state) && !seen.includes(state.course))
      .map(state => state.course);
    if (fresh.length > 0) {
      try {
        this.storage.setItem(this.key, JSON.stringify([...seen, ...fresh]));
      } catch {
        // A full or denied storage: the notice may open again on reload.
      }
    }
    return fresh;
  }

  private _read(): string[] {
    try {
      const raw: unknown = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(raw)
        ? raw.filter((c): c is string => typeof c === 'string')
        : [];
    } catch {
      return [];
    }
  }
}
