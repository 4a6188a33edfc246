/**
 * A student's notice and consent, as the server answers at `GET api/v1/consent`,
 * and what it lets the capture plugin send. Pure logic.
 */
import type { ICaptureEvent } from '../capture/events';

/** How a course asks its students. */
export type ConsentPolicy = 'notice' | 'opt-in' | 'opt-out';

/** How much is captured, from least to most. */
export type CaptureLevel = 'metadata' | 'errors' | 'code' | 'results';

/** One field sent at the course's level, with what it holds. */
export interface ISentField {
  field: string;
  description: string;
}

/** The server's answer at `api/v1/consent`. */
export interface IConsentState {
  course: string;
  policy: ConsentPolicy;
  captureLevel: CaptureLevel;
  retentionDays: number;
  /** `true` agreed, `false` refused or opted out, `null` never chose. */
  choice: boolean | null;
  captureOn: boolean;
  mayChoose: boolean;
  sent: ISentField[];
  notSent: string[];
  checkInSeconds: number;
}

const POLICIES: readonly ConsentPolicy[] = ['notice', 'opt-in', 'opt-out'];
const LEVELS: readonly CaptureLevel[] = [
  'metadata',
  'errors',
  'code',
  'results'
];
/** The event fields each level adds (what the server drops above the level). */
const ADDED_AT: Record<CaptureLevel, (keyof ICaptureEvent | 'metadata')[]> = {
  metadata: [],
  errors: ['errorMessage'],
  code: ['code'],
  results: ['result', 'metadata']
};

/**
 * Read the server's answer; `null` when it is not one (then nothing is sent).
 *
 * @param raw - the decoded JSON body of `GET` or `PUT api/v1/consent`
 */
export function parseConsent(raw: unknown): IConsentState | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return null;
  }
  const data = raw as Record<string, unknown>;
  const policy = data.policy as ConsentPolicy;
  const level = data.captureLevel as CaptureLevel;
  if (
    typeof data.course !== 'string' ||
    !POLICIES.includes(policy) ||
    !LEVELS.includes(level) ||
    typeof data.captureOn !== 'boolean'
  ) {
    return null;
  }
  const sent = Array.isArray(data.sent)
    ? data.sent.filter(
        (item): item is ISentField =>
          typeof item?.field === 'string' &&
          typeof item?.description === 'string'
      )
    : [];
  const choice = typeof data.choice === 'boolean' ? data.choice : null;
  const seconds = Number(data.checkInSeconds);
  return {
    course: data.course,
    policy,
    captureLevel: level,
    retentionDays: Number.isFinite(Number(data.retentionDays))
      ? Number(data.retentionDays)
      : 0,
    choice,
    captureOn: data.captureOn,
    mayChoose: data.mayChoose === true,
    sent,
    notSent: Array.isArray(data.notSent)
      ? data.notSent.filter((f): f is string => typeof f === 'string')
      : [],
    checkInSeconds:
      Number.isFinite(seconds) && seconds >= 5 ? Math.min(seconds, 3600) : 60
  };
}

/**
 * The event as it may leave the browser under `state`: `null` when capture is
 * off (opt-in without consent, opted out, or the state unknown), otherwise
 * without the fields above the course's capture level.
 *
 * @param event - the event the capture plugin built
 * @param state - the consent state in force, `null` while unknown
 */
export function gate(
  event: ICaptureEvent,
  state: Readonly<IConsentState> | null
): ICaptureEvent | null {
  if (state === null || !state.captureOn) {
    return null;
  }
  const allowed = LEVELS.indexOf(state.captureLevel);
  const kept: Record<string, unknown> = { ...event };
  LEVELS.forEach((level, index) => {
    if (index > allowed) {
      ADDED_AT[level].forEach(field => delete kept[field]);
    }
  });
  return kept as unknown as ICaptureEvent;
}

/** The state a server without the consent API stands for: a notice, everything sent. */
export const NOTICE_ONLY: Readonly<IConsentState> = {
  course: 'default',
  policy: 'notice',
  captureLevel: 'results',
  retentionDays: 0,
  choice: null,
  captureOn: true,
  mayChoose: false,
  sent: [],
  notSent: [],
  checkInSeconds: 60
};
