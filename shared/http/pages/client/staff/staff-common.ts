/** What several staff pages share: links, badges, and reads that show their failure in the status line. */
import { request, type ApiResult } from '../common/api.ts';
import { h, showStatus, type Child } from '../common/dom.ts';
import { fieldErrorLines, label, problemText } from '../common/format.ts';
import { fillErrors } from '../common/dom.ts';
import { clearFieldErrors, showFieldErrors } from '../common/field-errors.ts';
import type { Problem, RegisterExportView } from '../api-types.ts';
import { nextReviewState, ratingClass, ratingText, type RegisterExport } from './staff-logic.ts';

export const link = (href: string, text: string) => h('a', { href, text });
export const vendorLink = (id: string, name: string) => link(`/vendors/${encodeURIComponent(id)}`, name);
export const assessmentLink = (id: string, text: string) => link(`/assessments/${encodeURIComponent(id)}`, text);
export const badge = (value: string | null | undefined, prefix?: string): Child => h('span', { class: `badge ${prefix && value ? `${prefix}-${value}` : ''}`.trim(), text: label(value) });

/** A rating's badge: "Unrated" in a neutral badge when there is none. */
export const ratingBadge = (rating: string | null | undefined): HTMLElement => h('span', { class: `badge ${ratingClass(rating)}`, text: ratingText(rating) });

/** A next review date, with an "Overdue" marker in words (not colour only) when the date has come. */
export function nextReviewCell(date: string | null | undefined, today: string): Child {
  const state = nextReviewState(date, today);
  return state.overdue ? h('span', { class: 'review-overdue' }, `${state.text} `, h('span', { class: 'badge overdue', text: 'Overdue' })) : state.text;
}

/**
 * A button that downloads a CSV of the register, of any size: it asks for an export (`POST /api/risk-register/exports`),
 * reads the job until the file is written, then follows its signed link (an attachment: the browser saves it). The
 * button stays disabled meanwhile, so a second click does not start a second export.
 */
export function exportButton(exported: RegisterExport, id?: string): HTMLElement {
  const button = h('button', { type: 'button', id, text: exported.label });
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      try {
        showStatus('Preparing the CSV…');
        const started = await request<RegisterExportView>('staff', 'POST', '/api/risk-register/exports', exported.query);
        if (!started.ok) return showStatus(problemText(started.problem), true);
        let job = started.data;
        for (let wait = 250; job.status === 'queued' || job.status === 'running'; wait = Math.min(wait * 2, 2000)) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          const read = await request<RegisterExportView>('staff', 'GET', `/api/risk-register/exports/${encodeURIComponent(job.id)}`);
          if (!read.ok) return showStatus(problemText(read.problem), true);
          job = read.data;
        }
        if (job.status === 'failed' || !job.downloadUrl) return showStatus(`The export failed: ${job.error ?? 'no file was written'}. Try again.`, true);
        followDownload(job.downloadUrl, job.fileName);
        showStatus(`Downloaded ${job.fileName} (${job.lines ?? 0} vendor${job.lines === 1 ? '' : 's'}).`);
      } finally {
        button.disabled = false;
      }
    })();
  });
  return h('span', { class: 'export' }, button, exported.note ? h('span', { class: 'muted export-note', text: ` ${exported.note}` }) : null);
}

/** Follows a signed download link; its answer is an attachment, so the page stays where it is. */
function followDownload(url: string, fileName: string): void {
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Runs a form's call: on failure the problem's field errors go next to their controls in words (aria-invalid, focus on
 * the first) and the rest, with the problem's title, to the form's summary list; on success they are cleared.
 */
export async function submitForm<T>(
  form: HTMLFormElement,
  result: Promise<ApiResult<T>>,
  options: { summaryListId: string; aliases?: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>> },
): Promise<T | null> {
  const res = await result;
  if (res.ok) {
    clearFieldErrors(form, options.summaryListId);
    return res.data;
  }
  showStatus(problemText(res.problem), true);
  showFieldErrors(form, res.problem, options);
  return null;
}

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
