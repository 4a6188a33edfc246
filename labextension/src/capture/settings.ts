/**
 * The capture settings the server hands out at `GET api/v1/settings`.
 */
import { matchesAny } from './glob';

/** What the capture plugin may record and send, and how often. */
export interface ICaptureSettings {
  /** Whether anything is captured at all. */
  captureEnabled: boolean;
  /** Whether the source of the executed cell is sent. */
  sendCode: boolean;
  /** Whether a short summary of the cell's output is sent. */
  sendResults: boolean;
  /** Whether the text of errors (`ename: evalue`) is sent. */
  sendErrorMessages: boolean;
  /** Globs of notebook paths to capture. */
  trackPatterns: string[];
  /** Globs of notebook paths never to capture (they win over `trackPatterns`). */
  ignorePatterns: string[];
  /** Most events per request. */
  maxBatchEvents: number;
  /** Longest time an event waits in the browser before a batch is sent, in ms. */
  flushIntervalMs: number;
  /**
   * How often an open notebook says it is still open (`notebook_heartbeat`), in seconds;
   * `null` from a server that does not announce it (one from before heartbeats, which would
   * refuse them): then none are sent.
   */
  heartbeatSeconds: number | null;
}

/** The server's documented defaults (docs/api.md). */
export const SERVER_DEFAULT_SETTINGS: Readonly<ICaptureSettings> = {
  captureEnabled: true,
  sendCode: true,
  sendResults: true,
  sendErrorMessages: true,
  trackPatterns: ['**'],
  ignorePatterns: [],
  maxBatchEvents: 100,
  flushIntervalMs: 2000,
  heartbeatSeconds: 60
};

/** The interval of a server that announces heartbeats with a value that is not a number. */
const DEFAULT_HEARTBEAT_SECONDS = 60;

/**
 * What is used while the server's settings are unknown because the endpoint
 * failed: executions are still counted, but no free text (code, outputs,
 * error messages) leaves the browser until the server has said it may.
 */
export const SAFE_DEFAULT_SETTINGS: Readonly<ICaptureSettings> = {
  ...SERVER_DEFAULT_SETTINGS,
  sendCode: false,
  sendResults: false,
  sendErrorMessages: false,
  heartbeatSeconds: null
};

const LIMITS = {
  maxBatchEvents: { min: 1, max: 1000 },
  flushIntervalMs: { min: 100, max: 10 * 60 * 1000 },
  heartbeatSeconds: { min: 10, max: 3600 }
};

function asBoolean(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function asPatterns(value: unknown, fallback: string[]): string[] {
  if (!Array.isArray(value)) {
    return [...fallback];
  }
  return value.filter(
    (item): item is string => typeof item === 'string' && item.length > 0
  );
}

function asBoundedNumber(
  value: unknown,
  fallback: number,
  bounds: { min: number; max: number }
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(bounds.max, Math.max(bounds.min, Math.round(value)));
}

/**
 * Read the server's answer into complete, sane settings.
 *
 * Missing or malformed fields take the value of `fallback`; numbers are
 * clamped to workable bounds.
 *
 * @param raw - the decoded JSON body of `GET api/v1/settings`
 * @param fallback - values for what the answer lacks
 */
export function parseSettings(
  raw: unknown,
  fallback: Readonly<ICaptureSettings> = SERVER_DEFAULT_SETTINGS
): ICaptureSettings {
  const data: Record<string, unknown> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  return {
    captureEnabled: asBoolean(data.captureEnabled, fallback.captureEnabled),
    sendCode: asBoolean(data.sendCode, fallback.sendCode),
    sendResults: asBoolean(data.sendResults, fallback.sendResults),
    sendErrorMessages: asBoolean(
      data.sendErrorMessages,
      fallback.sendErrorMessages
    ),
    trackPatterns: asPatterns(data.trackPatterns, fallback.trackPatterns),
    ignorePatterns: asPatterns(data.ignorePatterns, fallback.ignorePatterns),
    maxBatchEvents: asBoundedNumber(
      data.maxBatchEvents,
      fallback.maxBatchEvents,
      LIMITS.maxBatchEvents
    ),
    flushIntervalMs: asBoundedNumber(
      data.flushIntervalMs,
      fallback.flushIntervalMs,
      LIMITS.flushIntervalMs
    ),
    heartbeatSeconds:
      'heartbeatSeconds' in data
        ? asBoundedNumber(
            data.heartbeatSeconds,
            fallback.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS,
            LIMITS.heartbeatSeconds
          )
        : null
  };
}

/**
 * Whether events about the notebook at `path` may be captured.
 *
 * @param path - the notebook path relative to the server root
 * @param settings - the capture settings in force
 */
export function isTracked(
  path: string,
  settings: Readonly<ICaptureSettings>
): boolean {
  return (
    settings.captureEnabled &&
    matchesAny(path, settings.trackPatterns) &&
    !matchesAny(path, settings.ignorePatterns)
  );
}
