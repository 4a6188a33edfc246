/**
 * The "Progress dashboard" tab's content: wires the model, the live connection and the views.
 */
import { ServerConnection } from '@jupyterlab/services';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import {
  downloadBlob,
  fetchErrors,
  fetchExecutions,
  fetchExport,
  fetchPace,
  fetchProgress
} from '../net/client';
import { el } from './dom';
import { ErrorsView } from './errorsview';
import { exportFileName, plural } from '../model/format';
import { FLASH_MS, GridView } from './grid';
import { DEFAULT_HELP_OPTIONS, IHelpEntry, needingHelp } from '../model/help';
import { HelpView } from './helpview';
import { LiveConnection, liveSocketUrl } from '../net/live';
import { orderStudents, RowOrder } from '../model/ordering';
import { PaceChart } from './pacechart';
import { Debouncer, FrameBatcher } from './scheduling';
import { ProgressModel } from '../model/state';
import { TimelineView } from './timelineview';
import { Toolbar } from './toolbar';
import { ILiveEvent } from '../types';

/** A snapshot younger than this (ms) is not reloaded when the replay fails. */
const FRESH_SNAPSHOT_MS = 10_000;

/** How often the "idle" part of the help list is re-evaluated, in ms. */
const IDLE_RECHECK_MS = 15_000;

/**
 * The live class dashboard.
 */
export class DashboardWidget extends Widget {
  constructor(private readonly settings = ServerConnection.makeSettings()) {
    super();
    this.addClass('pt-dashboard');
    this.title.label = 'Progress dashboard';
    this.title.caption = 'Live progress of the class';

    this._toolbar = new Toolbar(
      {
        onNotebook: path => void this._load(path),
        onOrder: order => {
          this._order = order;
          this._renderGrid();
        },
        onExport: options => void this._export(options)
      },
      this._order
    );
    this._help = new HelpView(
      user => void this._showTimeline(user),
      (errors, idle) => {
        this._helpOptions = { errorThreshold: errors, idleMinutes: idle };
        this._renderStudents();
      },
      this._helpOptions.errorThreshold,
      this._helpOptions.idleMinutes
    );
    this._grid = new GridView(user => void this._showTimeline(user));
    this._errors = new ErrorsView();
    this._pace = new PaceChart();
    this._timeline = new TimelineView(() => this._timeline.hide());
    this._message = el('div', {
      className: 'pt-message',
      attrs: { role: 'alert' }
    });
    this._summary = el('span', { className: 'pt-summary' });

    const gridSection = el('section', { className: 'pt-section pt-class' }, [
      el('div', { className: 'pt-section-header' }, [
        el('h2', { text: 'Class' }),
        this._summary
      ]),
      this._grid.node
    ]);
    this.node.appendChild(this._toolbar.node);
    this.node.appendChild(this._message);
    this.node.appendChild(
      el('div', { className: 'pt-columns' }, [
        el('div', { className: 'pt-column' }, [this._help.node, gridSection]),
        el('div', { className: 'pt-column' }, [
          this._timeline.node,
          this._pace.node,
          this._errors.node
        ])
      ])
    );

    this._batcher = new FrameBatcher<ILiveEvent>(events => this._flush(events));
    this._errorsRefresh = new Debouncer(
      () => void this._loadErrors(),
      1000,
      5000
    );
    this._paceRefresh = new Debouncer(
      () => void this._loadPace(),
      2000,
      10_000
    );
    this._timelineRefresh = new Debouncer(
      () => void this._refreshTimeline(),
      500,
      2000
    );
    this._live = new LiveConnection({
      url: since => liveSocketUrl(this.settings, since),
      since: () => (this._skipReplay ? null : this._model.lastEventId),
      onEvents: events => this._batcher.push(events),
      onResync: () => this._onResync(),
      onStatus: status => {
        this._toolbar.setStatus(status);
        if (status === 'live') {
          this._skipReplay = false;
        }
      }
    });
    this._idleTimer = setInterval(
      () => this._renderStudents(),
      IDLE_RECHECK_MS
    );
    void this._load(null);
  }

