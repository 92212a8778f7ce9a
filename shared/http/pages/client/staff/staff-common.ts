/** What several staff pages share: links, badges, and reads that show their failure in the status line. */
import { request, type ApiResult } from '../common/api.ts';
import { h, showStatus, type Child } from '../common/dom.ts';
import { fieldErrorLines, label, problemText } from '../common/format.ts';
import { fillErrors } from '../common/dom.ts';
import type { Problem } from '../api-types.ts';

export const link = (href: string, text: string) => h('a', { href, text });
export const vendorLink = (id: string, name: string) => link(`/vendors/${encodeURIComponent(id)}`, name);
export const assessmentLink = (id: string, text: string) => link(`/assessments/${encodeURIComponent(id)}`, text);
export const badge = (value: string | null | undefined, prefix?: string): Child => h('span', { class: `badge ${prefix && value ? `${prefix}-${value}` : ''}`.trim(), text: label(value) });

/** A GET whose 404 means "nothing yet" (null); any other failure is shown in the status line and is null too. */
export async function load<T>(path: string): Promise<T | null> {
  const res = await request<T>('staff', 'GET', path);
  if (res.ok) return res.data;
  if (res.status !== 404) showStatus(problemText(res.problem), true);
  return null;
}

/** Shows a failed call's problem in the status line and its field errors in the list (when the form has one). */
export function showProblem(problem: Problem, listId?: string): void {
  showStatus(problemText(problem), true);
  if (listId) fillErrors(listId, fieldErrorLines(problem));
}

/** Runs a staff call; on success clears the error list and returns the data, else shows the problem and returns null. */
export async function call<T>(result: Promise<ApiResult<T>>, listId?: string): Promise<T | null> {
  const res = await result;
  if (!res.ok) {
    showProblem(res.problem, listId);
    return null;
  }
  if (listId) fillErrors(listId, []);
  return res.data;
}

/** A form's values by name; repeated names (checkboxes) become lists. */
export function formValues(form: HTMLFormElement): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  new FormData(form).forEach((value, key) => {
    const text = typeof value === 'string' ? value : value.name;
    const prior = out[key];
    out[key] = prior === undefined ? text : ([] as string[]).concat(prior, text);
  });
  return out;
}

/** One text value of a form (the first when repeated; "" when absent). */
export const textOf = (values: Record<string, string | string[]>, key: string): string => {
  const v = values[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
/** All values of a repeated field (checkboxes). */
export const listOf = (values: Record<string, string | string[]>, key: string): string[] => {
  const v = values[key];
  return v === undefined ? [] : ([] as string[]).concat(v);
};

let uidCounter = 0;
/** A fresh element id for generated forms. */
export const uid = (name: string) => `f-${name}-${++uidCounter}`;

/** A labelled field around a control that has an id. */
export const labelled = (labelText: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: control.id, text: labelText }), control);
