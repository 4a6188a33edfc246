/**
 * The "Progress dashboard" tab's content: lays out the views and keeps them in step with the
 * model ({@link ProgressSync}) and the side panels ({@link DetailPanels}).
 */
import { Message } from '@lumino/messaging';
import { Poll } from '@lumino/polling';
import { Widget } from '@lumino/widgets';
import { Texts } from '../model/format';
import { IHelpEntry, needingHelp } from '../model/help';
import { RowOrder } from '../model/ordering';
import { IApplyResult } from '../model/state';
import { HelpThresholds } from '../model/thresholds';
import { DashboardClient } from '../net/client';
import { HelpQueueSync } from '../net/helpsync';
import { AssignmentNames } from '../net/names';
import { ProgressSync } from '../net/sync';
import { el } from './dom';
import { exportShown } from './exporting';
import { FlashEnd } from './flashend';
import { GridView } from './grid';
import { gridData } from './griddata';
import { HelpView } from './helpview';
import { layOut } from './layout';
import { openDrilldowns } from './drilldownhook';
import { DetailPanels } from './panels';
import { studentNames } from '../model/pseudonyms';
import { wireSync } from './syncwiring';
import { ClassWindow } from './timewindow';
import { Toolbar } from './toolbar';

/**
 * How often the time-dependent parts are re-evaluated, in ms: who is idle, and which started
 * cells have outlived the running window.
 */
const RECHECK_MS = 15_000;

/**
 * The live class dashboard. Nothing is fetched before {@link DashboardWidget.start}.
 */
export class DashboardWidget extends Widget {
  constructor(
    private readonly client: DashboardClient,
    private readonly texts: Texts
  ) {
    super();
    const { trans } = texts;
    this.addClass('pt-dashboard');
    this.title.label = trans.__('Progress dashboard');
    this.title.caption = trans.__('Live progress of the class');

    this._sync = new ProgressSync({ client });
    this._names = new AssignmentNames(client, this._sync.model.list);
    this._panels = new DetailPanels(texts, client, this._sync.model);
    this._toolbar = new Toolbar(
      texts,
      {
        onNotebook: selection => void this._sync.load(selection),
        onOrder: order => {
          this._order = order;
          this._renderGrid();
        },
        onWindow: () => void this._window.set(this._toolbar.window()),
        onExport: options =>
          void exportShown(
            client,
            this._sync.model,
            options,
            this._toolbar,
            texts,
            text => this._setMessage(text, true)
          )
      },
      this._order
    );
    const { errorThreshold, idleMinutes } = this._thresholds.current;
    this._help = new HelpView(
      texts,
      user => void this._panels.showTimeline(user),
      (errors, idle) => {
        this._thresholds.setByUser({
          errorThreshold: errors,
          idleMinutes: idle
        });
        this._renderStudents();
      },
      errorThreshold,
      idleMinutes,
      new HelpQueueSync(client, this._sync)
    );
    this._grid = new GridView(
      texts,
      user => void this._panels.showTimeline(user)
    );
    this._window = new ClassWindow(texts, client, this._sync.model, () =>
      this._renderGrid()
    );
    this._window.follow(this._panels.pace);
    this._window.follow(this._panels); // the errors and a timeline ask within it
    const renamed = () => this._onLoaded(!!this._sync.model.notebook);
    this.disposed.connect(studentNames.onChange(renamed));
    this._message = el('div', {
      className: 'pt-message',
      attrs: { role: 'alert' }
    });
    this._summary = el('span', { className: 'pt-summary' });
    this._toolbar.node.appendChild(this._window.node);
    layOut(this.node, texts, {
      toolbar: this._toolbar.node,
      message: this._message,
      help: this._help.node,
      summary: this._summary,
      grid: this._grid.node,
      ...this._panels.nodes()
    });

    openDrilldowns(this.node, texts, client, this._sync.model);

    wireSync(this._sync, texts, {
      setMessage: (text, isError) => this._setMessage(text, isError),
      setStatus: status => this._toolbar.setStatus(status),
      loaded: hasNotebook => this._onLoaded(hasNotebook),
      changed: result => this._onChanged(result)
    });
    this._recheck = new Poll({
      auto: false,
      factory: async () => this._recheckTimes(),
      frequency: { interval: RECHECK_MS, backoff: false },
      name: 'progress-tracker:dashboard-recheck',
      standby: 'when-hidden'
    });
  }