  /** The model behind the view (for inspection). */
  get model(): ProgressModel {
    return this._model;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._live.stop();
    this._batcher.dispose();
    this._errorsRefresh.dispose();
    this._paceRefresh.dispose();
    this._timelineRefresh.dispose();
    clearInterval(this._idleTimer);
    if (this._flashTimer !== null) {
      clearTimeout(this._flashTimer);
    }
    this._grid.dispose();
    this._pace.dispose();
    super.dispose();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._renderGrid();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._renderGrid();
  }

  /** Load a notebook's snapshot, then follow the live events from there. */
  private async _load(notebook: string | null): Promise<void> {
    const sequence = ++this._loadSequence;
    this._live.stop();
    this._setMessage('Loading…');
    let snapshot;
    try {
      snapshot = await fetchProgress(notebook);
    } catch (reason) {
      if (sequence === this._loadSequence) {
        this._setMessage(
          describe(reason, 'Could not load the class progress'),
          true
        );
        this._toolbar.setStatus('stopped');
      }
      return;
    }
    if (sequence !== this._loadSequence || this.isDisposed) {
      return;
    }
    // Whatever was queued before the snapshot is part of it.
    this._batcher.clear();
    this._model.load(snapshot);
    this._loadedAt = Date.now();
    this._skipReplay = false;
    this._setMessage(
      snapshot.notebook ? '' : 'No activity yet: waiting for the first events…'
    );
    if (this._timeline.userId && !this._model.student(this._timeline.userId)) {
      this._timeline.hide();
    }
    this._toolbar.setNotebooks(this._model.notebooks, this._model.notebook);
    this._renderStudents();
    void this._loadErrors();
    void this._loadPace();
    void this._refreshTimeline();
    this._live.start();
  }

  /**
   * The server could not replay what the dashboard missed: reload the snapshot. A snapshot only
   * moments old is kept instead (reloading could loop when the server's replay window holds more
   * events than it replays), and the live feed is followed from now on.
   */
  private _onResync(): void {
    if (Date.now() - this._loadedAt < FRESH_SNAPSHOT_MS) {
      this._skipReplay = true;
      this._live.stop();
      this._live.start();
      return;
    }
    void this._load(this._model.notebook);
  }

  /** Apply the live events of one animation frame, then render once. */
  private _flush(events: ILiveEvent[]): void {
    if (this.isDisposed || events.length === 0) {
      return;
    }
    const hadNotebook = this._model.notebook !== null;
    const result = this._model.apply(events);
    if (result.applied === 0) {
      return;
    }
    if (!hadNotebook) {
      // The first activity of the class: select its notebook.
      void this._load(null);
      return;
    }
    if (result.notebooksChanged) {
      this._toolbar.setNotebooks(this._model.notebooks, this._model.notebook);
    }
    if (result.changedStudents.size > 0) {
      this._renderStudents();
      this._scheduleFlashEnd();
      this._paceRefresh.call();
      if (
        this._timeline.userId &&
        result.changedStudents.has(this._timeline.userId)
      ) {
        this._timelineRefresh.call();
      }
    }
    if (result.errorsChanged) {
      this._errorsRefresh.call();
    }
  }

  /** Recompute who needs help and re-render the help list and the grid. */
  private _renderStudents(): void {
    const cells = this._model.cells;
    this._helpEntries = needingHelp(this._model.students, cells, {
      ...this._helpOptions,
      now: Date.now()
    });
    this._help.render(this._helpEntries, cells);
    const students = this._model.students.length;
    this._summary.textContent = this._model.notebook
      ? `${plural(students, 'student')} · ${plural(cells.length, 'cell')} · ` +
        `${this._helpEntries.length} needing help`
      : '';
    this._renderGrid();
  }

  private _renderGrid(): void {
    const helpOrder = this._helpEntries.map(e => e.userId);
    this._grid.render({
      cells: this._model.cells,
      rows: orderStudents(
        this._model.students,
        this._order,
        s => this._model.completedCells(s),
        helpOrder
      ),
      needsHelp: new Set(helpOrder),
      flashedAt: (user, cell) => this._model.flashedAt(user, cell),
      now: Date.now()
    });
  }

