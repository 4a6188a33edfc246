/**
 * A student's code, read-only and highlighted by JupyterLab's own editor (CodeMirror, through
 * the application's `IEditorServices`), or as plain text where JupyterLab offers no editor.
 */
import { CodeEditor, IEditorServices } from '@jupyterlab/codeeditor';
import { el } from './dom';

/** Python as a notebook's code cells hold it. */
const MIME_TYPE = 'text/x-ipython';

let editorServices: IEditorServices | null = null;

/** The application's editor services (given by the dashboard plugin when JupyterLab has them). */
export function provideEditorServices(services: IEditorServices | null): void {
  editorServices = services;
}

/** A read-only view of some code; dispose it with its element. */
export interface ICodeBlock {
  readonly node: HTMLElement;
  dispose(): void;
}

/** A read-only, highlighted view of `code`. */
export function codeBlock(code: string, label: string): ICodeBlock {
  const host = el('div', {
    className: 'pt-drill-code',
    attrs: { role: 'region', 'aria-label': label }
  });
  if (editorServices === null) {
    host.appendChild(el('pre', { className: 'pt-code', text: code }));
    return { node: host, dispose: () => undefined };
  }
  const model = new CodeEditor.Model({ mimeType: MIME_TYPE });
  model.sharedModel.setSource(code);
  const editor = editorServices.factoryService.newInlineEditor({
    host,
    model,
    config: { readOnly: true, lineNumbers: true }
  });
  // CodeMirror's content is a `textbox` of its own, which needs a name of its own too (WCAG
  // 4.1.2); CodeMirror keeps attributes it did not set itself.
  host.querySelector('.cm-content')?.setAttribute('aria-label', label);
  return {
    node: host,
    dispose: () => {
      editor.dispose();
      model.dispose();
    }
  };
}
