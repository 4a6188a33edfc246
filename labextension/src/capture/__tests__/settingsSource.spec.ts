import { SAFE_DEFAULT_SETTINGS, SERVER_DEFAULT_SETTINGS } from '../settings';
import { SettingsSource } from '../settingsSource';
import { RecordingLogger } from './fakes';

function scripted(...answers: Array<unknown | Error>) {
  const calls: number[] = [];
  let call = 0;
  const fetch = async () => {
    calls.push(Date.now());
    const answer = answers[Math.min(call++, answers.length - 1)];
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  };
  return { fetch, calls };
}

describe('SettingsSource', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("is ready with the server's settings, asked after the plugin's activation", async () => {
    const server = scripted({ ...SERVER_DEFAULT_SETTINGS, sendCode: false });
    const source = new SettingsSource({ fetch: server.fetch });
    expect(server.calls).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(10);
    await expect(source.ready).resolves.toMatchObject({ sendCode: false });
    source.dispose();
  });

  it('falls back to the safe defaults when the endpoint fails, then retries', async () => {
    const logger = new RecordingLogger();
    const server = scripted(new Error('503'), SERVER_DEFAULT_SETTINGS);
    const changes: boolean[] = [];
    const source = new SettingsSource({
      fetch: server.fetch,
      logger,
      retry: { interval: 4000, max: 60_000 }
    });
    source.onChange(settings => changes.push(settings.sendCode));

    await jest.advanceTimersByTimeAsync(10);
    await expect(source.ready).resolves.toEqual(SAFE_DEFAULT_SETTINGS);
    expect(logger.warnings).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(server.calls).toHaveLength(2);
    expect(source.current).toEqual(SERVER_DEFAULT_SETTINGS);
    expect(changes).toEqual([false, true]);
    source.dispose();
  });

  it('backs off while the endpoint keeps failing', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5); // the middle of each jittered delay
    const server = scripted(new Error('network'));
    const source = new SettingsSource({
      fetch: server.fetch,
      logger: new RecordingLogger(),
      retry: { interval: 5000, max: 60_000 }
    });

    await jest.advanceTimersByTimeAsync(10 * 60_000);
    const gaps = server.calls.slice(1).map((at, i) => at - server.calls[i]);
    // Longer and longer, up to a minute.
    const growing = gaps.slice(0, gaps.indexOf(60_000));
    expect(growing.length).toBeGreaterThan(3);
    expect(growing).toEqual([...growing].sort((a, b) => a - b));
    expect(gaps.slice(growing.length).every(gap => gap === 60_000)).toBe(true);
    source.dispose();
    jest.restoreAllMocks();
  });

  it('refreshes periodically and tells listeners about each new value, not about repeats', async () => {
    const server = scripted(SERVER_DEFAULT_SETTINGS, SERVER_DEFAULT_SETTINGS, {
      ...SERVER_DEFAULT_SETTINGS,
      captureEnabled: false
    });
    const changes: boolean[] = [];
    const source = new SettingsSource({
      fetch: server.fetch,
      refreshMs: 60_000
    });
    source.onChange(settings => changes.push(settings.captureEnabled));
    await jest.advanceTimersByTimeAsync(10);
    await source.ready;
    await jest.advanceTimersByTimeAsync(120_000);
    expect(server.calls).toHaveLength(3);
    expect(changes).toEqual([true, false]);
    expect(source.current?.captureEnabled).toBe(false);
    source.dispose();
  });

  it('keeps the last known settings when a refresh fails', async () => {
    const server = scripted(
      { ...SERVER_DEFAULT_SETTINGS, sendResults: false },
      new Error('network')
    );
    const source = new SettingsSource({
      fetch: server.fetch,
      refreshMs: 1000
    });
    await jest.advanceTimersByTimeAsync(10);
    await source.ready;
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(2);
    expect(source.current?.sendResults).toBe(false);
    expect(source.current?.sendCode).toBe(true);
    source.dispose();
  });

  it('stops asking once disposed', async () => {
    const server = scripted(SERVER_DEFAULT_SETTINGS);
    const source = new SettingsSource({ fetch: server.fetch, refreshMs: 1000 });
    await jest.advanceTimersByTimeAsync(10);
    source.dispose();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(server.calls).toHaveLength(1);
  });
});
