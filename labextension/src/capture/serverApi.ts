/**
 * What the capture asks its server: its capture settings (the consent API is
 * privacy/consentApi.ts).
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api';

/**
 * The server's capture settings; a server without the progress-tracker
 * server extension (404) means capture off, asked again at the next refresh.
 */
export async function fetchCaptureSettings(
  serverSettings: ServerConnection.ISettings
): Promise<unknown> {
  try {
    return await requestAPI<unknown>(serverSettings, 'settings');
  } catch (error) {
    if (
      error instanceof ServerConnection.ResponseError &&
      error.response.status === 404
    ) {
      return { captureEnabled: false };
    }
    throw error;
  }
}
