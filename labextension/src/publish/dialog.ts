/**
 * The publish dialog's body: the course (of those the user teaches) and the title.
 */
import { Dialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { IPublishCourse } from './courses';

/** What the instructor chose. */
export interface IPublishChoice {
  course: string;
  title: string;
}

/**
 * A form with a course selector and a title field; every text is set as text, never markup.
 */
export class PublishForm
  extends Widget
  implements Dialog.IBodyWidget<IPublishChoice>
{
  constructor(
    trans: TranslationBundle,
    courses: readonly IPublishCourse[],
    proposed: IPublishChoice
  ) {
    super();
    this.addClass('pt-publish-form');
    this._course = document.createElement('select');
    this._course.className = 'pt-publish-course jp-mod-styled';
    for (const course of courses) {
      const option = document.createElement('option');
      option.value = course.id;
      option.textContent =
        course.title === course.id
          ? course.id
          : trans.__('%1 (%2)', course.title, course.id);
      this._course.appendChild(option);
    }
    this._course.value = proposed.course;
    this._title = document.createElement('input');
    this._title.className = 'pt-publish-title jp-mod-styled';
    this._title.type = 'text';
    this._title.value = proposed.title;
    this._title.maxLength = 200;
    this.node.appendChild(field(trans.__('Course'), this._course));
    this.node.appendChild(field(trans.__('Title'), this._title));
  }

  /** The choice, the title trimmed (empty when the instructor left it blank). */
  getValue(): IPublishChoice {
    return { course: this._course.value, title: this._title.value.trim() };
  }

  protected onAfterAttach(): void {
    this._title.focus();
    this._title.select();
  }

  private _course: HTMLSelectElement;
  private _title: HTMLInputElement;
}

function field(text: string, control: HTMLElement): HTMLElement {
  const label = document.createElement('label');
  label.className = 'pt-publish-field';
  const caption = document.createElement('span');
  caption.textContent = text;
  label.appendChild(caption);
  label.appendChild(control);
  return label;
}
