/**
 * The "Raise hand" button of a notebook's toolbar: "Hand raised" while waiting, "Someone is
 * coming (NAME)" once claimed; a click lowers a raised hand. Hidden where nothing is captured.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  assignmentCourseOfPanel,
  assignmentOfPanel
} from '../capture/lifecycle';
import type { HandTracker } from './hands';
import type { IHandRef, IHandState } from './handstate';

/** The notebook a panel shows, as a hand names it. */
export function refOf(panel: NotebookPanel): IHandRef {
  return {
    path: panel.context.localPath,
    assignmentId: assignmentOfPanel(panel),
    course: assignmentCourseOfPanel(panel)
  };
}

/** The button's text for a hand. */
export function handLabel(hand: IHandState, trans: TranslationBundle): string {
  if (hand.phase === 'claimed') {
    return hand.claimedBy
      ? trans.__('Someone is coming (%1)', hand.claimedBy)
      : trans.__('Someone is coming');
  }
  return hand.phase === 'raised'
    ? trans.__('Hand raised')
    : trans.__('Raise hand');
}

/** One notebook's hand button. */
export class HandButton extends Widget {
  constructor(
    private readonly panel: NotebookPanel,
    private readonly hands: HandTracker,
    private readonly trans: TranslationBundle,
    private readonly onRaise: (panel: NotebookPanel) => void
  ) {
    super({ node: document.createElement('div') });
    this.addClass('jp-Toolbar-item');
    this._button = document.createElement('button');
    this._button.type = 'button';
    this._button.className =
      'jp-ToolbarButtonComponent jp-mod-minimal pt-hand-button';
    this._button.addEventListener('click', () => this._click());
    this.node.appendChild(this._button);
    hands.changed.connect(this.render, this);
    this.render();
  }

  /** Show the hand of the notebook as it is now (hidden where hands cannot be raised). */
  render(): void {
    if (this.isDisposed || this.panel.isDisposed) {
      return;
    }
    const ref = refOf(this.panel);
    const hand = this.hands.state(ref);
    const visible = this.hands.canRaise(ref) || hand.phase !== 'down';
    this.setHidden(!visible);
    const { trans } = this;
    this._button.textContent = handLabel(hand, trans);
    this._button.dataset.phase = hand.phase;
    this._button.setAttribute('aria-pressed', String(hand.phase !== 'down'));
    this._button.title =
      hand.phase === 'down'
        ? trans.__("Ask your course's instructors and TAs for help")
        : trans.__('Lower your hand');
  }

  dispose(): void {
    this.hands.changed.disconnect(this.render, this);
    super.dispose();
  }

  private _click(): void {
    const ref = refOf(this.panel);
    if (this.hands.state(ref).phase === 'down') {
      this.onRaise(this.panel);
    } else {
      this.hands.lower(ref);
    }
  }

  private readonly _button: HTMLButtonElement;
}
