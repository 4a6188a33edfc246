/**
 * The kernel of each notebook: its restarts, deaths, shutdowns and new connections become
 * `kernel_status` events, so that a dashboard stops showing the student's cells running when
 * no result can come any more.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

/** The statuses reported (`kernelStatus` of the event). */
export type ReportedKernelStatus =
  'restarting' | 'dead' | 'shutdown' | 'started';

/**
 * What a kernel status of JupyterLab (`ISessionContext.statusChanged`) reports, `null` for
 * none: busy, idle or starting say nothing about running cells.
 */
export function reportedStatus(status: string): ReportedKernelStatus | null {
  switch (status) {
    case 'restarting':
    case 'autorestarting':
      return 'restarting';
    case 'dead':
      return 'dead';
    default:
      return null;
  }
}

/**
 * Folds one notebook's kernel signals into the statuses to report, without repeats (a restart
 * emits "restarting" more than once). Pure logic: the signals are fed in.
 */
export class KernelStatusFilter {
  /** A status change: what to report, if anything. */
  status(status: string): ReportedKernelStatus | null {
    const reported = reportedStatus(status);
    if (reported === null) {
      if (status === 'idle' || status === 'busy') {
        this._last = null; // the kernel is back: the next restart is a new one
      }
      return null;
    }
    return this._once(reported);
  }

  /** The session's kernel changed: a new one connected (`started`) or none is left. */
  kernel(hasKernel: boolean): ReportedKernelStatus | null {
    return this._once(hasKernel ? 'started' : 'shutdown');
  }

  private _once(status: ReportedKernelStatus): ReportedKernelStatus | null {
    if (status === this._last) {
      return null;
    }
    this._last = status;
    return status;
  }

  private _last: ReportedKernelStatus | null = null;
}

/**
 * Reports the kernel status changes of every notebook of the tracker, and `started` once for
 * each notebook whose kernel is connected when the page (or the notebook) opens.
 */
export class KernelWatch implements IDisposable {
  constructor(
    private readonly tracker: INotebookTracker,
    private readonly record: (
      status: ReportedKernelStatus,
      panel: NotebookPanel
    ) => void
  ) {
    tracker.widgetAdded.connect(this._onAdded, this);
    tracker.forEach(panel => this._onAdded(tracker, panel));
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.tracker.widgetAdded.disconnect(this._onAdded, this);
  }

  private _onAdded(_: unknown, panel: NotebookPanel): void {
    const session: ISessionContext = panel.sessionContext;
    const filter = new KernelStatusFilter();
    const report = (status: ReportedKernelStatus | null) => {
      if (status !== null && !this._isDisposed && !panel.isDisposed) {
        this.record(status, panel);
      }
    };
    session.statusChanged.connect((__, status) =>
      report(filter.status(status))
    );
    session.kernelChanged.connect((__, change) =>
      report(filter.kernel(change.newValue !== null))
    );
    // On page load the session may be connected before this sees its kernelChanged.
    void session.ready.then(() => {
      if (session.session?.kernel) {
        report(filter.kernel(true));
      }
    });
  }

  private _isDisposed = false;
}
