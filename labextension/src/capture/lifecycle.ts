/**
 * A notebook's life in the page: opened, saved, closed, and its heartbeats while open.
 */
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import { assignmentIdOf, METADATA_KEY, readAssignment } from '../assignment';
import type { NotebookEventType } from './events';
import { Heartbeat } from './heartbeat';
import type { IClock } from './outbox';

/** What a notebook event says about its notebook. */
export interface INotebookRef {
  /** The path relative to the server root, as it is now (renames follow). */
  path: string;
  /** The assignment of a published notebook, else `null`. */
  assignmentId: string | null;
  /** The course of that assignment, else `null` (whose consent applies). */
  course: string | null;
}

/** The assignment id in a panel's notebook metadata, `null` when unknown or gone. */
export function assignmentOfPanel(panel: NotebookPanel): string | null {
  try {
    const model = panel.context.isDisposed ? null : panel.model;
    return model ? assignmentIdOf(model.getMetadata(METADATA_KEY)) : null;
  } catch {
    return null; // the model went away with its panel
  }
}

/** The course of a panel's published assignment, `null` when unknown or gone. */
export function assignmentCourseOfPanel(panel: NotebookPanel): string | null {
  try {
    const model = panel.context.isDisposed ? null : panel.model;
    const course = model
      ? readAssignment(model.getMetadata(METADATA_KEY))?.course
      : null;
    return course || null;
  } catch {
    return null; // the model went away with its panel
  }
}

/**
 * Reports every notebook's `notebook_opened`, `notebook_saved`, `notebook_closed` and, while it
 * is open, `notebook_heartbeat` events (the rule of the beats is in {@link Heartbeat}).
 */
export class NotebookLifecycle implements IDisposable {
  /**
   * @param record - report one event (the capture settings decide whether it is sent)
   */
  constructor(
    private readonly tracker: INotebookTracker,
    private readonly record: (
      type: NotebookEventType,
      ref: INotebookRef
    ) => void,
    clock: IClock,
    intervalMs: number | null
  ) {
    this._heartbeat = new Heartbeat<NotebookPanel>({
      clock,
      intervalMs,
      beat: panel => this._report(panel, 'notebook_heartbeat')
    });
    tracker.widgetAdded.connect(this._onAdded, this);
    tracker.forEach(panel => this._onAdded(tracker, panel));
    document.addEventListener('visibilitychange', this._onVisibility);
    this._onVisibility();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Beat every `ms` from now on (the server's `heartbeatSeconds`), never for `null`. */
  setHeartbeatInterval(ms: number | null): void {
    this._heartbeat.setInterval(ms);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.tracker.widgetAdded.disconnect(this._onAdded, this);
    document.removeEventListener('visibilitychange', this._onVisibility);
    this._heartbeat.dispose();
  }

  private _onAdded(_: unknown, panel: NotebookPanel): void {
    const context = panel.context;
    const ref: INotebookRef = {
      path: context.localPath,
      assignmentId: null,
      course: null
    };
    this._refs.set(panel, ref);
    context.pathChanged.connect(() => {
      ref.path = context.localPath;
    });
    void context.ready.then(() => {
      if (panel.isDisposed) {
        return;
      }
      ref.path = context.localPath;
      this._report(panel, 'notebook_opened');
      this._heartbeat.open(panel);
    });
    context.saveState.connect((__, state) => {
      if (state === 'completed') {
        this._report(panel, 'notebook_saved');
      }
    });
    panel.disposed.connect(() => {
      this._heartbeat.close(panel);
      this._report(panel, 'notebook_closed');
      this._refs.delete(panel);
    });
  }

  private _report(panel: NotebookPanel, type: NotebookEventType): void {
    const ref = this._refs.get(panel);
    if (!ref || this._isDisposed) {
      return;
    }
    // Read now (the instructor may just have published it); the last one known once closed.
    ref.assignmentId = assignmentOfPanel(panel) ?? ref.assignmentId;
    ref.course = assignmentCourseOfPanel(panel) ?? ref.course;
    this.record(type, { ...ref });
  }

  private readonly _onVisibility = () =>
    this._heartbeat.setHidden(document.visibilityState === 'hidden');

  private _heartbeat: Heartbeat<NotebookPanel>;
  private _refs = new Map<NotebookPanel, INotebookRef>();
  private _isDisposed = false;
}
