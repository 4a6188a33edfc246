/**
 * The instructor dashboard: a "Progress dashboard" tab, offered in the command palette and the
 * launcher to instructors only.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { fetchMe } from './net/client';
import { dashboardIcon } from './views/icon';
import { DashboardWidget } from './views/widget';

/** The command that opens the dashboard. */
export const OPEN_DASHBOARD_COMMAND = 'progress-tracker:open-dashboard';

const CATEGORY = 'Progress Tracker';

/**
 * Registers the dashboard command once the server confirms the user is an instructor
 * (`GET api/v1/me`): students never see it.
 */
const dashboardPlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:dashboard',
  description: 'A live dashboard of the class for instructors.',
  autoStart: true,
  optional: [ICommandPalette, ILauncher, ILayoutRestorer],
  activate: async (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null
  ): Promise<void> => {
    let me;
    try {
      me = await fetchMe();
    } catch (reason) {
      console.warn(
        'progress-tracker: cannot tell whether this user is an instructor',
        reason
      );
      return;
    }
    if (!me.isInstructor) {
      return;
    }

    const tracker = new WidgetTracker<MainAreaWidget<DashboardWidget>>({
      namespace: 'progress-tracker-dashboard'
    });
    app.commands.addCommand(OPEN_DASHBOARD_COMMAND, {
      label: 'Progress dashboard',
      caption: 'Watch the class progress live',
      icon: dashboardIcon,
      execute: () => {
        const open = tracker.currentWidget;
        if (open && !open.isDisposed) {
          app.shell.activateById(open.id);
          return open;
        }
        const content = new DashboardWidget();
        const widget = new MainAreaWidget({ content });
        widget.id = 'progress-tracker-dashboard';
        widget.title.label = 'Progress dashboard';
        widget.title.icon = dashboardIcon;
        widget.title.closable = true;
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });
    palette?.addItem({ command: OPEN_DASHBOARD_COMMAND, category: CATEGORY });
    launcher?.add({
      command: OPEN_DASHBOARD_COMMAND,
      category: 'Other',
      rank: 1
    });
    if (restorer) {
      void restorer.restore(tracker, {
        command: OPEN_DASHBOARD_COMMAND,
        name: () => 'progress-dashboard'
      });
    }
  }
};

/** The dashboard's plugins. */
const plugins: JupyterFrontEndPlugin<any>[] = [dashboardPlugin];

export default plugins;
