/**
 * Puts the notice on the student's screen: the status-bar item, and the panel
 * it opens (also the command `progress-tracker:show-notice`).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IStatusBar } from '@jupyterlab/statusbar';
import type { TranslationBundle } from '@jupyterlab/translation';

import { browserStorage } from '../capture/browser';
import type { ConsentSource } from './consentSource';
import { Prompted } from './courses';
import type { LastSent } from './lastSent';
import { CaptureStatus, NoticePanel } from './views';

/** The command that opens the notice. */
export const SHOW_NOTICE_COMMAND = 'progress-tracker:show-notice';

/**
 * Add the status-bar item and the command. The panel opens on a click, and by
 * itself once for each opt-in course whose consent the student has not given
 * (remembered for this server in this browser).
 */
export function showNotice(
  app: JupyterFrontEnd,
  capture: { consent: ConsentSource; lastSent: LastSent },
  statusBar: IStatusBar | null,
  trans: TranslationBundle
): void {
  let panel: NoticePanel | null = null;
  const open = () => {
    if (panel === null || panel.isDisposed) {
      panel = new NoticePanel(capture.consent, capture.lastSent, trans);
      app.shell.add(panel, 'main');
    }
    app.shell.activateById(panel.id);
    void capture.consent.refresh();
  };
  app.commands.addCommand(SHOW_NOTICE_COMMAND, {
    label: trans.__('What the Progress Tracker Sends'),
    execute: open
  });
  statusBar?.registerStatusItem('progress-tracker:capture-status', {
    item: new CaptureStatus(capture.consent, trans, open),
    align: 'left',
    rank: 1000
  });
  const prompted = new Prompted(
    browserStorage(),
    `progress-tracker:notice-prompted:${app.serviceManager.serverSettings.baseUrl}`
  );
  capture.consent.changed.connect((_, consents) => {
    if (consents !== null && prompted.take(consents).length > 0) {
      open();
    }
  });
}
