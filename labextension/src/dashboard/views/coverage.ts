/**
 * The dashboard's line on capture coverage: how many students of the course
 * capture, opted out or are not reporting (counts, never names).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';
import { Widget } from '@lumino/widgets';

import { coverageText } from '../model/coverage';

/** Polls `api/v1/consent/counts` while the dashboard is open. */
export class CaptureCoverage extends Widget {
  constructor(
    fetchCounts: () => Promise<unknown>,
    private readonly trans: TranslationBundle
  ) {
    super({ node: document.createElement('span') });
    this.addClass('pt-CaptureCoverage');
    this.node.setAttribute('data-testid', 'pt-capture-coverage');
    this._poll = new Poll({
      factory: async () => this._show(await fetchCounts()),
      frequency: { interval: 30_000, backoff: true, max: 300_000 },
      name: 'progress-tracker:capture-coverage',
      standby: 'when-hidden'
    });
  }

  dispose(): void {
    this._poll.dispose();
    super.dispose();
  }

  private _show(raw: unknown): void {
    this.node.textContent = coverageText(raw, this.trans) ?? '';
  }

  private _poll: Poll;
}