  /** Load the class's progress and follow it live; read the operator's help thresholds. */
  start(): void {
    if (this._started || this.isDisposed) {
      return;
    }
    this._started = true;
    void this._loadThresholds();
    void this._sync.load(null);
    void this._recheck.start();
    this._help.start();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._sync.dispose();
    this._recheck.dispose();
    this._help.dispose();
    this._flashEnd.dispose();
    this._grid.dispose();
    this._window.dispose();
    this._panels.dispose();
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

  private async _loadThresholds(): Promise<void> {
    let settings: unknown;
    try {
      settings = await this.client.settings();
    } catch (reason) {
      console.warn(
        'progress-tracker: the help thresholds of the server are unknown; the defaults apply.',
        reason
      );
      return;
    }
    this._sync.model.presence.setHeartbeat(settings);
    if (!this.isDisposed && this._thresholds.fromServer(settings)) {
      const { errorThreshold, idleMinutes } = this._thresholds.current;
      this._help.setThresholds(errorThreshold, idleMinutes);
      this._renderStudents();
    }
  }

  private _onLoaded(hasNotebook: boolean): void {
    this._setMessage(
      hasNotebook
        ? ''
        : this.texts.trans.__('No activity yet: waiting for the first events…')
    );
    this._showNotebooks();
    this._renderStudents();
    this._panels.loaded();
    void this._window.reload(this._toolbar.window());
  }

  private _onChanged(result: IApplyResult): void {
    if (result.notebooksChanged) {
      this._showNotebooks();
    }
    if (result.changedStudents.size > 0) {
      this._renderStudents();
      this._flashEnd.schedule();
      this._window.refresh();
    }
    this._panels.changed(result);
  }

  /** List the assignments and notebooks, asking for the titles the list lacks. */
  private _showNotebooks(): void {
    const { list, selectedKey } = this._sync.model;
    this._toolbar.setNotebooks(list.entries(), selectedKey);
    void this._names.refresh().then(learnt => {
      if (learnt && !this.isDisposed) {
        this._toolbar.setNotebooks(
          list.entries(),
          this._sync.model.selectedKey
        );
      }
    });
  }

  /** Who is idle, and which starts have outlived the running window, change with time alone. */
  private _recheckTimes(): void {
    const expired = this._sync.model.expireRunning();
    if (expired.needsSnapshot) {
      void this._sync.reload();
      return;
    }
    this._renderStudents();
  }

  /** Recompute who needs help and re-render the help list and the grid. */
  private _renderStudents(): void {
    const model = this._sync.model;
    const cells = model.cells;
    this._helpEntries = needingHelp(model.students, cells, {
      ...this._thresholds.current,
      now: Date.now()
    });
    this._help.render(this._helpEntries, cells);
    const { texts } = this;
    this._summary.textContent = model.notebook
      ? texts.trans.__(
          '%1 · %2 · %3 needing help',
          texts.students(model.students.length),
          texts.cells(cells.length),
          texts.count(this._helpEntries.length)
        )
      : '';
    this._renderGrid();
  }

  private _renderGrid(): void {
    const model = this._sync.model;
    const helpOrder = this._helpEntries.map(e => e.userId);
    this._grid.render(gridData(model, this._window, this._order, helpOrder));
  }

  private _setMessage(text: string, isError = false): void {
    this._message.textContent = text;
    this._message.classList.toggle('pt-message-error', isError);
  }

  private _sync: ProgressSync;
  private _names: AssignmentNames;
  private _panels: DetailPanels;
  private _thresholds = new HelpThresholds();
  private _order: RowOrder = 'help';
  private _helpEntries: IHelpEntry[] = [];
  private _toolbar: Toolbar;
  private _help: HelpView;
  private _grid: GridView;
  private _window: ClassWindow;
  private _message: HTMLElement;
  private _summary: HTMLElement;
  private _recheck: Poll;
  private _flashEnd = new FlashEnd(() => this._renderGrid());
  private _started = false;
}
