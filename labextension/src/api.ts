/**
 * HTTP helpers for the progress-tracker server API, shared by the capture
 * plugin and the instructor dashboard.
 *
 * Every request goes through `ServerConnection.makeRequest`, which adds the
 * Jupyter token (`Authorization: token ...`) and the `_xsrf` cookie value
 * (`X-XSRFToken`), so the server authenticates these calls like JupyterLab's own.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Path of the API, relative to the Jupyter server's base URL. */
export const API_PREFIX = 'api/v1';

/**
 * The absolute URL of an API endpoint.
 *
 * @param endPoint - path below `api/v1`, e.g. `events` or `executions?notebook=a.ipynb`
 * @param settings - the server connection settings (JupyterLab's by default)
 */
export function apiUrl(
  endPoint: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): string {
  return URLExt.join(settings.baseUrl, API_PREFIX, endPoint);
}

/**
 * Send a request to the API and return the raw response, whatever its status.
 *
 * @throws ServerConnection.NetworkError when the server cannot be reached
 */
export function fetchAPI(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Response> {
  return ServerConnection.makeRequest(
    apiUrl(endPoint, settings),
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
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const response = await fetchAPI(endPoint, init, settings);
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
