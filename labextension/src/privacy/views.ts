/**
 * The student's notice: a status-bar item (capture on or off, across their
 * courses) and a panel listing, per course, exactly what is sent and their
 * choice, with the last event sent.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { ConsentSource } from './consentSource';
import { courseNotice } from './courseNotice';
import type { LastSent } from './lastSent';
import { statusText } from './texts';

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
    const consents = this.consent.current;
    this.node.textContent = statusText(consents, this.trans);
    const on = consents?.courses.some(state => state.captureOn) ?? false;
    this.node.dataset.capture = on ? 'on' : 'off';
    this.node.title = this.trans.__(
      'What the progress tracker sends in each of your courses, and your choices'
    );
  }
}

/** The notice: per course its policy, fields sent and not sent, retention, who sees it and the
 * choice; then the last event sent. */
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
    const consents = this.consent.current;
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
    if (consents === null) {
      add('p', trans.__('The server has not answered yet: nothing is sent.'));
      return;
    }
    add('p', statusText(consents, trans), 'pt-NoticePanel-summary');
    if (consents.courses.length > 1) {
      add(
        'p',
        trans.__(
          "A notebook published in one of your courses follows that course's choice; your other notebooks follow %1's.",
          consents.home
        )
      );
    }
    for (const state of consents.courses) {
      node.appendChild(
        courseNotice(state, trans, capture => {
          void this.consent.choose(state.course, capture);
        })
      );
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
