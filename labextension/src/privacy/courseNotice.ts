/**
 * One course's part of the student's notice: its consent mode, what is
 * collected at its capture level, how long it is kept, who sees it, and the
 * student's control, as DOM (texts are always text, never HTML).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IConsentState } from './consent';
import { courseStatusText } from './texts';

/** The implicit course: a student's work outside their courses' assignments. */
const IMPLICIT_COURSE = 'default';

/**
 * The section of the notice for one course.
 *
 * @param choose - store the student's choice in this course
 */
export function courseNotice(
  state: IConsentState,
  trans: TranslationBundle,
  choose: (capture: boolean) => void
): HTMLElement {
  const section = document.createElement('section');
  section.className = 'pt-NoticeCourse';
  section.dataset.testid = 'pt-notice-course';
  section.dataset.course = state.course;
  section.dataset.capture = state.captureOn ? 'on' : 'off';
  const add = (tag: string, text: string, cls?: string): HTMLElement => {
    const element = document.createElement(tag);
    element.textContent = text;
    if (cls) {
      element.className = cls;
    }
    section.appendChild(element);
    return element;
  };
  add(
    'h3',
    state.course === IMPLICIT_COURSE
      ? trans.__('%1: notebooks outside your courses', state.course)
      : trans.__('Course %1', state.course)
  );
  add('p', courseStatusText(state, trans), 'pt-NoticePanel-status');
  add('p', policyText(state, trans), 'pt-NoticeCourse-policy');
  add(
    'h4',
    trans.__('Sent with each event (capture level "%1")', state.captureLevel)
  );
  const list = document.createElement('ul');
  list.dataset.testid = 'pt-sent-fields';
  for (const field of state.sent) {
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = field.field;
    item.append(name, ` — ${field.description}`);
    list.appendChild(item);
  }
  section.appendChild(list);
  if (state.notSent.length > 0) {
    add(
      'p',
      trans.__('Never sent at this level: %1', state.notSent.join(', '))
    );
  }
  add(
    'p',
    state.retentionDays > 0
      ? trans.__('Kept for %1 days, then deleted.', state.retentionDays)
      : trans.__('Kept until the course deletes it or you ask for erasure.')
  );
  add('p', seenByText(state, trans), 'pt-NoticeCourse-seenBy');
  if (state.mayChoose) {
    const button = add(
      'button',
      state.captureOn ? trans.__('Stop capture') : trans.__('Allow capture'),
      'jp-mod-styled pt-NoticePanel-choice'
    );
    button.dataset.testid = 'pt-consent-choice';
    button.setAttribute('type', 'button');
    button.addEventListener('click', () => choose(!state.captureOn));
  }
  return section;
}

function policyText(state: IConsentState, trans: TranslationBundle): string {
  if (state.policy === 'notice') {
    return trans.__(
      'Consent: notice. Course %1 records your cell runs for your instructors while you work.',
      state.course
    );
  }
  if (state.policy === 'opt-in') {
    return trans.__(
      'Consent: opt-in. Course %1 records your cell runs only if you allow it; you may stop at any time.',
      state.course
    );
  }
  return trans.__(
    'Consent: opt-out. Course %1 records your cell runs unless you stop it here.',
    state.course
  );
}

function seenByText(state: IConsentState, trans: TranslationBundle): string {
  if (state.course === IMPLICIT_COURSE) {
    return trans.__(
      "Seen by the server's instructors and the progress tracker's administrators."
    );
  }
  return trans.__(
    "Seen by the instructors and teaching assistants of %1 (a teaching assistant sees only their section) and the progress tracker's administrators.",
    state.course
  );
}
