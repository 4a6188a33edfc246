import { Heartbeat, HIDDEN_GRACE_MS } from '../heartbeat';
import { FakeClock } from './fakes';

const MINUTE = 60_000;

function heartbeat(clock: FakeClock, intervalMs = MINUTE) {
  const beats: Array<[string, number]> = [];
  const schedule = new Heartbeat<string>({
    clock,
    intervalMs,
    beat: notebook => beats.push([notebook, clock.now()])
  });
  return { schedule, beats };
}

describe('heartbeats of open notebooks', () => {
  it('beat every interval from one interval after the notebook opened', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('lab1.ipynb');
    await clock.advance(MINUTE - 1);
    expect(beats).toEqual([]);
    await clock.advance(2 * MINUTE + 1);
    expect(beats).toEqual([
      ['lab1.ipynb', MINUTE],
      ['lab1.ipynb', 2 * MINUTE],
      ['lab1.ipynb', 3 * MINUTE]
    ]);
  });

  it('beat for every open notebook, and stop for one that closed', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    schedule.open('b.ipynb');
    await clock.advance(MINUTE);
    schedule.close('a.ipynb');
    await clock.advance(MINUTE);
    expect(beats.map(([nb]) => nb)).toEqual(['a.ipynb', 'b.ipynb', 'b.ipynb']);
    schedule.close('b.ipynb');
    expect(clock.nextTimerIn()).toBeNull();
  });

  it("follow the server's interval when it changes", async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    await clock.advance(30_000);
    schedule.setInterval(10_000);
    await clock.advance(25_000);
    expect(beats.map(([, at]) => at)).toEqual([40_000, 50_000]);
  });

  it('go on in a hidden tab for the grace period, then pause', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    schedule.setHidden(true);
    await clock.advance(HIDDEN_GRACE_MS + 3 * MINUTE);
    expect(beats).toHaveLength(HIDDEN_GRACE_MS / MINUTE - 1);
    expect(schedule.paused).toBe(true);
    expect(clock.nextTimerIn()).toBeNull();
  });

  it('come back at once when a long-hidden tab is shown again', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    schedule.setHidden(true);
    await clock.advance(HIDDEN_GRACE_MS + 10 * MINUTE);
    const before = beats.length;
    schedule.setHidden(false);
    expect(beats).toHaveLength(before + 1);
    expect(beats[before][1]).toBe(clock.now());
    await clock.advance(MINUTE);
    expect(beats).toHaveLength(before + 2);
  });

  it('never pause for a tab hidden briefly', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    for (let i = 0; i < 10; i++) {
      schedule.setHidden(true);
      await clock.advance(2 * MINUTE);
      schedule.setHidden(false);
      await clock.advance(MINUTE);
    }
    expect(schedule.paused).toBe(false);
    expect(beats).toHaveLength(30);
  });

  it('stop when disposed', async () => {
    const clock = new FakeClock();
    const { schedule, beats } = heartbeat(clock);
    schedule.open('a.ipynb');
    schedule.dispose();
    await clock.advance(5 * MINUTE);
    expect(beats).toEqual([]);
  });

  it('never beat without an interval, and start once the server gives one', async () => {
    const clock = new FakeClock();
    const beats: number[] = [];
    const schedule = new Heartbeat<string>({
      clock,
      intervalMs: null,
      beat: () => beats.push(clock.now())
    });
    schedule.open('a.ipynb');
    await clock.advance(10 * MINUTE);
    expect(beats).toEqual([]);
    schedule.setInterval(MINUTE);
    await clock.advance(MINUTE);
    expect(beats).toEqual([11 * MINUTE]);
    schedule.setInterval(null);
    await clock.advance(10 * MINUTE);
    expect(beats).toHaveLength(1);
  });
});