  /** Re-render once the "just ran" highlights have expired. */
  private _scheduleFlashEnd(): void {
    if (this._flashTimer !== null) {
      clearTimeout(this._flashTimer);
    }
    this._flashTimer = setTimeout(() => {
      this._flashTimer = null;
      this._renderGrid();
    }, FLASH_MS + 50);
  }

  private async _loadErrors(): Promise<void> {
    const notebook = this._model.notebook;
    if (!notebook) {
      this._errors.render({ cells: [] });
      return;
    }
    try {
      const errors = await fetchErrors(notebook);
      if (notebook === this._model.notebook && !this.isDisposed) {
        this._errors.render(errors);
      }
    } catch (reason) {
      this._errors.renderError(describe(reason, 'Could not load the errors'));
    }
  }

  private async _loadPace(): Promise<void> {
    const notebook = this._model.notebook;
    if (!notebook) {
      return;
    }
    try {
      const pace = await fetchPace(notebook);
      if (notebook === this._model.notebook && !this.isDisposed) {
        this._pace.render(pace);
      }
    } catch (reason) {
      this._pace.renderError(describe(reason, 'Could not load the pace'));
    }
  }

  private async _showTimeline(userId: string): Promise<void> {
    this._timeline.showLoading(userId);
    this._timeline.node.scrollIntoView?.({ block: 'nearest' });
    await this._refreshTimeline();
  }

  private async _refreshTimeline(): Promise<void> {
    const userId = this._timeline.userId;
    const notebook = this._model.notebook;
    if (!userId || !notebook) {
      return;
    }
    try {
      const { executions } = await fetchExecutions(notebook, userId);
      if (
        userId === this._timeline.userId &&
        notebook === this._model.notebook
      ) {
        this._timeline.render(userId, executions, this._model.cells);
      }
    } catch (reason) {
      this._timeline.renderError(
        userId,
        describe(reason, 'Could not load the timeline')
      );
    }
  }

  private async _export(options: {
    pseudonymise: boolean;
    since: string | null;
    until: string | null;
  }): Promise<void> {
    const notebook = this._model.notebook;
    this._toolbar.setExporting(true);
    try {
      const blob = await fetchExport({ notebook, ...options });
      downloadBlob(blob, exportFileName(notebook));
    } catch (reason) {
      this._setMessage(describe(reason, 'The export failed'), true);
    } finally {
      this._toolbar.setExporting(false);
    }
  }

  private _setMessage(text: string, isError = false): void {
    this._message.textContent = text;
    this._message.classList.toggle('pt-message-error', isError);
  }

  private _model = new ProgressModel();
  private _order: RowOrder = 'help';
  private _helpOptions = { ...DEFAULT_HELP_OPTIONS };
  private _helpEntries: IHelpEntry[] = [];
  private _toolbar: Toolbar;
  private _help: HelpView;
  private _grid: GridView;
  private _errors: ErrorsView;
  private _pace: PaceChart;
  private _timeline: TimelineView;
  private _message: HTMLElement;
  private _summary: HTMLElement;
  private _batcher: FrameBatcher<ILiveEvent>;
  private _errorsRefresh: Debouncer;
  private _paceRefresh: Debouncer;
  private _timelineRefresh: Debouncer;
  private _live: LiveConnection;
  private _idleTimer: ReturnType<typeof setInterval>;
  private _flashTimer: ReturnType<typeof setTimeout> | null = null;
  private _loadSequence = 0;
  private _loadedAt = 0;
  private _skipReplay = false;
}

/** A readable message for a failed request. */
function describe(reason: unknown, what: string): string {
  if (reason instanceof ServerConnection.ResponseError) {
    if (reason.response.status === 403) {
      return `${what}: only instructors may see the class's progress.`;
    }
    return `${what}: ${reason.message} (HTTP ${reason.response.status})`;
  }
  return `${what}: ${reason instanceof Error ? reason.message : String(reason)}`;
}
