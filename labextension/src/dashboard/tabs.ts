/**
 * The dashboard's tabs in JupyterLab's main area: opened from the command, and restored
 * after a reload.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { Texts } from './model/format';
import { DashboardClient } from './net/client';
import type { IMe } from './types';
import { CaptureCoverage } from './views/coverage';
import { dashboardIcon } from './views/icon';
import { DashboardWidget } from './views/widget';

/** A dashboard tab. */
export type DashboardTab = MainAreaWidget<DashboardWidget>;

/** The id of the dashboard's tab (there is one). */
const TAB_ID = 'progress-tracker-dashboard';

/**
 * Opens the dashboard tab, and brings back one that was open before a reload.
 */
export class DashboardTabs {
  /** The open tab (for the layout restorer). */
  readonly tracker = new WidgetTracker<DashboardTab>({
    namespace: 'progress-tracker-dashboard'
  });

  /**
   * @param role - resolves once the server said who the user is
   */
  constructor(
    private readonly app: JupyterFrontEnd,
    private readonly client: DashboardClient,
    private readonly texts: Texts,
    private readonly role: Promise<IMe | null>
  ) {}

  /** Open the dashboard (for an instructor), or bring its open tab forward. */
  open(): DashboardTab {
    const current = this.tracker.currentWidget;
    if (current && !current.isDisposed) {
      this.app.shell.activateById(current.id);
      return current;
    }
    const content = new DashboardWidget(this.client, this.texts);
    const tab = this._add(new MainAreaWidget({ content }));
    this.app.shell.activateById(tab.id);
    content.start();
    return tab;
  }

  /**
   * The tab of a dashboard that was open before the page reloaded, in its place right away
   * (JupyterLab restores its layout without waiting for the network); it fills once the server
   * says the user is an instructor, and closes otherwise.
   */
  restore(): DashboardTab {
    const current = this.tracker.currentWidget;
    if (current && !current.isDisposed) {
      return current;
    }
    const content = new DashboardWidget(this.client, this.texts);
    const reveal = this.role.then(me => {
      if (me?.isInstructor) {
        content.start();
      } else {
        content.dispose(); // the tab closes with its content
      }
    });
    return this._add(new MainAreaWidget({ content, reveal }), false);
  }

  private _add(tab: DashboardTab, activate = true): DashboardTab {
    tab.id = TAB_ID;
    tab.title.label = this.texts.trans.__('Progress dashboard');
    tab.title.icon = dashboardIcon;
    tab.title.closable = true;
    tab.toolbar.addItem(
      'capture-coverage',
      new CaptureCoverage(() => this.client.captureCounts(), this.texts.trans)
    );
    void this.tracker.add(tab);
    this.app.shell.add(tab, 'main', { activate });
    return tab;
  }
}
