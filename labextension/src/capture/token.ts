/**
 * The capture service as other plugins of the extension receive it (the help plugin sends its
 * raised hands through the same outbox, settings and consent).
 */
import { Token } from '@lumino/coreutils';

import type { CaptureService } from './service';

/** The page's capture service, provided by the capture plugin. */
export const ICaptureService = new Token<CaptureService>(
  'progress-tracker:ICaptureService',
  'The capture of this JupyterLab page: its outbox, capture settings and consent.'
);
