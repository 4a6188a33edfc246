/**
 * What the capture asks its server: the capture settings and the student's consent.
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api';
import type { IConsentApi } from '../privacy/consentSource';

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

/** The consent API of the server (`undefined` from a server without it). */
export function consentApi(
  serverSettings: ServerConnection.ISettings
): IConsentApi {
  return {
    get: async capturing => {
      try {
        return await requestAPI<unknown>(
          serverSettings,
          `consent?capturing=${capturing}`
        );
      } catch (error) {
        if (
          error instanceof ServerConnection.ResponseError &&
          error.response.status === 404
        ) {
          return undefined;
        }
        throw error;
      }
    },
    put: capture =>
      requestAPI<unknown>(serverSettings, 'consent', {
        method: 'PUT',
        body: JSON.stringify({ capture }),
        headers: { 'Content-Type': 'application/json' }
      })
  };
}
