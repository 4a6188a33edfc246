/**
 * The server's consent API as the consent source uses it: every course's
 * notice (`GET api/v1/consent/courses`), and a choice per course
 * (`PUT api/v1/consent?course=`).
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../api';
import type { IConsentApi } from './consentSource';

function isNotFound(error: unknown): boolean {
  return (
    error instanceof ServerConnection.ResponseError &&
    error.response.status === 404
  );
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
          `consent/courses?capturing=${capturing}`
        );
      } catch (error) {
        if (!isNotFound(error)) {
          throw error;
        }
      }
      try {
        // A collector of an earlier release: its one notice, of the home course.
        const state = await requestAPI<{ course?: unknown }>(
          serverSettings,
          `consent?capturing=${capturing}`
        );
        return { home: state?.course, courses: [state] };
      } catch (error) {
        if (isNotFound(error)) {
          return undefined;
        }
        throw error;
      }
    },
    put: (course, capture) =>
      requestAPI<unknown>(
        serverSettings,
        `consent?course=${encodeURIComponent(course)}`,
        {
          method: 'PUT',
          body: JSON.stringify({ capture }),
          headers: { 'Content-Type': 'application/json' }
        }
      )
  };
}
