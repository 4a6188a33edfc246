/**
 * The student capture plugin: reports cell starts and executions and notebook
 * open/save/close events to the progress-tracker server.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { measureActivation } from '../startup';
import { CaptureService } from './service';

/** Captures cell starts and executions and notebook lifecycle events. */
export const capturePlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:capture',
  description:
    'Records cell starts and executions and notebook open, save and close events for the progress tracker.',
  autoStart: true,
  requires: [INotebookTracker],
  // Never waits for the server: the settings and the outbox talk to it in the background.
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker): void =>
    measureActivation('progress-tracker:capture:activate', () => {
      new CaptureService(tracker, app.serviceManager.serverSettings);
    })
};

export default capturePlugin;
