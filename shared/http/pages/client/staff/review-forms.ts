/**
 * The review page's forms say what is wrong where it is wrong: a refused request's field errors go next to their
 * controls (aria-invalid, focus on the first), anything else to the form's list; success goes to the panel's own
 * status line, which stays in view where the form was.
 */
import type { ApiResult } from '../common/api.ts';
import { fill, fillErrors, h, showStatus, type Child } from '../common/dom.ts';
import { clearFieldErrors, showFieldErrors } from '../common/field-errors.ts';
import { problemText } from '../common/format.ts';
import { formValues, uid } from './staff-common.ts';

/** Says something in a panel's status line (and clears the page's error line, which an earlier failure may hold). */
export function say(statusId: string, message: string): void {
  showStatus('');
  fill(statusId, message);
}

/**
 * Sends a form's request and shows the outcome: null with the errors placed when refused, the data otherwise.
 * `aliases` maps an API path to a control name when they differ.
 */
export async function submitForm<T>(form: HTMLFormElement, errorsId: string, send: () => Promise<ApiResult<T>>, aliases?: Readonly<Record<string, string>>): Promise<T | null> {
  clearFieldErrors(form, errorsId);
  const res = await send();
  if (res.ok) return res.data;
  showStatus(problemText(res.problem), true);
  const shown = showFieldErrors(form, res.problem, { summaryListId: errorsId, ...(aliases ? { aliases } : {}) });
  if (!shown) {
    fillErrors(errorsId, [problemText(res.problem)]);
    document.getElementById(errorsId)?.scrollIntoView({ block: 'center' });
  }
  return null;
}

/**
 * A folded form (details/summary) with its own error list. `send` gets the form's values and makes the request;
 * `done` runs with the answer when it succeeded.
 */
export function foldedForm<T>(
  summary: string,
  fields: Child,
  send: (values: Record<string, string | string[]>) => Promise<ApiResult<T>>,
  done: (data: T) => void,
  options: { open?: boolean; submitText?: string } = {},
): HTMLElement {
  const errorsId = uid('errors');
  const form = h('form', { class: 'stack', novalidate: true }, fields, h('ul', { id: errorsId, class: 'errors', 'aria-live': 'assertive' }), h('button', { type: 'submit', text: options.submitText ?? summary }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submitForm(form, errorsId, () => send(formValues(form))).then((data) => {
      if (data !== null) done(data);
    });
  });
  return h('details', { open: options.open ?? false }, h('summary', { text: summary }), form);
}
