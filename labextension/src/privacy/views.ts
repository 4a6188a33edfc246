/**
 * The student's notice: a status-bar item (capture on or off, for which
 * course) and a panel listing exactly what is sent, with the last event sent.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { IConsentState } from './consent';
import type { ConsentSource } from './consentSource';
import type { LastSent } from './lastSent';

/** The status bar's words for a state. */
export function statusText(
  state: IConsentState | null,
  trans: TranslationBundle
): string {
  if (state === null) {
    return trans.__('Progress capture: off (no answer yet)');
  }
  if (state.captureOn) {
    return trans.__('Progress capture: on · %1', state.course);
  }
  if (state.policy === 'opt-in' && state.choice === null) {
    return trans.__(
      'Progress capture: off, asks your consent · %1',
      state.course
    );
  }
  return trans.__('Progress capture: off · %1', state.course);
}

/** The status-bar item; a click opens the notice. */
export class CaptureStatus extends Widget {
  constructor(
    private readonly consent: ConsentSource,
    private readonly trans: TranslationBundle,
    open: () => void
  ) {
    super({ node: document.createElement('button') });
    this.addClass('pt-CaptureStatus');
    this.node.setAttribute('type', 'button');
    this.node.setAttribute('data-testid', 'pt-capture-status');
    this.node.addEventListener('click', open);
    consent.changed.connect(this.update, this);
    this.update();
  }

  update(): void {
    const state = this.consent.current;
    this.node.textContent = statusText(state, this.trans);
    this.node.dataset.capture = state?.captureOn ? 'on' : 'off';
    this.node.title = this.trans.__(
      'What the progress tracker sends, and your choice'
    );
  }
}

/** The notice: policy, fields sent and not sent, retention, the choice, the last event. */
export class NoticePanel extends Widget {
  constructor(
    private readonly consent: ConsentSource,
    private readonly lastSent: LastSent,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.id = 'progress-tracker-notice';
    this.title.label = trans.__('Progress tracking');
    this.title.closable = true;
    this.addClass('pt-NoticePanel');
    consent.changed.connect(() => this.render());
    lastSent.changed.connect(() => this.render());
    this.render();
  }

  render(): void {
    const { trans } = this;
    const state = this.consent.current;
    const node = this.node;
    node.replaceChildren();
    const add = (tag: string, text: string, cls?: string): HTMLElement => {
      const element = document.createElement(tag);
      element.textContent = text; // student and server texts are text, never HTML
      if (cls) {
        element.className = cls;
      }
      node.appendChild(element);
      return element;
    };
    add('h2', trans.__('What the progress tracker sends'));
    if (state === null) {
      add('p', trans.__('The server has not answered yet: nothing is sent.'));
      return;
    }
    add('p', statusText(state, trans), 'pt-NoticePanel-status');
    add('p', policyText(state, trans));
    add(
      'h3',
      trans.__('Sent with each event (capture level "%1")', state.captureLevel)
    );
    const list = document.createElement('ul');
    list.setAttribute('data-testid', 'pt-sent-fields');
    for (const field of state.sent) {
      const item = document.createElement('li');
      const name = document.createElement('code');
      name.textContent = field.field;
      item.append(name, ` — ${field.description}`);
      list.appendChild(item);
    }
    node.appendChild(list);
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
    if (state.mayChoose) {
      const button = add(
        'button',
        state.captureOn ? trans.__('Stop capture') : trans.__('Allow capture'),
        'jp-mod-styled pt-NoticePanel-choice'
      );
      button.setAttribute('data-testid', 'pt-consent-choice');
      button.addEventListener('click', () => {
        void this.consent.choose(!state.captureOn);
      });
    }
    add('h3', trans.__('The last event sent'));
    const last = add(
      'pre',
      this.lastSent.event
        ? JSON.stringify(this.lastSent.event, null, 2)
        : trans.__('None yet.'),
      'pt-NoticePanel-last'
    );
    last.setAttribute('data-testid', 'pt-last-event');
  }
}

function policyText(state: IConsentState, trans: TranslationBundle): string {
  if (state.policy === 'notice') {
    return trans.__(
      'Course %1 records your cell runs for your instructors while you work.',
      state.course
    );
  }
  if (state.policy === 'opt-in') {
    return trans.__(
      'Course %1 records your cell runs only if you allow it; you may stop at any time.',
      state.course
    );
  }
  return trans.__(
    'Course %1 records your cell runs unless you stop it here.',
    state.course
  );
}
