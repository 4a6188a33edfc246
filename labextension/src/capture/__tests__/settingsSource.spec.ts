import { SAFE_DEFAULT_SETTINGS, SERVER_DEFAULT_SETTINGS } from '../settings';
import { SettingsSource } from '../settingsSource';
import { FakeClock, RecordingLogger } from './fakes';

function scripted(...answers: Array<unknown | Error>) {
  const calls: number[] = [];
  let call = 0;
  const fetch = async () => {
    calls.push(call);
    const answer = answers[Math.min(call++, answers.length - 1)];
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  };
  return { fetch, calls };
}

describe('SettingsSource', () => {
  it("is ready with the server's settings", async () => {
    const clock = new FakeClock();
    const server = scripted({ ...SERVER_DEFAULT_SETTINGS, sendCode: false });
    const source = new SettingsSource({ fetch: server.fetch, clock });
    await expect(source.ready).resolves.toMatchObject({ sendCode: false });
    source.dispose();
  });

  it('falls back to the safe defaults when the endpoint fails, then retries', async () => {
    const clock = new FakeClock();
    const logger = new RecordingLogger();
    const server = scripted(new Error('503'), SERVER_DEFAULT_SETTINGS);
    const changes: boolean[] = [];
    const source = new SettingsSource({
      fetch: server.fetch,
      clock,
      logger,
      random: () => 0,
      backoff: { baseMs: 4000, maxMs: 60_000 }
    });
    source.onChange(settings => changes.push(settings.sendCode));

    await expect(source.ready).resolves.toEqual(SAFE_DEFAULT_SETTINGS);
    expect(logger.warnings).toHaveLength(1);

    await clock.advance(2000);
    expect(server.calls).toHaveLength(2);
    expect(source.current).toEqual(SERVER_DEFAULT_SETTINGS);
    expect(changes).toEqual([false, true]);
    source.dispose();
  });

  it('refreshes periodically and tells listeners about each new value, not about repeats', async () => {
    const clock = new FakeClock();
    const server = scripted(SERVER_DEFAULT_SETTINGS, SERVER_DEFAULT_SETTINGS, {
      ...SERVER_DEFAULT_SETTINGS,
      captureEnabled: false
    });
    const changes: boolean[] = [];
    const source = new SettingsSource({
      fetch: server.fetch,
      clock,
      refreshMs: 60_000
    });
    source.onChange(settings => changes.push(settings.captureEnabled));
    await source.ready;
    await clock.advance(120_000);
    expect(server.calls).toHaveLength(3);
    expect(changes).toEqual([true, false]);
    expect(source.current?.captureEnabled).toBe(false);
    source.dispose();
  });

  it('keeps the last known settings when a refresh fails', async () => {
    const clock = new FakeClock();
    const server = scripted(
      { ...SERVER_DEFAULT_SETTINGS, sendResults: false },
      new Error('network')
    );
    const source = new SettingsSource({
      fetch: server.fetch,
      clock,
      refreshMs: 1000
    });
    await source.ready;
    await clock.advance(1000);
    expect(server.calls).toHaveLength(2);
    expect(source.current?.sendResults).toBe(false);
    expect(source.current?.sendCode).toBe(true);
    source.dispose();
  });
});
