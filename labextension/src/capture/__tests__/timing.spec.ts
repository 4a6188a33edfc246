import { RunStopwatch } from '../timing';

describe('RunStopwatch', () => {
  it('measures a single run from scheduling to completion', () => {
    const watch = new RunStopwatch();
    const notebook = {};
    watch.scheduled(notebook, 'a', 1000);
    expect(watch.finished(notebook, 'a', 1250)).toBe(250);
  });

  it('does not count the time a cell queued behind others in a "run all"', () => {
    const watch = new RunStopwatch();
    const notebook = {};
    ['a', 'b', 'c'].forEach(id => watch.scheduled(notebook, id, 0));
    expect(watch.finished(notebook, 'a', 100)).toBe(100);
    expect(watch.finished(notebook, 'b', 400)).toBe(300);
    expect(watch.finished(notebook, 'c', 410)).toBe(10);
  });

  it('counts from scheduling when the previous run ended earlier', () => {
    const watch = new RunStopwatch();
    const notebook = {};
    watch.scheduled(notebook, 'a', 0);
    watch.finished(notebook, 'a', 100);
    watch.scheduled(notebook, 'b', 5000);
    expect(watch.finished(notebook, 'b', 5020)).toBe(20);
  });

  it('keeps notebooks apart', () => {
    const watch = new RunStopwatch();
    const first = {};
    const second = {};
    watch.scheduled(first, 'a', 0);
    watch.scheduled(second, 'a', 0);
    watch.finished(first, 'a', 900);
    expect(watch.finished(second, 'a', 1000)).toBe(1000);
  });

  it('is null for a run it did not see scheduled', () => {
    expect(new RunStopwatch().finished({}, 'a', 10)).toBeNull();
  });
});
