/**
 * The dashboard's side panels: the errors of the notebook, the class pace and a student's
 * timeline, each loaded from the API and refreshed, at a bounded rate, as live runs arrive.
 */
import { Texts } from '../model/format';
import { IApplyResult, ProgressModel } from '../model/state';
import { Debouncer } from '../scheduling';
import type { DashboardClient } from '../net/client';
import type { ITimeWindow } from '../model/window';
import { EVERYTHING, sameWindow } from '../model/windowscope';
import { ErrorsView } from './errorsview';
import { PaceChart } from './pacechart';
import { TimelineView } from './timelineview';

/**
 * Errors, pace and timeline of the selected notebook; the errors and the timeline are asked
 * within the dashboard's time window ({@link DetailPanels.setWindow}).
 */
export class DetailPanels {
  readonly errors: ErrorsView;
  readonly pace: PaceChart;
  readonly timeline: TimelineView;

  constructor(
    private readonly texts: Texts,
    private readonly client: Pick<
      DashboardClient,
      'errorsWithin' | 'pace' | 'executionsWithin'
    >,
    private readonly model: ProgressModel
  ) {
    this.errors = new ErrorsView(texts);
    this.pace = new PaceChart(texts);
    this.timeline = new TimelineView(texts, () => this.timeline.hide());
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
  }

  /** The panels' elements. */
  nodes(): { timeline: HTMLElement; pace: HTMLElement; errors: HTMLElement } {
    return {
      timeline: this.timeline.node,
      pace: this.pace.node,
      errors: this.errors.node
    };
  }

  /** A new snapshot is in the model: load every panel for it. */
  loaded(): void {
    const shown = this.timeline.userId;
    if (shown && !this.model.student(shown)) {
      this.timeline.hide();
    }
    void this._loadErrors();
    void this._loadPace();
    void this._refreshTimeline();
  }

  /** Live events changed the model: refresh what they concern, soon. */
  changed(result: IApplyResult): void {
    if (result.changedStudents.size > 0) {
      this._paceRefresh.call();
      const shown = this.timeline.userId;
      if (shown && result.changedStudents.has(shown)) {
        this._timelineRefresh.call();
      }
    }
    if (result.errorsChanged) {
      this._errorsRefresh.call();
    }
  }

  /** Ask the errors and the timeline again within `window` (when it bounds other runs). */
  setWindow(window: ITimeWindow): void {
    if (sameWindow(window, this._window)) {
      return;
    }
    this._window = { since: window.since, until: window.until };
    void this._loadErrors();
    if (this.timeline.userId) {
      this.timeline.showLoading(this.timeline.userId, this._window);
      void this._refreshTimeline();
    }
  }

  /** Show a student's timeline. */
  async showTimeline(userId: string): Promise<void> {
    this.timeline.showLoading(userId, this._window);
    this.timeline.node.scrollIntoView?.({ block: 'nearest' });
    await this._refreshTimeline();
  }

  /** Stop the pending refreshes and the chart. */
  dispose(): void {
    this._disposed = true;
    this._errorsRefresh.dispose();
    this._paceRefresh.dispose();
    this._timelineRefresh.dispose();
    this.pace.dispose();
  }

  private async _loadErrors(): Promise<void> {
    const selection = this.model.selection;
    const window = this._window;
    if (!selection) {
      this.errors.render({ cells: [] }, window);
      return;
    }
    try {
      const errors = await this.client.errorsWithin(selection, window);
      // Only the answer to the latest question is shown (the window may have moved since).
      if (
        selection === this.model.selection &&
        window === this._window &&
        !this._disposed
      ) {
        this.errors.render(errors, window);
      }
    } catch (reason) {
      this.errors.renderError(
        this.texts.failure(
          this.texts.trans.__('Could not load the errors'),
          reason
        )
      );
    }
  }

  private async _loadPace(): Promise<void> {
    const selection = this.model.selection;
    if (!selection) {
      return;
    }
    try {
      const pace = await this.client.pace(selection);
      if (selection === this.model.selection && !this._disposed) {
        this.pace.render(pace);
      }
    } catch (reason) {
      this.pace.renderError(
        this.texts.failure(
          this.texts.trans.__('Could not load the pace'),
          reason
        )
      );
    }
  }

  private async _refreshTimeline(): Promise<void> {
    const userId = this.timeline.userId;
    const selection = this.model.selection;
    const window = this._window;
    if (!userId || !selection) {
      return;
    }
    try {
      const { executions } = await this.client.executionsWithin(
        selection,
        userId,
        window
      );
      if (
        userId === this.timeline.userId &&
        selection === this.model.selection &&
        window === this._window
      ) {
        const presence = this.model.presence.view(userId, Date.now());
        this.timeline.render(
          userId,
          executions,
          this.model.cells,
          presence ? this.texts.presenceDetails(presence) : '',
          window
        );
      }
    } catch (reason) {
      this.timeline.renderError(
        userId,
        this.texts.failure(
          this.texts.trans.__('Could not load the timeline'),
          reason
        ),
        window
      );
    }
  }

  private _errorsRefresh: Debouncer;
  private _paceRefresh: Debouncer;
  private _timelineRefresh: Debouncer;
  private _window: ITimeWindow = EVERYTHING;
  private _disposed = false;
}
