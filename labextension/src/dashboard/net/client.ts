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

/** Who the current user is (`GET api/v1/me`). */
export function fetchMe(): Promise<IMe> {
  return requestAPI<IMe>('me');
}

/** The class's progress in a notebook (the most recently active one when `null`). */
export function fetchProgress(
  notebook: string | null
): Promise<IProgressSnapshot> {
  return requestAPI<IProgressSnapshot>(withQuery('progress', { notebook }));
}

/** A student's runs in a notebook, oldest first. */
export function fetchExecutions(
  notebook: string,
  user: string,
  limit = 500
): Promise<IExecutionsResponse> {
  return requestAPI<IExecutionsResponse>(
    withQuery('executions', { notebook, user, limit })
  );
}

/** The distinct errors of each cell of a notebook. */
export function fetchErrors(notebook: string): Promise<IErrorsResponse> {
  return requestAPI<IErrorsResponse>(withQuery('errors', { notebook }));
}

/** Executions, errors and progress over time. */
export function fetchPace(
  notebook: string,
  bucketSeconds = 60
): Promise<IPaceResponse> {
  return requestAPI<IPaceResponse>(
    withQuery('pace', { notebook, bucket: bucketSeconds })
  );
}

/**
 * Fetch a CSV export with the user's credentials.
 *
 * @throws ServerConnection.ResponseError on a non-2xx answer
 */
export async function fetchExport(options: IExportOptions): Promise<Blob> {
  const response = await fetchAPI(
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
