/**
 * The progress-tracker JupyterLab extension: the student capture plugin and
 * the instructor dashboard.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import capturePlugin from './capture';
import dashboardPlugins from './dashboard';

/** Every plugin of the extension. */
const plugins: JupyterFrontEndPlugin<any>[] = [
  capturePlugin,
  ...dashboardPlugins
];

export default plugins;
