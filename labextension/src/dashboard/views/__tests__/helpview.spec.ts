/**
 * @jest-environment jsdom
 */
/**
 * The help queue's list changes line by line: a line whose content is the same stays the same
 * DOM node (a click on its button is never lost, a screen reader does not hear it again), a
 * waiting time that ticks changes only its text, and the keyboard focus stays where it was.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { Texts } from '../../model/format';
import type { IHelpEntry } from '../../model/help';
import type { IRaisedHand } from '../../model/helpqueue';
import { studentNames } from '../../model/pseudonyms';
import { HelpQueueSync } from '../../net/helpsync';
import type { LiveStatus } from '../../net/live';
import { HelpView } from '../helpview';

const texts = new Texts(nullTranslator.load('progress_tracker'), 'en');
const NOW = Date.parse('2026-12-01T10:30:00Z');
const MINUTE = 60_000;

function hand(id: number, fields: Partial<IRaisedHand> = {}): IRaisedHand {
  return {
    id,
    student: `s${id}`,
    course: 'cs101',
    notebook: 'course/lab1.ipynb',
    assignment: null,
    cellId: null,
    message: null,
    raisedAt: new Date(NOW - (10 - id) * MINUTE).toISOString(),
    state: 'waiting',
    claimedBy: null,
    ...fields
  };
}

function stuck(userId: string): IHelpEntry {
  return {
    userId,
    reasons: [{ kind: 'errors', cellId: 'c1', errors: 4 }],
    currentCellId: 'c1',
    lastError: 'NameError'
  };
}

/** A help view on the page, over a queue holding `hands`, at the time `now()` answers. */
async function shown(hands: IRaisedHand[]) {
  let now = NOW;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  const owner = {};
  const helpChanged = new Signal<object, unknown>(owner);
  const statusChanged = new Signal<object, LiveStatus>(owner);
  const client = {
    helpQueue: async () => ({ entries: hands }),
    changeHelp: async () => ({})
  };
  const queue = new HelpQueueSync(client, {
    helpChanged,
    statusChanged
  } as any);
  const view = new HelpView(
    texts,
    () => 0,
    () => 0,
    3,
    10,
    queue
  );
  document.body.appendChild(view.node);
  await queue.reload();
  const line = (id: number | string) =>
    view.node.querySelector<HTMLElement>(
      typeof id === 'number' ? `[data-entry="${id}"]` : `[data-user="${id}"]`
    )!;
  const lines = () => [...view.node.querySelectorAll('.pt-help-list > li')];
  return {
    view,
    line,
    lines,
    tell: (changed: IRaisedHand) => helpChanged.emit(changed),
    later: (ms: number) => {
      now += ms;
    }
  };
}

/** The very same nodes, in this order (`toEqual` would compare DOM nodes by content). */
function expectSameNodes(actual: Element[], expected: Element[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((node, i) => expect(node).toBe(expected[i]));
}

afterEach(() => {
  studentNames.setMode('off');
  document.body.innerHTML = '';
  jest.restoreAllMocks();
});

describe('the help queue list', () => {
  it('keeps the Claim button when only the waiting time ticks', async () => {
    const { view, line, later } = await shown([hand(1), hand(2)]);
    const item = line(1);
    const claim = item.querySelector<HTMLElement>('.pt-help-claim')!;
    const wait = item.querySelector('.pt-help-wait')!.firstChild;
    expect(wait?.textContent).toBe('waiting 9 min');
    claim.focus();
    later(MINUTE);
    view.render([], []);
    expect(line(1)).toBe(item);
    expect(item.querySelector('.pt-help-claim')).toBe(claim);
    expect(claim.isConnected).toBe(true);
    expect(item.querySelector('.pt-help-wait')!.firstChild).toBe(wait);
    expect(wait?.textContent).toBe('waiting 10 min');
    expect(document.activeElement).toBe(claim);
  });

  it("drops a claimed hand's Claim button and keeps Resolve focused", async () => {
    const { line, tell } = await shown([hand(1), hand(2)]);
    const item = line(1);
    const resolve = item.querySelector<HTMLElement>('.pt-help-resolve')!;
    const other = line(2);
    resolve.focus();
    tell(hand(1, { state: 'claimed', claimedBy: 'ta101a' }));
    expect(line(1)).toBe(item);
    expect(item.querySelector('.pt-help-claim')).toBeNull();
    expect(item.querySelector('.pt-help-resolve')).toBe(resolve);
    expect(item.textContent).toContain('claimed by ta101a');
    expect(document.activeElement).toBe(resolve);
    expect(line(2)).toBe(other);
  });

  it('moves the focus from Claim to Resolve when the hand is claimed', async () => {
    const { line, tell } = await shown([hand(1)]);
    line(1).querySelector<HTMLElement>('.pt-help-claim')!.focus();
    tell(hand(1, { state: 'claimed', claimedBy: 'ta101a' }));
    expect(document.activeElement).toBe(
      line(1).querySelector('.pt-help-resolve')
    );
  });

  it('moves lines whose order changed, and removes only those that left', async () => {
    const { view, line, lines, tell } = await shown([hand(1), hand(2)]);
    view.render([stuck('ada'), stuck('bob')], []);
    const [first, second, ada, bob] = lines();
    expectSameNodes([first, second], [line(1), line(2)]);
    const focused = bob.querySelector<HTMLElement>('button')!;
    focused.focus();
    view.render([stuck('bob'), stuck('ada')], []);
    expectSameNodes(lines(), [first, second, bob, ada]);
    expect(document.activeElement).toBe(focused);
    tell(hand(1, { state: 'resolved' }));
    expectSameNodes(lines(), [second, bob, ada]);
    expect(first.isConnected).toBe(false);
  });

  it('adds a new hand without redrawing the others', async () => {
    const { line, lines, tell } = await shown([hand(2)]);
    const before = line(2);
    tell(hand(1));
    expectSameNodes(lines(), [line(1), before]);
  });

  it('relabels its lines when the names are hidden, keeping their buttons', async () => {
    const { view, line } = await shown([hand(1, { student: 'ada.lovelace' })]);
    view.render([stuck('bob.smith')], []);
    const claim = line(1).querySelector<HTMLElement>('.pt-help-claim')!;
    const name = line('bob.smith').querySelector('.pt-help-user')!;
    studentNames.setMode('first-names');
    view.render([stuck('bob.smith')], []);
    expect(line(1).textContent).not.toContain('lovelace');
    expect(claim.getAttribute('aria-label')).toBe("Claim ada's hand");
    expect(line(1).querySelector('.pt-help-claim')).toBe(claim);
    expect(line('bob.smith').querySelector('.pt-help-user')).toBe(name);
    expect(name.textContent).toBe('bob');
  });

  it('names the notebook of a hand raised in another exercise, never a raw cell id', async () => {
    const { view, line } = await shown([
      hand(1, { cellId: 'cell-3f2a9c', notebook: 'course/lab2.ipynb' }),
      hand(2, { cellId: 'c1' })
    ]);
    view.render([], [{ cellId: 'c1', cellIndex: 2, cellType: 'code' }]);
    const other = line(1).querySelector('.pt-help-detail')!.textContent!;
    expect(other).toContain('a cell · lab2.ipynb');
    expect(other).not.toContain('cell-3f2a9c');
    expect(line(2).querySelector('.pt-help-detail')!.textContent).toContain(
      'at [3] · lab1.ipynb'
    );
  });
});
