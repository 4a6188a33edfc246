/**
 * Who the user is, asked of the server in the background (`GET api/v1/me`).
 */
import type { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { requestAPI } from '../../api';
import type { IMe } from '../types';

/** Options of a {@link RoleLookup}. */
export interface IRoleLookupOptions {
  /** `GET api/v1/me`; rejects with the response (as `ServerConnection.ResponseError` does). */
  fetchMe: () => Promise<IMe>;
  /** First retry delay and longest delay after failures, in ms. */
  retry?: { interval: number; max: number };
  logger?: { warn(message: string, ...details: unknown[]): void };
}

/**
 * Whether a failed lookup is worth trying again: the server could not be reached, or answered
 * that it could not answer now (5xx, 408, 429; e.g. the collector is restarting).
 */
export function isTemporaryFailure(reason: unknown): boolean {
  const status = (reason as { response?: { status?: unknown } } | null)
    ?.response?.status;
  return (
    typeof status !== 'number' ||
    status >= 500 ||
    status === 408 ||
    status === 429
  );
}

/**
 * The user's identity and role, looked up without holding anything up: JupyterLab starts
 * while the server (in forwarder mode, the collector behind it) takes its time. Temporary
 * failures are retried with backoff until the server answers.
 */
export class RoleLookup implements IDisposable {
  /**
   * Resolves with who the user is, or with `null` when the server refused to say (e.g. an
   * old server without the endpoint); never while the server cannot be reached.
   */
  readonly known: Promise<IMe | null>;

  constructor(options: IRoleLookupOptions) {
    const logger = options.logger ?? console;
    let settle!: (me: IMe | null) => void;
    this.known = new Promise(resolve => (settle = resolve));
    const retry = options.retry ?? { interval: 1000, max: 60_000 };
    this._poll = new Poll({
      factory: async () => {
        let me: IMe | null;
        try {
          me = await options.fetchMe();
        } catch (reason) {
          if (isTemporaryFailure(reason)) {
            throw reason; // the poll backs off and asks again
          }
          logger.warn(
            'progress-tracker: the server did not say whether this user is an instructor.',
            reason
          );
          me = null;
        }
        settle(me);
        this.dispose();
      },
      frequency: { interval: retry.interval, backoff: true, max: retry.max },
      name: 'progress-tracker:role',
      standby: 'never'
    });
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Stop asking. */
  dispose(): void {
    this._poll.dispose();
  }

  private _poll: Poll;
}

const shared = new WeakMap<ServerConnection.ISettings, RoleLookup>();

/**
 * The one lookup of the page's user on a server connection, shared by the plugins that offer
 * instructor commands (the dashboard, publishing): the server is asked once.
 */
export function sharedRoleLookup(
  settings: ServerConnection.ISettings
): RoleLookup {
  let lookup = shared.get(settings);
  if (!lookup) {
    lookup = new RoleLookup({ fetchMe: () => requestAPI<IMe>(settings, 'me') });
    shared.set(settings, lookup);
  }
  return lookup;
}
