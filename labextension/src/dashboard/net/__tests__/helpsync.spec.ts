import { Signal } from '@lumino/signaling';

import type { IRaisedHand } from '../../model/helpqueue';
import { HelpQueueSync } from '../helpsync';
import type { LiveStatus } from '../live';

function hand(
  id: number,
  state: IRaisedHand['state'] = 'waiting'
): IRaisedHand {
  return {
    id,
    student: `s${id}`,
    course: 'cs101',
    notebook: 'lab1.ipynb',
    assignment: null,
    cellId: null,
    message: null,
    raisedAt: `2026-12-01T10:0${id}:00Z`,
    state,
    claimedBy: state === 'claimed' ? 'ta' : null
  };
}

/** A queue over a fake server holding `served`, and the sync's two signals. */
function setUp(served: IRaisedHand[]) {
  const owner = {};
  const helpChanged = new Signal<object, unknown>(owner);
  const statusChanged = new Signal<object, LiveStatus>(owner);
  const calls: string[] = [];
  const client = {
    helpQueue: async () => ({ entries: served }),
    changeHelp: async (id: number, action: 'claim' | 'resolve') => {
      calls.push(`${action} ${id}`);
      if (id === 404) {
        throw new Error('No help entry 404.');
      }
      return {
        ...hand(id),
        state: action === 'claim' ? 'claimed' : 'resolved'
      };
    }
  };
  const queue = new HelpQueueSync(client, {
    helpChanged,
    statusChanged
  } as any);
  return { queue, helpChanged, statusChanged, calls };
}

describe('the raised hands a dashboard follows', () => {
  it('reads the queue, then applies the live help messages', async () => {
    const { queue, helpChanged } = setUp([hand(1), hand(2)]);
    await queue.reload();
    expect(queue.hands.map(h => h.id)).toEqual([1, 2]);
    helpChanged.emit(hand(3));
    helpChanged.emit(hand(1, 'resolved'));
    helpChanged.emit({ not: 'a hand' });
    expect(queue.hands.map(h => h.id)).toEqual([2, 3]);
    queue.dispose();
  });

  it('reads the whole queue again once the socket is live again', async () => {
    const served = [hand(1)];
    const { queue, statusChanged } = setUp(served);
    let changes = 0;
    queue.changed.connect(() => (changes += 1));
    statusChanged.emit('live');
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(queue.hands.map(h => h.id)).toEqual([1]);
    expect(changes).toBe(1);
    queue.dispose();
  });

  it('shows a claim or resolution at once, and a refusal after reading again', async () => {
    const { queue, calls } = setUp([hand(2)]);
    await queue.reload();
    await queue.change(2, 'claim');
    expect(queue.hands[0].state).toBe('claimed');
    await queue.change(2, 'resolve');
    expect(queue.hands).toEqual([]);
    await expect(queue.change(404, 'claim')).rejects.toThrow('No help entry');
    expect(queue.hands.map(h => h.id)).toEqual([2]);
    expect(calls).toEqual(['claim 2', 'resolve 2', 'claim 404']);
    queue.dispose();
  });
});
