/**
 * The dashboard's calls to the progress-tracker API.
 */
import { ServerConnection } from '@jupyterlab/services';
import { fetchAPI, requestAPI } from '../../api';
import type { IDrilldown } from '../model/drilldown';
import type { Selection } from '../model/picker';
import type { IReplayPage } from '../model/replay';
import { windowQuery } from '../model/windowscope';
import { readCompact } from './compact';
import { withQuery } from './query';
import {
  IAssignmentsResponse,
  IErrorsResponse,
  IExecutionsResponse,
  IMe,
  IPaceResponse,
  IProgressSnapshot
} from '../types';

/** The parameters of a CSV export. */
export interface IExportOptions {
  /** The assignment or notebook exported, `null` for everything. */
  selection: Selection | null;
  /** ISO time, inclusive. */
  since?: string | null;
  /** ISO time, exclusive. */
  until?: string | null;
  pseudonymise: boolean;
}

/**
 * The API as the dashboard sees it, on the application's server connection.
 */
export class DashboardClient {
  /**
   * @param serverSettings - the application's (`app.serviceManager.serverSettings`)
   */
  constructor(readonly serverSettings: ServerConnection.ISettings) {}

  /** Who the current user is (`GET api/v1/me`). */
  me(): Promise<IMe> {
    return this._get<IMe>('me');
  }

  /** The operator's settings (`GET api/v1/settings`), undecoded: the dashboard reads a few. */
  settings(): Promise<unknown> {
    return this._get<unknown>('settings');
  }

  /**
   * The class's progress in an assignment or notebook (the most recently active one when
   * `null`), in the compact form, gzipped by the server: `onPage` gets what arrived so far
   * after each page of students, so the first screen is drawn before a large class has
   * arrived.
   *
   * @throws ServerConnection.ResponseError on a non-2xx answer
   */
  async progress(
    selection: Selection | null,
    onPage?: (partial: IProgressSnapshot) => void
  ): Promise<IProgressSnapshot> {
    const response = await fetchAPI(
      this.serverSettings,
      withQuery('progress', {
        ...selection,
        form: 'compact',
        pageSize: PAGE_SIZE
      })
    );
    if (!response.ok) {
      await throwResponseError(response);
    }
    return readCompact(response, onPage);
  }

  /** The assignments of the user's courses (`GET api/v1/assignments`). */
  assignments(): Promise<IAssignmentsResponse> {
    return this._get<IAssignmentsResponse>('assignments');
  }

  /** A student's runs in an assignment or notebook, oldest first. */
  executions(
    selection: Selection,
    user: string,
    limit = 500
  ): Promise<IExecutionsResponse> {
    return this._get<IExecutionsResponse>(
      withQuery('executions', { ...selection, user, limit })
    );
  }

  /** The distinct errors of each cell of an assignment or notebook. */
  errors(selection: Selection): Promise<IErrorsResponse> {
    return this._get<IErrorsResponse>(withQuery('errors', { ...selection }));
  }

  /** How many students capture, opted out or are not reporting (`api/v1/consent/counts`). */
  captureCounts(): Promise<unknown> {
    return this._get<unknown>('consent/counts');
  }

  /** Executions, errors and progress over time. */
  pace(selection: Selection, bucketSeconds = 60): Promise<IPaceResponse> {
    return this._get<IPaceResponse>(
      withQuery('pace', { ...selection, bucket: bucketSeconds })
    );
  }

  /**
   * Fetch a CSV export with the user's credentials.
   *
   * @throws ServerConnection.ResponseError on a non-2xx answer
   */
  async export(options: IExportOptions): Promise<Blob> {
    const response = await fetchAPI(
      this.serverSettings,
      withQuery('export.csv', {
        ...options.selection,
        since: options.since,
        until: options.until,
        pseudonymise: options.pseudonymise ? 1 : 0
      })
    );
    if (!response.ok) {
      await throwResponseError(response);
    }
    return response.blob();
  }

  /** The open raised hands of the user's scope, undecoded (`GET api/v1/help`). */
  helpQueue(): Promise<unknown> {
    return this._get<unknown>('help');
  }

  /**
   * Claim (`someone is coming`) or resolve a raised hand; the entry as changed, undecoded.
   *
   * @throws ServerConnection.ResponseError on a non-2xx answer (403, 404, 409 resolved already)
   */
  changeHelp(id: number, action: 'claim' | 'resolve'): Promise<unknown> {
    return requestAPI<unknown>(this.serverSettings, `help/${id}/${action}`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' }
    });
  }

  /** Every student's latest attempt at one cell, with their struggle signals. */
  cellLatest(selection: Selection, cellId: string): Promise<IDrilldown> {
    return this._get<IDrilldown>(
      withQuery('cells/latest', { ...selection, cell: cellId })
    );
  }

  /**
   * One page of the runs of a time window, in time order (`GET api/v1/replay`); pass the
   * page's `next` as `after` for the following one.
   */
  replay(
    selection: Selection,
    window: { since: string | null; until: string | null },
    after: string | null = null
  ): Promise<IReplayPage> {
    return this._get<IReplayPage>(
      withQuery('replay', { ...selection, ...window, after })
    );
  }

  /** The distinct errors of each cell, of the runs within a time window (`api/v1/errors`). */
  errorsWithin(
    selection: Selection,
    window: { since: string | null; until: string | null }
  ): Promise<IErrorsResponse> {
    return this._get<IErrorsResponse>(
      withQuery('errors', { ...selection, ...windowQuery(window) })
    );
  }

  /** A student's runs within a time window, oldest first (`api/v1/executions`). */
  executionsWithin(
    selection: Selection,
    user: string,
    window: { since: string | null; until: string | null },
    limit = 500
  ): Promise<IExecutionsResponse> {
    return this._get<IExecutionsResponse>(
      withQuery('executions', {
        ...selection,
        user,
        limit,
        ...windowQuery(window)
      })
    );
  }

  private _get<T>(endPoint: string): Promise<T> {
    return requestAPI<T>(this.serverSettings, endPoint);
  }
}

/** Students per page of a snapshot: about a screen of them. */
export const PAGE_SIZE = 100;

/** Throw the server's error message (or the status text) of a failed answer. */
async function throwResponseError(response: Response): Promise<never> {
  let message = response.statusText;
  try {
    message =
      ((await response.json()) as { message?: string }).message ?? message;
  } catch {
    // Not JSON: keep the status text.
  }
  throw new ServerConnection.ResponseError(response, message);
}

/** Hand a blob to the browser as a file download. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
