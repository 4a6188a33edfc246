/**
 * What the status bar and the notice say of the student's consent states,
 * across their courses and for one. Pure logic (translated strings).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IConsentState } from './consent';
import { ICourseConsents, isAwaiting, summarize } from './courses';

/** The status bar's words for the student's courses. */
export function statusText(
  consents: ICourseConsents | null,
  trans: TranslationBundle
): string {
  if (consents === null) {
    return trans.__('Progress capture: off (no answer yet)');
  }
  if (consents.courses.length === 0) {
    return trans.__('Progress capture: off (you are in no course)');
  }
  if (consents.courses.length === 1) {
    return courseStatusText(consents.courses[0], trans);
  }
  const { tracking, paused, awaiting } = summarize(consents);
  const parts = [
    trans._n('Tracking: %1 course', 'Tracking: %1 courses', tracking)
  ];
  if (paused > 0) {
    parts.push(trans._n('%1 paused', '%1 paused', paused));
  }
  if (awaiting > 0) {
    parts.push(
      trans._n('%1 asks your consent', '%1 ask your consent', awaiting)
    );
  }
  return parts.join(', ');
}

/** What the status bar and the notice say of one course's state. */
export function courseStatusText(
  state: IConsentState,
  trans: TranslationBundle
): string {
  if (state.captureOn) {
    return trans.__('Progress capture: on · %1', state.course);
  }
  if (isAwaiting(state)) {
    return trans.__(
      'Progress capture: off, asks your consent · %1',
      state.course
    );
  }
  return trans.__('Progress capture: off · %1', state.course);
}
