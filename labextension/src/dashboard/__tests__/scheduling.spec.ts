import { Debouncer, FrameBatcher } from '../scheduling';

describe('FrameBatcher', () => {
  it('hands over everything queued during a frame in one batch, in order', () => {
    const frames: Array<() => void> = [];
    const batches: number[][] = [];
    const batcher = new FrameBatcher<number>(
      items => batches.push(items),
      cb => frames.push(cb)
    );

    batcher.push([1, 2]);
    batcher.push([3]);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    batcher.push([4]);
    frames.shift()!();

    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('drops what was queued when cleared or disposed', () => {
    const frames: Array<() => void> = [];
    const batches: number[][] = [];
    const batcher = new FrameBatcher<number>(
      items => batches.push(items),
      cb => frames.push(cb)
    );

    batcher.push([1]);
    batcher.clear();
    frames.shift()!();
    batcher.push([2]);
    batcher.dispose();
    frames.shift()!();

    expect(batches).toEqual([[]]);
  });
});

describe('Debouncer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once after calls stop coming', () => {
    const fn = jest.fn();
    const debouncer = new Debouncer(fn, 1000, 5000);

    debouncer.call();
    jest.advanceTimersByTime(500);
    debouncer.call();
    jest.advanceTimersByTime(999);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('still runs every maxWait while calls keep coming', () => {
    const fn = jest.fn();
    const debouncer = new Debouncer(fn, 1000, 3000);

    for (let t = 0; t < 3000; t += 500) {
      debouncer.call();
      jest.advanceTimersByTime(500);
    }
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not run once disposed', () => {
    const fn = jest.fn();
    const debouncer = new Debouncer(fn, 1000);
    debouncer.call();
    debouncer.dispose();
    jest.advanceTimersByTime(10_000);
    expect(fn).not.toHaveBeenCalled();
  });
});
