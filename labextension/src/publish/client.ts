/**
 * The publish command's call: `POST api/v1/assignments`, through the application's server
 * connection (so the Jupyter token and the XSRF header go with it, as with every API call).
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api';
import type { IPublishedCell } from './structure';

/** The body of `POST api/v1/assignments`. */
export interface IPublishRequest {
  course: string;
  title: string;
  /** The notebook's path, relative to the server root. */
  path: string;
  /** The assignment's id (kept in the notebook's metadata), `null` to let the server choose. */
  assignmentId: string | null;
  cells: IPublishedCell[];
}

/** The server's answer: the assignment as registered. */
export interface IPublishResult {
  assignmentId: string;
  course: string;
  title: string;
  version: number;
  cells: IPublishedCell[];
}

/**
 * Register (201) or update (200) an assignment.
 *
 * @throws ServerConnection.ResponseError with the server's message on a refusal (403, 422)
 */
export function publishAssignment(
  settings: ServerConnection.ISettings,
  request: IPublishRequest
): Promise<IPublishResult> {
  return requestAPI<IPublishResult>(settings, 'assignments', {
    method: 'POST',
    body: JSON.stringify(request),
    headers: { 'Content-Type': 'application/json' }
  });
}
