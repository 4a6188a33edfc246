/**
 * The time window of the whole view, and the playback of a past class: the runs of the window
 * (`GET api/v1/replay`, every page) folded into the grid at the slider's moment
 * (model/replay.ts). With the window "everything" the grid is the live one.
 */
import { el } from './dom';
import { Texts } from '../model/format';
import { IReplayRun, ReplayTimeline, validRuns } from '../model/replay';
import { isEverything, ITimeWindow } from '../model/window';
import type { ProgressModel } from '../model/state';
import type { DashboardClient } from '../net/client';
import { Debouncer } from '../scheduling';
import type { IStudentProgress } from '../types';

/** The most pages read for one window (of the server's 5000 runs each). */
const MAX_PAGES = 40;
/** Slider steps across the window, and the playback's step interval in ms. */
const STEPS = 200;
const PLAY_MS = 150;

/** The window, its runs, and the playback bar. */
export class ClassWindow {
  /** The playback bar (hidden while the window is everything). */
  readonly node: HTMLElement;

  /**
   * @param model - the class shown: its selection and columns (a run of another cell, such
   *   as a student's own cell of an assignment, is no column)
   * @param onChange - the grid must be drawn again
   */
  constructor(
    private readonly texts: Texts,
    private readonly client: Pick<DashboardClient, 'replay'>,
    private readonly model: Pick<ProgressModel, 'cells' | 'selection'>,
    private readonly onChange: () => void
  ) {
    const { trans } = texts;
    this._play = el('button', {
      className: 'pt-button pt-playback-play',
      text: trans.__('Play'),
      attrs: { type: 'button' }
    });
    this._play.addEventListener('click', () => this._toggle());
    this._slider = el('input', {
      className: 'pt-playback-slider',
      attrs: {
        type: 'range',
        min: '0',
        max: String(STEPS),
        step: '1',
        'aria-label': trans.__('Playback time')
      }
    });
    this._slider.addEventListener('input', () => {
      this._stop();
      this._show();
    });
    this._time = el('output', {
      className: 'pt-playback-time',
      attrs: { 'aria-live': 'off' }
    });
    this._summary = el('span', { className: 'pt-hint pt-playback-summary' });
    this.node = el(
      'div',
      {
        className: 'pt-playback',
        attrs: { role: 'group', 'aria-label': trans.__('Playback') }
      },
      [this._play, this._slider, this._time, this._summary]
    );
    this.node.hidden = true;
  }

  /** Tell another view (the pace chart) the window, each time it changes. */
  follow(view: { setWindow(window: ITimeWindow): void }): void {
    this._followers.push(view);
  }

  /** Whether the grid shows the window rather than the live class. */
  get active(): boolean {
    return this._timeline !== null;
  }

  /** The moment shown (ms), `null` while the window is everything. */
  get moment(): number | null {
    return this._timeline ? this._momentOf(Number(this._slider.value)) : null;
  }

  /** Show `window` of the selection (reads its runs; everything: the live grid again). */
  async set(window: ITimeWindow): Promise<void> {
    const ask = ++this._asked;
    const selection = this.model.selection;
    this._window = window;
    this._followers.forEach(view => view.setWindow(window));
    if (isEverything(window) || !selection) {
      this._stop();
      this._timeline = null;
      this.node.hidden = true;
      this.onChange();
      return;
    }
    const atEnd = !this.active || this._slider.value === String(STEPS);
    let runs: IReplayRun[] = [];
    let after: string | null = null;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer: unknown = await this.client.replay(
          selection,
          window,
          after
        );
        runs = runs.concat(validRuns(answer));
        after = (answer as { next?: string | null }).next ?? null;
        if (!after) {
          break;
        }
      }
    } catch (reason) {
      if (ask === this._asked) {
        this._summary.textContent = this.texts.failure(
          this.texts.trans.__('Could not load the window'),
          reason
        );
      }
      return;
    }
    if (ask !== this._asked) {
      return;
    }
    this._timeline = new ReplayTimeline(runs, run => this._columnOf(run));
    this._bounds(window);
    if (atEnd) {
      this._slider.value = String(STEPS);
    }
    this.node.hidden = false;
    this._summary.textContent = this.texts.trans._n(
      '%1 run in the window',
      '%1 runs in the window',
      runs.length,
      this.texts.count(runs.length)
    );
    this._show();
  }

  /** Show `window` again for a new selection, unless the grid is the live one. */
  reload(window: ITimeWindow): Promise<void> {
    return this.active ? this.set(window) : Promise.resolve();
  }

  /** Read the window's runs again, soon (live runs arrived in an open-ended window). */
  refresh(): void {
    if (this._window && this._window.until === null && this.active) {
      this._refresh.call();
    }
  }

  /** The grid's rows at the moment shown (`roster` first), `null` for the live grid. */
  rows(roster: readonly string[]): IStudentProgress[] | null {
    const moment = this.moment;
    return this._timeline && moment !== null
      ? this._timeline.at(moment, roster)
      : null;
  }

  dispose(): void {
    this._stop();
    this._refresh.dispose();
  }

  /** The slider spans the window: from its start (or first run) to its end (or now). */
  private _bounds(window: ITimeWindow): void {
    const timeline = this._timeline as ReplayTimeline;
    const since = window.since ? Date.parse(window.since) : null;
    const until = window.until ? Date.parse(window.until) : Date.now();
    // "This class" starts at its first run (a window without runs at its start).
    this._from = timeline.first ?? since ?? until;
    this._to = Math.max(this._from, Math.min(until, Date.now()));
  }

  private _columnOf(run: IReplayRun): string | null {
    return this.model.cells.some(c => c.cellId === run.cellId)
      ? run.cellId
      : null;
  }

  private _momentOf(step: number): number {
    return this._from + ((this._to - this._from) * step) / STEPS;
  }

  private _show(): void {
    const moment = this.moment;
    if (moment !== null) {
      const text = this.texts.clockTime(new Date(moment).toISOString());
      this._time.textContent = text;
      this._slider.setAttribute('aria-valuetext', text);
    }
    this.onChange();
  }

  private _toggle(): void {
    if (this._timer !== null) {
      this._stop();
      return;
    }
    if (this._slider.value === String(STEPS)) {
      this._slider.value = '0';
    }
    this._play.textContent = this.texts.trans.__('Pause');
    this._timer = setInterval(() => {
      const next = Math.min(STEPS, Number(this._slider.value) + 1);
      this._slider.value = String(next);
      this._show();
      if (next >= STEPS) {
        this._stop();
      }
    }, PLAY_MS);
  }

  private _stop(): void {
    if (this._timer !== null) {
      clearInterval(this._timer);
      this._timer = null;
    }
    this._play.textContent = this.texts.trans.__('Play');
  }

  private _play: HTMLButtonElement;
  private _slider: HTMLInputElement;
  private _time: HTMLElement;
  private _summary: HTMLElement;
  private _timeline: ReplayTimeline | null = null;
  private _window: ITimeWindow | null = null;
  private _from = 0;
  private _to = 0;
  private _asked = 0;
  private _followers: { setWindow(window: ITimeWindow): void }[] = [];
  private _timer: ReturnType<typeof setInterval> | null = null;
  // At most one read of the window per 2 s (10 s under a steady stream of live runs).
  private _refresh = new Debouncer(
    () => void (this._window && this.set(this._window)),
    2000,
    10_000
  );
}
