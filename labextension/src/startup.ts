/**
 * How long the plugins take to activate, recorded in the page's performance timeline
 * (`performance.getEntriesByName('progress-tracker:capture:activate')`); `bench/lab_startup.py`
 * reads the figures back.
 */

/**
 * Run a plugin's `activate` body and record its duration as a `performance.measure` named
 * `name`.
 */
export function measureActivation<T>(name: string, activate: () => T): T {
  const start = `${name}:start`;
  performance.mark(start);
  try {
    return activate();
  } finally {
    performance.measure(name, start);
  }
}
