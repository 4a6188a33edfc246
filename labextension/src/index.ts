/**
 * The progress-tracker JupyterLab extension: the student capture plugin and
 * the instructor's publish command and dashboard.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import capturePlugin from './capture';
import dashboardPlugins from './dashboard';
import helpPlugin from './help';
import publishPlugin from './publish';

/** Every plugin of the extension. */
const plugins: JupyterFrontEndPlugin<any>[] = [
  capturePlugin,
  publishPlugin,
  ...dashboardPlugins,
  helpPlugin
];

export default plugins;
