/**
 * The student capture plugin: reports cell starts and executions and notebook
 * open/save/close events to the progress-tracker server, and shows the student
 * a notice of what is sent (a status-bar item and its panel).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';

import { showNotice } from '../privacy/notice';
import { measureActivation } from '../startup';
import { bundleOf, translatorOrNull } from '../translation';
import { CaptureService } from './service';
import { ICaptureService } from './token';

/** Captures cell starts and executions and notebook lifecycle events. */
export const capturePlugin: JupyterFrontEndPlugin<CaptureService> = {
  id: 'progress-tracker:capture',
  description:
    'Records cell starts and executions and notebook open, save and close events for the progress tracker.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [IStatusBar, ITranslator],
  provides: ICaptureService,
  // Never waits for the server: the settings, the consent and the outbox talk to it in the background.
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ): CaptureService =>
    measureActivation('progress-tracker:capture:activate', () => {
      const capture = new CaptureService(
        tracker,
        app.serviceManager.serverSettings
      );
      showNotice(
        app,
        capture,
        statusBar,
        bundleOf(translatorOrNull(translator))
      );
      return capture;
    })
};

export default capturePlugin;
