/**
 * The extension's translations, through JupyterLab's translator when there is one.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

/** The gettext domain of the extension's messages (its Python package's name). */
export const TRANSLATION_DOMAIN = 'progress_tracker';

/** The translator to use: JupyterLab's, or one that leaves texts in English. */
export function translatorOrNull(
  translator: ITranslator | null | undefined
): ITranslator {
  return translator ?? nullTranslator;
}

/** The extension's messages in the user's language. */
export function bundleOf(translator: ITranslator): TranslationBundle {
  return translator.load(TRANSLATION_DOMAIN);
}
