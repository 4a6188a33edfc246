/**
 * The CSV export of what the dashboard shows, downloaded by the browser.
 */
import { exportFileName, Texts } from '../model/format';
import type { ProgressModel } from '../model/state';
import { DashboardClient, downloadBlob, IExportOptions } from '../net/client';
import type { Toolbar } from './toolbar';

/**
 * Export the selected assignment or notebook (named after the assignment's title or the
 * notebook's file), with the toolbar's button busy meanwhile.
 *
 * @param report - shows a failure to the instructor
 */
export async function exportShown(
  client: Pick<DashboardClient, 'export'>,
  model: ProgressModel,
  options: Omit<IExportOptions, 'selection'>,
  toolbar: Toolbar,
  texts: Texts,
  report: (text: string) => void
): Promise<void> {
  const name = model.assignment?.title || model.notebook;
  toolbar.setExporting(true);
  try {
    const blob = await client.export({
      selection: model.selection,
      ...options
    });
    downloadBlob(blob, exportFileName(name));
  } catch (reason) {
    report(texts.failure(texts.trans.__('The export failed'), reason));
  } finally {
    toolbar.setExporting(false);
  }
}
