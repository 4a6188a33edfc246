/**
 * HTTP helpers for the progress-tracker server API, shared by the capture
 * plugin and the instructor dashboard.
 *
 * Every request goes through `ServerConnection.makeRequest`, which adds the
 * Jupyter token (`Authorization: token ...`) and the `_xsrf` cookie value
 * (`X-XSRFToken`), so the server authenticates these calls like JupyterLab's own.
 * The settings are always the application's (`app.serviceManager.serverSettings`):
 * settings made up here would miss what JupyterLab was configured with (base URL,
 * token, custom fetch and WebSocket, request defaults).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Path of the API, relative to the Jupyter server's base URL. */
export const API_PREFIX = 'api/v1';

/**
 * The absolute URL of an API endpoint.
 *
 * @param settings - the application's server connection settings
 * @param endPoint - path below `api/v1`, e.g. `events` or `executions?notebook=a.ipynb`
 */
export function apiUrl(
  settings: ServerConnection.ISettings,
  endPoint: string
): string {
  return URLExt.join(settings.baseUrl, API_PREFIX, endPoint);
}

/**
 * Send a request to the API and return the raw response, whatever its status.
 *
 * @throws ServerConnection.NetworkError when the server cannot be reached
 */
export function fetchAPI(
  settings: ServerConnection.ISettings,
  endPoint: string,
  init: RequestInit = {}
): Promise<Response> {
  return ServerConnection.makeRequest(
    apiUrl(settings, endPoint),
    init,
    settings
  );
}

/**
 * Call the API and return the decoded JSON answer.
 *
 * @throws ServerConnection.ResponseError on a non-2xx answer
 * @throws ServerConnection.NetworkError when the server cannot be reached
 */
export async function requestAPI<T>(
  settings: ServerConnection.ISettings,
  endPoint: string,
  init: RequestInit = {}
): Promise<T> {
  const response = await fetchAPI(settings, endPoint, init);
  const text = await response.text();
  let data: any = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
  }
  if (!response.ok) {
    throw new ServerConnection.ResponseError(response, data?.message ?? text);
  }
  return data as T;
}
