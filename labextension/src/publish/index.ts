/**
 * The "Publish as assignment" command: offered to instructors on the open notebook (palette,
 * notebook toolbar, notebook context menu) once the server says which courses they teach.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  fileUploadIcon
} from '@jupyterlab/ui-components';

import { sharedRoleLookup } from '../dashboard/net/role';
import { measureActivation } from '../startup';
import { bundleOf, translatorOrNull } from '../translation';
import { publishableCourses } from './courses';
import { Publisher } from './publisher';

/** The command that publishes the current notebook. */
export const PUBLISH_COMMAND = 'progress-tracker:publish-assignment';

/** The name of the command's button in notebook toolbars. */
const TOOLBAR_ITEM = 'progress-tracker-publish';

export const publishPlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:publish',
  description: 'Publishes the open notebook as an assignment of a course.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void =>
    measureActivation('progress-tracker:publish:activate', () => {
      const settings = app.serviceManager.serverSettings;
      const trans = bundleOf(translatorOrNull(translator));
      // Asked in the background (once for every plugin): JupyterLab's start never waits.
      const role = sharedRoleLookup(settings);
      void role.known.then(me => {
        const courses = publishableCourses(me);
        if (courses.length === 0) {
          return;
        }
        const publisher = new Publisher(settings, trans, courses);
        app.commands.addCommand(PUBLISH_COMMAND, {
          label: trans.__('Publish as assignment'),
          caption: trans.__(
            'Register this notebook and its cells as an assignment of a course'
          ),
          icon: fileUploadIcon,
          isEnabled: () => tracker.currentWidget !== null,
          execute: async () => {
            const panel = tracker.currentWidget;
            if (panel) {
              await publisher.publish(panel);
            }
          }
        });
        palette?.addItem({
          command: PUBLISH_COMMAND,
          category: trans.__('Progress Tracker')
        });
        app.contextMenu.addItem({
          command: PUBLISH_COMMAND,
          selector: '.jp-Notebook',
          rank: 90
        });
        const addButton = (panel: NotebookPanel) => {
          const button = new CommandToolbarButton({
            commands: app.commands,
            id: PUBLISH_COMMAND,
            label: trans.__('Publish')
          });
          if (!panel.toolbar.insertAfter('cellType', TOOLBAR_ITEM, button)) {
            panel.toolbar.addItem(TOOLBAR_ITEM, button);
          }
        };
        tracker.forEach(addButton);
        tracker.widgetAdded.connect((_, panel) => addButton(panel));
      });
    })
};

export default publishPlugin;
