/**
 * The student's "Raise hand": a notebook toolbar button and the palette commands "Raise hand"
 * and "Lower hand". A hand is raised on the active cell with an optional short message, sent
 * through the capture plugin's outbox; its course's staff see it in the dashboard's queue.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, InputDialog } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import { ICaptureService } from '../capture/token';
import type { CaptureService } from '../capture/service';
import { measureActivation } from '../startup';
import { bundleOf, translatorOrNull } from '../translation';
import { HandButton, refOf } from './button';
import { HandTracker, MAX_MESSAGE_CHARS } from './hands';

export const RAISE_COMMAND = 'progress-tracker:raise-hand';
export const LOWER_COMMAND = 'progress-tracker:lower-hand';
const TOOLBAR_ITEM = 'progress-tracker-hand';

/** Ask for the optional message, then raise the hand on the panel's active cell. */
async function raiseFrom(
  panel: NotebookPanel,
  hands: HandTracker,
  trans: TranslationBundle
): Promise<void> {
  const cellId = panel.content.activeCell?.model.id ?? null;
  const answer = await InputDialog.getText({
    title: trans.__('Raise hand'),
    label: trans.__(
      "What do you need help with? (optional) Your course's instructors and TAs see your name, this notebook, the cell you are on and this message."
    ),
    placeholder: trans.__('e.g. my loop never ends'),
    okLabel: trans.__('Raise hand')
  });
  if (answer.button.accept && !panel.isDisposed) {
    hands.raise(
      refOf(panel),
      cellId,
      (answer.value ?? '').slice(0, MAX_MESSAGE_CHARS)
    );
  }
}

export const helpPlugin: JupyterFrontEndPlugin<void> = {
  id: 'progress-tracker:help',
  description:
    "Lets a student raise a hand to their course's staff from a notebook.",
  autoStart: true,
  requires: [INotebookTracker, ICaptureService],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    capture: CaptureService,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void =>
    measureActivation('progress-tracker:help:activate', () => {
      const trans = bundleOf(translatorOrNull(translator));
      const hands = new HandTracker(capture, app.serviceManager.serverSettings);
      const current = () => tracker.currentWidget;
      const isDown = (panel: NotebookPanel) =>
        hands.state(refOf(panel)).phase === 'down';
      app.commands.addCommand(RAISE_COMMAND, {
        label: trans.__('Raise hand'),
        caption: trans.__("Ask your course's instructors and TAs for help"),
        isEnabled: () => {
          const panel = current();
          return !!panel && isDown(panel) && hands.canRaise(refOf(panel));
        },
        execute: async () => {
          const panel = current();
          if (panel) {
            await raiseFrom(panel, hands, trans);
          }
        }
      });
      app.commands.addCommand(LOWER_COMMAND, {
        label: trans.__('Lower hand'),
        isEnabled: () => {
          const panel = current();
          return !!panel && !isDown(panel);
        },
        execute: () => {
          const panel = current();
          if (panel) {
            hands.lower(refOf(panel));
          }
        }
      });
      hands.changed.connect(() => {
        app.commands.notifyCommandChanged(RAISE_COMMAND);
        app.commands.notifyCommandChanged(LOWER_COMMAND);
      });
      const category = trans.__('Progress Tracker');
      palette?.addItem({ command: RAISE_COMMAND, category });
      palette?.addItem({ command: LOWER_COMMAND, category });
      const addButton = (panel: NotebookPanel) => {
        const button = new HandButton(
          panel,
          hands,
          trans,
          p => void raiseFrom(p, hands, trans)
        );
        if (!panel.toolbar.insertAfter('cellType', TOOLBAR_ITEM, button)) {
          panel.toolbar.addItem(TOOLBAR_ITEM, button);
        }
        // The assignment id is read from the model once it has loaded.
        void panel.context.ready.then(() => button.render());
      };
      tracker.forEach(addButton);
      tracker.widgetAdded.connect((_, panel) => addButton(panel));
    })
};

export default helpPlugin;
