/**
 * The timer that re-renders the grid once its "just ran" highlights have expired
 * ({@link FLASH_MS} after the latest change).
 */
import { FLASH_MS } from './grid';

/** Re-renders, once, a little after the latest {@link FlashEnd.schedule}. */
export class FlashEnd {
  /** @param render - re-renders the grid */
  constructor(private readonly render: () => void) {}

  /** Re-render once the highlights shown now have expired (replaces a pending re-render). */
  schedule(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this.render();
    }, FLASH_MS + 50);
  }

  /** Cancel the pending re-render. */
  dispose(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
  }

  private _timer: ReturnType<typeof setTimeout> | null = null;
}
