/**
 * The dashboard's time window: everything, the last 10 minutes, this class, custom.
 */
import { isEverything, LAST_MINUTES_MS, resolveWindow } from '../window';

const NOW = Date.parse('2026-03-02T10:30:00Z');

describe('resolveWindow', () => {
  it('is open at both ends for everything', () => {
    const window = resolveWindow('all', NOW);
    expect(window).toEqual({ since: null, until: null });
    expect(isEverything(window)).toBe(true);
  });

  it('starts 10 minutes ago for the last 10 minutes, open-ended', () => {
    expect(resolveWindow('last10', NOW)).toEqual({
      since: new Date(NOW - LAST_MINUTES_MS).toISOString(),
      until: null
    });
  });

  it('starts at local midnight for this class', () => {
    const since = resolveWindow('class', NOW).since as string;
    const midnight = new Date(NOW);
    midnight.setHours(0, 0, 0, 0);
    expect(Date.parse(since)).toBe(midnight.getTime());
    expect(isEverything(resolveWindow('class', NOW))).toBe(false);
  });

  it('takes the pickers for a custom window', () => {
    const custom = {
      since: '2026-03-01T09:00:00.000Z',
      until: '2026-03-01T11:00:00.000Z'
    };
    expect(resolveWindow('custom', NOW, custom)).toEqual(custom);
  });
});
