/**
 * Connects JupyterLab's notebook signals to the outbox.
 */
import type { Cell, ICodeCellModel } from '@jupyterlab/cells';
import type * as nbformat from '@jupyterlab/nbformat';
import {
  INotebookTracker,
  Notebook,
  NotebookActions
} from '@jupyterlab/notebook';
import type { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';

import { gradeIdOf } from '../assignment';
import { gate } from '../privacy/consent';
import { consentApi } from '../privacy/consentApi';
import { ConsentSource } from '../privacy/consentSource';
import { LastSent } from '../privacy/lastSent';
import { browserStorage, newEventId, windowClock } from './browser';
import {
  buildCellExecutedEvent,
  buildCellStartedEvent,
  ICaptureEvent,
  ICellRun,
  ICellStart,
  NotebookEventType
} from './events';
import {
  assignmentCourseOfPanel,
  assignmentOfPanel,
  INotebookRef,
  NotebookLifecycle
} from './lifecycle';
import { KernelWatch } from './kernel';
import { buildKernelStatusEvent, buildNotebookEvent } from './notebookevents';
import { Outbox, outboxStorageKey } from './outbox';
import { isTracked } from './settings';
import { SettingsSource } from './settingsSource';
import { fetchCaptureSettings } from './serverApi';
import { RunStopwatch } from './timing';
import { EventsTransport } from './transport';

type ExecutedArgs = {
  notebook: Notebook;
  cell: Cell;
  success: boolean;
  error?: { errorName?: string; errorValue?: string } | null;
};

/**
 * The capture of one JupyterLab page: every cell start and run, notebook
 * open/save/close/heartbeat and kernel status change of a tracked notebook becomes an
 * event in the outbox.
 *
 * Only the cell that ran is read (its source, outputs, timing, nbgrader grade id),
 * and of the notebook only its assignment id (`metadata.progress_tracker`), never
 * its structure: students' notebooks never change a published assignment.
 * Nothing leaves the page unless the student's consent state allows it, and
 * then only the fields of the course's capture level.
 */
export class CaptureService implements IDisposable {
  private readonly outbox: Outbox<ICaptureEvent>;
  /** The server's capture settings (whether to capture, and which notebooks). */
  readonly settings: SettingsSource;
  /** The student's consent state (what the notice shows). */
  readonly consent: ConsentSource;
  /** The last event the server accepted (shown in the notice). */
  readonly lastSent = new LastSent();
  private readonly stopwatch = new RunStopwatch<Notebook>();
  private readonly lifecycle: NotebookLifecycle;
  private readonly kernels: KernelWatch;
  private readonly onPageHide = () => this.outbox.flushOnPageHide();
  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') {
      this.outbox.flushOnPageHide();
    }
  };
  private _isDisposed = false;

  constructor(
    private readonly tracker: INotebookTracker,
    serverSettings: ServerConnection.ISettings
  ) {
    this.outbox = new Outbox<ICaptureEvent>({
      storageKey: outboxStorageKey(serverSettings.baseUrl),
      storage: browserStorage(),
      transport: new EventsTransport(serverSettings, events =>
        this.lastSent.record(events)
      ),
      clock: windowClock
    });
    this.settings = new SettingsSource({
      fetch: () => fetchCaptureSettings(serverSettings)
    });
    this.lifecycle = new NotebookLifecycle(
      tracker,
      (type, ref) => this.recordNotebookEvent(type, ref),
      windowClock,
      null // no beats until the server says how often it wants them
    );
    this.kernels = new KernelWatch(tracker, (status, panel) =>
      this.recordKernelStatus(status, {
        path: panel.context.localPath,
        assignmentId: assignmentOfPanel(panel),
        course: assignmentCourseOfPanel(panel)
      })
    );
    // Whether the plugin runs; the server counts it as capturing in each course whose state
    // lets it (every event is gated by its course's state).
    this.consent = new ConsentSource(
      consentApi(serverSettings),
      () => this.settings.current?.captureEnabled ?? false
    );
    this.settings.onChange(settings => {
      this.outbox.configure({
        maxBatchEvents: settings.maxBatchEvents,
        flushIntervalMs: settings.flushIntervalMs
      });
      const seconds = settings.heartbeatSeconds;
      this.lifecycle.setHeartbeatInterval(
        seconds === null ? null : seconds * 1000
      );
    });

    NotebookActions.executionScheduled.connect(this.onScheduled, this);
    NotebookActions.executed.connect(this.onExecuted, this);
    window.addEventListener('pagehide', this.onPageHide);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    NotebookActions.executionScheduled.disconnect(this.onScheduled, this);
    NotebookActions.executed.disconnect(this.onExecuted, this);
    this.lifecycle.dispose();
    this.kernels.dispose();
    window.removeEventListener('pagehide', this.onPageHide);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.settings.dispose();
    this.consent.dispose();
    this.outbox.dispose();
  }

  private onScheduled(
    _: unknown,
    { notebook, cell }: { notebook: Notebook; cell: Cell }
  ): void {
    const scheduledAt = new Date();
    this.stopwatch.scheduled(notebook, cell.model.id, scheduledAt.getTime());
    const panel = this.tracker.find(widget => widget.content === notebook);
    if (!panel || cell.isDisposed) {
      return;
    }
    // Read the cell now: it may change before the settings are known.
    const model = cell.model;
    const start: ICellStart = {
      notebookPath: panel.context.localPath,
      cellId: model.id,
      cellIndex: notebook.widgets.indexOf(cell),
      cellType: model.type as ICellStart['cellType'],
      source: model.sharedModel.getSource(),
      scheduledAt,
      assignmentId: assignmentOfPanel(panel),
      gradeId: gradeIdOf(model.getMetadata('nbgrader'))
    };
    const course = assignmentCourseOfPanel(panel);
    void this.settings.ready.then(() => {
      const settings = this.settings.current;
      if (!settings || !isTracked(start.notebookPath, settings)) {
        return;
      }
      const event = buildCellStartedEvent(start, settings, newEventId());
      if (event) {
        this.enqueue(event, course);
      }
    });
  }

  private onExecuted(_: unknown, args: ExecutedArgs): void {
    const { notebook, cell, success, error } = args;
    const finishedAt = new Date();
    const measured = this.stopwatch.finished(
      notebook,
      cell.model.id,
      finishedAt.getTime()
    );
    const panel = this.tracker.find(widget => widget.content === notebook);
    if (!panel || cell.isDisposed) {
      return;
    }
    // Read the cell now: it may change before the settings are known.
    const model = cell.model;
    const isCode = model.type === 'code';
    const run: ICellRun = {
      notebookPath: panel.context.localPath,
      cellId: model.id,
      cellIndex: notebook.widgets.indexOf(cell),
      cellType: model.type as ICellRun['cellType'],
      source: model.sharedModel.getSource(),
      executionCount: isCode
        ? ((model as ICodeCellModel).executionCount ?? null)
        : null,
      outputs: isCode
        ? ((model as ICodeCellModel).outputs.toJSON() as nbformat.IOutput[])
        : [],
      success,
      kernelError: error
        ? { errorName: error.errorName, errorValue: error.errorValue }
        : null,
      timing: model.getMetadata('execution'),
      measuredDurationMs: measured,
      finishedAt,
      assignmentId: assignmentOfPanel(panel),
      gradeId: gradeIdOf(model.getMetadata('nbgrader'))
    };
    const course = assignmentCourseOfPanel(panel);
    void this.settings.ready.then(() => {
      const settings = this.settings.current;
      if (!settings || !isTracked(run.notebookPath, settings)) {
        return;
      }
      const event = buildCellExecutedEvent(run, settings, newEventId());
      if (event) {
        this.enqueue(event, course);
      }
    });
  }

  /**
   * Queue `event` once the consent states are known, as the state of its course allows.
   *
   * @param course - the course of the notebook's published assignment, if any
   */
  private enqueue(event: ICaptureEvent, course: string | null): void {
    void this.consent.ready.then(() => {
      const allowed = gate(event, this.consent.stateFor(course));
      if (allowed && !this._isDisposed) {
        this.outbox.add(allowed);
      }
    });
  }

  private recordKernelStatus(status: string, ref: INotebookRef): void {
    const at = new Date();
    this.send(
      ref.path,
      () =>
        buildKernelStatusEvent(
          status,
          ref.path,
          at,
          newEventId(),
          ref.assignmentId
        ),
      ref.course
    );
  }

  private recordNotebookEvent(
    type: NotebookEventType,
    ref: INotebookRef
  ): void {
    const at = new Date();
    this.send(
      ref.path,
      () =>
        buildNotebookEvent(type, ref.path, at, newEventId(), ref.assignmentId),
      ref.course
    );
  }

  /** Queue the event `build` makes if `path` is tracked, gated by `course`'s consent. */
  send(path: string, build: () => ICaptureEvent, course: string | null): void {
    void this.settings.ready.then(() => {
      const settings = this.settings.current;
      if (settings && isTracked(path, settings)) {
        this.enqueue(build(), course);
      }
    });
  }
}
