/**
 * Publishing the open notebook as an assignment: ask for the course and title, stamp the
 * identity into the notebook's metadata, register its structure, save, show the result.
 */
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { publishAssignment, IPublishResult } from './client';
import { IPublishCourse, proposedCourse } from './courses';
import { IPublishChoice, PublishForm } from './dialog';
import {
  defaultTitle,
  METADATA_KEY,
  readAssignment,
  stampAssignment
} from './metadata';
import { buildStructure, INotebookCell } from './structure';

/**
 * Publishes notebooks for one user.
 */
export class Publisher {
  /**
   * @param courses - the courses the user may publish in (not empty)
   */
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly trans: TranslationBundle,
    private readonly courses: readonly IPublishCourse[]
  ) {}

  /**
   * Publish `panel`'s notebook, or update its assignment when it was published before.
   *
   * @returns the registered assignment, or `null` when cancelled or refused
   */
  async publish(panel: NotebookPanel): Promise<IPublishResult | null> {
    const { trans } = this;
    await panel.context.ready;
    const model = panel.model;
    if (!model) {
      return null;
    }
    const before = model.getMetadata(METADATA_KEY);
    const known = readAssignment(before);
    const choice = await this._ask(known, panel.context.localPath);
    if (!choice) {
      return null;
    }
    const cells: INotebookCell[] = Array.from(model.cells, cell => ({
      id: cell.id,
      type: cell.type,
      source: cell.sharedModel.getSource(),
      nbgrader: cell.getMetadata('nbgrader')
    }));
    const stamp = stampAssignment(before, choice);
    // Stamped before the request: if its answer is lost, publishing again reuses the same id.
    model.setMetadata(METADATA_KEY, stamp);
    let result: IPublishResult;
    try {
      result = await publishAssignment(this.settings, {
        ...stamp,
        path: panel.context.localPath,
        cells: buildStructure(cells)
      });
    } catch (reason) {
      if (isRefusal(reason)) {
        // The server said no: the notebook keeps what it had.
        if (before === undefined) {
          model.deleteMetadata(METADATA_KEY);
        } else {
          model.setMetadata(METADATA_KEY, before);
        }
      }
      await showErrorMessage(
        trans.__('Publishing failed'),
        failureText(reason)
      );
      return null;
    }
    model.setMetadata(METADATA_KEY, {
      assignmentId: result.assignmentId,
      course: result.course,
      title: result.title
    });
    await panel.context.save();
    await this._show(result, known !== null);
    return result;
  }

  private async _ask(
    known: ReturnType<typeof readAssignment>,
    path: string
  ): Promise<IPublishChoice | null> {
    const { trans } = this;
    const proposed: IPublishChoice = {
      course: proposedCourse(this.courses, known?.course) ?? '',
      title: known?.title || defaultTitle(path)
    };
    const answer = await showDialog<IPublishChoice>({
      title: known
        ? trans.__('Publish the assignment again')
        : trans.__('Publish as assignment'),
      body: new PublishForm(trans, this.courses, proposed),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Publish') })
      ],
      focusNodeSelector: '.pt-publish-title'
    });
    if (!answer.button.accept || !answer.value) {
      return null;
    }
    return {
      course: answer.value.course,
      title: answer.value.title || proposed.title
    };
  }

  private async _show(result: IPublishResult, again: boolean): Promise<void> {
    const { trans } = this;
    const body = new Widget();
    body.addClass('pt-publish-result');
    const summary = document.createElement('p');
    summary.textContent = trans.__(
      '“%1” in course %2: %3, version %4.',
      result.title,
      result.course,
      trans._n('%1 cell', '%1 cells', result.cells.length),
      String(result.version)
    );
    const list = document.createElement('ol');
    for (const cell of result.cells) {
      const item = document.createElement('li');
      item.textContent = cell.label;
      item.title = cell.source;
      list.appendChild(item);
    }
    body.node.append(summary, list);
    await showDialog({
      title: again
        ? trans.__('Assignment updated')
        : trans.__('Assignment published'),
      body,
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
  }
}

/** Whether a failure is the server's refusal (4xx), as opposed to an answer never received. */
function isRefusal(reason: unknown): boolean {
  const status =
    reason instanceof ServerConnection.ResponseError
      ? reason.response.status
      : null;
  return status !== null && status >= 400 && status < 500;
}

/** The server's message for a failed publication, as text. */
function failureText(reason: unknown): string {
  if (reason instanceof ServerConnection.ResponseError) {
    return `${reason.message} (HTTP ${reason.response.status})`;
  }
  return reason instanceof Error ? reason.message : String(reason);
}
