/**
 * The instructor dashboard: a "Progress dashboard" tab, offered in the command palette and the
 * launcher to instructors only.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { ILauncher } from '@jupyterlab/launcher';
import { ITranslator } from '@jupyterlab/translation';
import { measureActivation } from '../startup';
import { bundleOf, translatorOrNull } from '../translation';
import { Texts } from './model/format';
import { DashboardClient } from './net/client';
import { sharedRoleLookup } from './net/role';
import { DashboardTabs } from './tabs';
import { provideEditorServices } from './views/drilldowncode';
import { dashboardIcon } from './views/icon';

/** The command that opens the dashboard (instructors only). */
export const OPEN_DASHBOARD_COMMAND = 'progress-tracker:open-dashboard';

/**
 * The command the layout restorer runs to bring back a dashboard tab after a reload. It must
 * exist before JupyterLab restores its layout, that is before the user's role is known; it has
 * no label and is offered nowhere.
 */
export const RESTORE_DASHBOARD_COMMAND = 'progress-tracker:restore-dashboard';

/**
 * Offers the dashboard once the server confirms the user is an instructor (`GET api/v1/me`,
 * asked in the background): students never see it, and JupyterLab's start never waits for the
 * server's answer.
 */
const dashboardPlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:dashboard',
  description: 'A live dashboard of the class for instructors.',
  autoStart: true,
  optional: [
    ICommandPalette,
    ILauncher,
    ILayoutRestorer,
    ITranslator,
    IEditorServices
  ],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    editorServices: IEditorServices | null
  ): void =>
    measureActivation('progress-tracker:dashboard:activate', () => {
      provideEditorServices(editorServices); // the drill-down shows code in JupyterLab's editor
      const chosen = translatorOrNull(translator);
      const texts = new Texts(bundleOf(chosen), chosen.languageCode);
      const client = new DashboardClient(app.serviceManager.serverSettings);
      const role = sharedRoleLookup(app.serviceManager.serverSettings);
      const tabs = new DashboardTabs(app, client, texts, role.known);

      app.commands.addCommand(RESTORE_DASHBOARD_COMMAND, {
        execute: () => tabs.restore(),
        isVisible: () => false
      });
      // The layout restorer only accepts trackers before JupyterLab has started.
      void restorer?.restore(tabs.tracker, {
        command: RESTORE_DASHBOARD_COMMAND,
        name: () => 'progress-dashboard'
      });

      void role.known.then(me => {
        if (!me?.isInstructor) {
          return;
        }
        const { trans } = texts;
        app.commands.addCommand(OPEN_DASHBOARD_COMMAND, {
          label: trans.__('Progress dashboard'),
          caption: trans.__('Watch the class progress live'),
          icon: dashboardIcon,
          execute: () => tabs.open()
        });
        palette?.addItem({
          command: OPEN_DASHBOARD_COMMAND,
          category: trans.__('Progress Tracker')
        });
        launcher?.add({
          command: OPEN_DASHBOARD_COMMAND,
          // JupyterLab's own "Other" section, in JupyterLab's words.
          category: chosen.load('jupyterlab').__('Other'),
          rank: 1
        });
      });
    })
};

/** The dashboard's plugins. */
const plugins: JupyterFrontEndPlugin<any>[] = [dashboardPlugin];

export default plugins;
