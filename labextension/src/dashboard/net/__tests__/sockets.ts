/**
 * A WebSocket double whose server side the test plays.
 */
import type { ISocketLike } from '../live';

/** A socket the test opens, feeds messages and drops. */
export class FakeSocket implements ISocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  send(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }
}
