import { DEFAULT_HELP_OPTIONS } from '../help';
import { HelpThresholds, thresholdsFromSettings } from '../thresholds';

describe('thresholds of the "Needing help" list', () => {
  it("are the server's helpErrorThreshold and helpIdleMinutes", () => {
    expect(
      thresholdsFromSettings({
        captureEnabled: true,
        helpErrorThreshold: 5,
        helpIdleMinutes: 2.5
      })
    ).toEqual({ errorThreshold: 5, idleMinutes: 2.5 });
  });

  it('keep the defaults for what the server does not say or says wrongly', () => {
    expect(DEFAULT_HELP_OPTIONS).toEqual({
      errorThreshold: 3,
      idleMinutes: 10
    });
    expect(thresholdsFromSettings({})).toEqual(DEFAULT_HELP_OPTIONS);
    expect(thresholdsFromSettings(null)).toEqual(DEFAULT_HELP_OPTIONS);
    expect(
      thresholdsFromSettings({ helpErrorThreshold: 0, helpIdleMinutes: '5' })
    ).toEqual(DEFAULT_HELP_OPTIONS);
    expect(thresholdsFromSettings({ helpErrorThreshold: 2.4 })).toEqual({
      errorThreshold: 2,
      idleMinutes: 10
    });
  });

  it("follow the server's settings in a dashboard until the instructor sets others", () => {
    const thresholds = new HelpThresholds();
    expect(thresholds.current).toEqual(DEFAULT_HELP_OPTIONS);

    expect(
      thresholds.fromServer({ helpErrorThreshold: 5, helpIdleMinutes: 20 })
    ).toBe(true);
    expect(thresholds.current).toEqual({ errorThreshold: 5, idleMinutes: 20 });
    expect(
      thresholds.fromServer({ helpErrorThreshold: 5, helpIdleMinutes: 20 })
    ).toBe(false);

    thresholds.setByUser({ errorThreshold: 1, idleMinutes: 20 });
    expect(
      thresholds.fromServer({ helpErrorThreshold: 4, helpIdleMinutes: 30 })
    ).toBe(false);
    expect(thresholds.current).toEqual({ errorThreshold: 1, idleMinutes: 20 });
    expect(thresholds.setByInstructor).toBe(true);
  });
});
