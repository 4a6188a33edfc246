/**
 * The dashboard's calls to the progress-tracker API.
 */
import { ServerConnection } from '@jupyterlab/services';
import { fetchAPI, requestAPI } from '../../api';
import { withQuery } from './query';
import {
  IErrorsResponse,
  IExecutionsResponse,
  IMe,
  IPaceResponse,
  IProgressSnapshot
} from '../types';

/** The parameters of a CSV export. */
export interface IExportOptions {
  notebook: string | null;
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

  /** The class's progress in a notebook (the most recently active one when `null`). */
  progress(notebook: string | null): Promise<IProgressSnapshot> {
    return this._get<IProgressSnapshot>(withQuery('progress', { notebook }));
  }

  /** A student's runs in a notebook, oldest first. */
  executions(
    notebook: string,
    user: string,
    limit = 500
  ): Promise<IExecutionsResponse> {
    return this._get<IExecutionsResponse>(
      withQuery('executions', { notebook, user, limit })
    );
  }

  /** The distinct errors of each cell of a notebook. */
  errors(notebook: string): Promise<IErrorsResponse> {
    return this._get<IErrorsResponse>(withQuery('errors', { notebook }));
  }

  /** How many students capture, opted out or are not reporting (`api/v1/consent/counts`). */
  captureCounts(): Promise<unknown> {
    return this._get<unknown>('consent/counts');
  }

  /** Executions, errors and progress over time. */
  pace(notebook: string, bucketSeconds = 60): Promise<IPaceResponse> {
    return this._get<IPaceResponse>(
      withQuery('pace', { notebook, bucket: bucketSeconds })
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
        notebook: options.notebook,
        since: options.since,
        until: options.until,
        pseudonymise: options.pseudonymise ? 1 : 0
      })
    );
    if (!response.ok) {
      let message = response.statusText;
      try {
        message =
          ((await response.json()) as { message?: string }).message ?? message;
      } catch {
        // Not JSON: keep the status text.
      }
      throw new ServerConnection.ResponseError(response, message);
    }
    return response.blob();
  }

  private _get<T>(endPoint: string): Promise<T> {
    return requestAPI<T>(this.serverSettings, endPoint);
  }
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
