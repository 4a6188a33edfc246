/**
 * The student capture plugin: reports cell starts and executions and notebook
 * open/save/close events to the progress-tracker server.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { CaptureService } from './service';

/** Captures cell starts and executions and notebook lifecycle events. */
export const capturePlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:capture',
  description:
    'Records cell starts and executions and notebook open, save and close events for the progress tracker.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker): void => {
    new CaptureService(tracker, app.serviceManager.serverSettings);
  }
};

export default capturePlugin;
