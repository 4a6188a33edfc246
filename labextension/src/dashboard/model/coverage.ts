/**
 * How much of the class the data covers: the counts of `GET api/v1/consent/counts`
 * in words. Counts only, never who. Pure logic.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** The server's counts for one course. */
export interface ICaptureCounts {
  course: string;
  policy: string;
  students: number;
  capturing: number;
  optedOut: number;
  awaitingConsent: number;
  captureOff: number;
  notReporting: number;
}

/** The counts in words, or `null` when the answer is not counts. */
export function coverageText(
  raw: unknown,
  trans: TranslationBundle
): string | null {
  const counts = raw as Partial<ICaptureCounts> | null;
  const numbers = [
    'students',
    'capturing',
    'optedOut',
    'awaitingConsent',
    'captureOff',
    'notReporting'
  ] as const;
  if (
    counts === null ||
    typeof counts !== 'object' ||
    typeof counts.course !== 'string' ||
    numbers.some(key => typeof counts[key] !== 'number')
  ) {
    return null;
  }
  const c = counts as ICaptureCounts;
  const parts = [trans.__('%1 capturing', c.capturing)];
  if (c.optedOut > 0) {
    parts.push(trans.__('%1 opted out', c.optedOut));
  }
  if (c.awaitingConsent > 0) {
    parts.push(trans.__('%1 not yet agreed', c.awaitingConsent));
  }
  if (c.captureOff > 0) {
    parts.push(trans.__('%1 capture off', c.captureOff));
  }
  if (c.notReporting > 0) {
    parts.push(trans.__('%1 not reporting', c.notReporting));
  }
  return trans.__(
    'Capture (%1, %2): %3',
    c.course,
    c.policy,
    parts.join(' · ')
  );
}
