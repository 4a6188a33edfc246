import {
  isTracked,
  parseSettings,
  SAFE_DEFAULT_SETTINGS,
  SERVER_DEFAULT_SETTINGS
} from '../settings';

describe('parseSettings', () => {
  it("takes the server's answer as it is when it is complete", () => {
    const answer = {
      captureEnabled: false,
      sendCode: false,
      sendResults: true,
      sendErrorMessages: false,
      trackPatterns: ['course/**'],
      ignorePatterns: ['course/private/**'],
      maxBatchEvents: 50,
      flushIntervalMs: 5000,
      heartbeatSeconds: 30
    };
    expect(parseSettings(answer)).toEqual(answer);
  });

  it('fills missing and malformed fields from the fallback', () => {
    expect(
      parseSettings(
        { sendCode: 'yes', trackPatterns: 'all', maxBatchEvents: null },
        SAFE_DEFAULT_SETTINGS
      )
    ).toEqual(SAFE_DEFAULT_SETTINGS);
    // A server that does not announce heartbeats gets none.
    const older = { ...SERVER_DEFAULT_SETTINGS, heartbeatSeconds: null };
    expect(parseSettings(null)).toEqual(older);
    expect(parseSettings([1, 2])).toEqual(older);
  });

  it('keeps only non-empty string patterns', () => {
    expect(
      parseSettings({ trackPatterns: ['a/**', '', 3, null] }).trackPatterns
    ).toEqual(['a/**']);
  });

  it('clamps batch size and interval to workable bounds', () => {
    const clamped = parseSettings({ maxBatchEvents: 0, flushIntervalMs: 1 });
    expect(clamped.maxBatchEvents).toBe(1);
    expect(clamped.flushIntervalMs).toBe(100);
    expect(parseSettings({ maxBatchEvents: 1e9 }).maxBatchEvents).toBe(1000);
  });

  it('reads the heartbeat interval, 60 s by default, between 10 s and an hour', () => {
    expect(parseSettings({ heartbeatSeconds: null }).heartbeatSeconds).toBe(60);
    expect(parseSettings({ heartbeatSeconds: 15 }).heartbeatSeconds).toBe(15);
    expect(parseSettings({ heartbeatSeconds: 1 }).heartbeatSeconds).toBe(10);
    expect(parseSettings({ heartbeatSeconds: 1e6 }).heartbeatSeconds).toBe(
      3600
    );
    expect(parseSettings({ heartbeatSeconds: '5' }).heartbeatSeconds).toBe(60);
  });

  it('sends no heartbeats to a server that does not announce them', () => {
    expect(parseSettings({ captureEnabled: true }).heartbeatSeconds).toBeNull();
    expect(SAFE_DEFAULT_SETTINGS.heartbeatSeconds).toBeNull();
  });
});

describe('the safe defaults used while the server cannot be asked', () => {
  it('send no code, outputs or error texts', () => {
    expect(SAFE_DEFAULT_SETTINGS).toMatchObject({
      sendCode: false,
      sendResults: false,
      sendErrorMessages: false
    });
  });
});

describe('isTracked', () => {
  const settings = {
    ...SERVER_DEFAULT_SETTINGS,
    trackPatterns: ['course/**'],
    ignorePatterns: ['course/solutions/**']
  };

  it('tracks notebooks matching a track pattern', () => {
    expect(isTracked('course/week1/lab.ipynb', settings)).toBe(true);
    expect(isTracked('scratch.ipynb', settings)).toBe(false);
  });

  it('lets ignore patterns win', () => {
    expect(isTracked('course/solutions/lab.ipynb', settings)).toBe(false);
  });

  it('tracks nothing when capture is off', () => {
    expect(
      isTracked('course/week1/lab.ipynb', {
        ...settings,
        captureEnabled: false
      })
    ).toBe(false);
  });
});
