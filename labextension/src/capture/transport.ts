/**
 * Sends outbox batches to `POST api/v1/events`.
 */
import { ServerConnection } from '@jupyterlab/services';

import { fetchAPI } from '../api';
import { parseRetryAfter } from '../backoff';
import type { ICaptureEvent } from './events';
import type { IOutboxTransport, ISendResult } from './outbox';

/**
 * The outbox transport of a JupyterLab page.
 *
 * Requests go through `ServerConnection.makeRequest`, so they carry the
 * Jupyter token and the `X-XSRFToken` header read from the `_xsrf` cookie.
 * While the page goes away the request is made with `keepalive: true`, which
 * `makeRequest` passes on to `fetch`, so the browser completes it after the
 * page is gone.
 */
export class EventsTransport implements IOutboxTransport<ICaptureEvent> {
  constructor(
    private readonly serverSettings: ServerConnection.ISettings,
    private readonly onSent: (
      events: readonly ICaptureEvent[]
    ) => void = () => {}
  ) {}

  async send(
    events: readonly ICaptureEvent[],
    options: { keepalive: boolean }
  ): Promise<ISendResult> {
    const response = await fetchAPI(this.serverSettings, 'events', {
      method: 'POST',
      body: JSON.stringify(events),
      headers: { 'Content-Type': 'application/json' },
      keepalive: options.keepalive
    });
    let body: unknown = undefined;
    try {
      body = await response.json();
    } catch {
      // No JSON body (e.g. a proxy's error page).
    }
    if (response.status >= 200 && response.status < 300) {
      this.onSent(events);
    }
    return {
      status: response.status,
      retryAfterMs: parseRetryAfter(
        response.headers.get('Retry-After'),
        Date.now()
      ),
      body
    };
  }
}
