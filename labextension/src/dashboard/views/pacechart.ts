/**
 * The class pace: executions and errors per time bucket, and how far the class has got as a
 * distribution: the median of cells completed per student, between its quartiles.
 */
import type { Chart } from 'chart.js';
import { el } from './dom';
import { Texts } from '../model/format';
import { clipToWindow, fillPaceGaps } from '../model/pace';
import type { ITimeWindow } from '../model/window';
import { IPaceResponse } from '../types';

type ChartJs = typeof import('chart.js');

let chartJs: Promise<ChartJs> | null = null;

/**
 * Chart.js with the parts the pace chart draws, loaded when a chart is first drawn: a separate
 * bundle that JupyterLab's start never waits for (students, who never see the dashboard,
 * never load it).
 */
function loadChartJs(): Promise<ChartJs> {
  chartJs ??= import('chart.js').then(module => {
    module.Chart.register(
      module.BarController,
      module.BarElement,
      module.CategoryScale,
      module.Legend,
      module.LinearScale,
      module.LineController,
      module.LineElement,
      module.PointElement,
      module.Tooltip
    );
    return module;
  });
  return chartJs;
}

/** What one render of the chart shows. */
interface IPaceData {
  labels: string[];
  executions: number[];
  errors: number[];
  median: number[];
  q1: number[];
  q3: number[];
  theme: Record<string, string>;
}

/**
 * A Chart.js chart of `GET api/v1/pace`, coloured with the JupyterLab theme.
 */
export class PaceChart {
  /** The section's root element. */
  readonly node: HTMLElement;

  constructor(private readonly texts: Texts) {
    const { trans } = texts;
    this._canvas = el('canvas', {
      attrs: { role: 'img', 'aria-label': trans.__('Class pace chart') }
    });
    this._hint = el('span', { className: 'pt-hint' });
    this.node = el('section', { className: 'pt-section pt-pace' }, [
      el('div', { className: 'pt-section-header' }, [
        el('h2', { text: trans.__('Class pace') }),
        this._hint
      ]),
      el('div', { className: 'pt-pace-canvas-box' }, [this._canvas])
    ]);
  }

  /** Show only the buckets of the dashboard's time window (everything: open at both ends). */
  setWindow(window: ITimeWindow): void {
    this._window = window;
    if (this._pace) {
      this.render(this._pace);
    }
  }

  /** Show a pace series (creates the chart on first use, and again after a theme change). */
  render(pace: IPaceResponse): void {
    this._pace = pace;
    const series = fillPaceGaps(
      clipToWindow(pace.series, this._window),
      pace.bucketSeconds
    );
    const { trans } = this.texts;
    const labels = series.map(p => this.texts.hourMinute(p.time));
    const executions = series.map(p => p.executions);
    const errors = series.map(p => p.errors);
    const median = series.map(p => p.cellsCompletedMedian);
    const q1 = series.map(p => p.cellsCompletedQ1 ?? p.cellsCompletedMedian);
    const q3 = series.map(p => p.cellsCompletedQ3 ?? p.cellsCompletedMedian);
    const minutes = Math.round(pace.bucketSeconds / 60);
    this._hint.textContent =
      minutes > 1
        ? trans.__('per %1 minutes', this.texts.count(minutes))
        : trans.__('per minute');
    this._latest = {
      labels,
      executions,
      errors,
      median,
      q1,
      q3,
      theme: themeColors(this.node)
    };
    void this._draw();
  }

  /** Draw the latest data, once Chart.js is loaded. */
  private async _draw(): Promise<void> {
    const { Chart } = await loadChartJs();
    const data = this._latest;
    if (this._disposed || !data) {
      return;
    }
    const { trans } = this.texts;
    const { labels, executions, errors, median, q1, q3, theme } = data;
    const themeKey = JSON.stringify(theme);
    if (this._chart && themeKey !== this._themeKey) {
      this._chart.destroy();
      this._chart = null;
    }
    this._themeKey = themeKey;
    if (this._chart) {
      this._chart.data.labels = labels;
      this._chart.data.datasets[0].data = executions;
      this._chart.data.datasets[1].data = errors;
      this._chart.data.datasets[2].data = median;
      this._chart.data.datasets[3].data = q1;
      this._chart.data.datasets[4].data = q3;
      this._chart.update('none');
      return;
    }
    this._chart = new Chart(this._canvas, {
      data: {
        labels,
        datasets: [
          {
            type: 'bar',
            label: trans.__('executions'),
            data: executions,
            backgroundColor: theme.brand,
            yAxisID: 'y'
          },
          {
            type: 'bar',
            label: trans.__('errors'),
            data: errors,
            backgroundColor: theme.error,
            yAxisID: 'y'
          },
          {
            type: 'line',
            label: trans.__('median cells completed'),
            data: median,
            borderColor: theme.success,
            backgroundColor: theme.success,
            pointRadius: 0,
            tension: 0.2,
            yAxisID: 'progress'
          },
          quartile(trans.__('lower quartile'), q1, theme.success),
          quartile(trans.__('upper quartile'), q3, theme.success)
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        color: theme.text,
        plugins: { legend: { labels: { color: theme.text, boxWidth: 12 } } },
        scales: {
          x: {
            ticks: { color: theme.muted, maxRotation: 0, autoSkip: true },
            grid: { display: false }
          },
          y: {
            beginAtZero: true,
            position: 'left',
            title: {
              display: true,
              text: trans.__('runs'),
              color: theme.muted
            },
            ticks: { color: theme.muted, precision: 0 },
            grid: { color: theme.grid }
          },
          progress: {
            beginAtZero: true,
            position: 'right',
            title: {
              display: true,
              text: trans.__('cells completed (median, quartiles)'),
              color: theme.muted
            },
            ticks: { color: theme.muted, precision: 0 },
            grid: { display: false }
          }
        }
      }
    });
  }

  /** Show a failure to load. */
  renderError(message: string): void {
    this._hint.textContent = message;
  }

  /** Destroy the chart. */
  dispose(): void {
    this._disposed = true;
    this._chart?.destroy();
    this._chart = null;
  }

  private _canvas: HTMLCanvasElement;
  private _hint: HTMLElement;
  private _chart: Chart | null = null;
  private _latest: IPaceData | null = null;
  private _disposed = false;
  private _themeKey = '';
  private _pace: IPaceResponse | null = null;
  private _window: ITimeWindow = { since: null, until: null };
}

/** A dashed line of a quartile of cells completed, on the progress axis. */
function quartile(label: string, data: number[], color: string) {
  return {
    type: 'line' as const,
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderDash: [4, 3],
    borderWidth: 1,
    pointRadius: 0,
    tension: 0.2,
    yAxisID: 'progress'
  };
}

function themeColors(node: HTMLElement): Record<string, string> {
  const style = getComputedStyle(
    document.body.contains(node) ? node : document.body
  );
  const v = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    brand: v('--jp-brand-color2', '#64b5f6'),
    error: v('--jp-error-color1', '#d32f2f'),
    success: v('--jp-success-color1', '#388e3c'),
    text: v('--jp-ui-font-color1', '#212121'),
    muted: v('--jp-ui-font-color2', '#616161'),
    grid: v('--jp-border-color2', '#e0e0e0')
  };
}
