/**
 * The vendor portal (docs/adr/0004-web-ui.md). The link's token arrives in the URL fragment (never sent to a server);
 * the confirm page keeps it in sessionStorage only when the person presses the button, and strips it from the
 * address bar. The questionnaire page shows nothing to press until the assessment has arrived; then it autosaves,
 * shows and hides questions as the answers change (with the domain's own visibility rules), keeps each section's
 * status and the progress bar by the server's own counting, checks and sends documents, and submits. A reassessment
 * opens with the answers of the last approved assessment marked "from <date>", a section at a time to confirm
 * unchanged or edit, and the evidence carried over or asked for again with the reason. After submitting, the answers
 * read as text.
 */
import type { Question, QuestionnaireTemplate, Section } from '../../../../domain/questionnaire/template-schema.ts';
import type { AnswerEntry, DocumentKind, ImportedAnswers, PortalDocument, PortalView, Problem, SavedDraft, Submitted } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, fill, fillErrors, h, showStatus } from '../common/dom.ts';
import { clearFieldErrors, showFieldErrors } from '../common/field-errors.ts';
import { fieldErrorLines, label, problemText } from '../common/format.ts';
import { getToken, setToken } from '../common/session.ts';
import {
  answerText,
  csvTemplate,
  documentFacts,
  documentStatusText,
  entryFrom,
  fileProblems,
  hiddenAnswerIds,
  missingAnswers,
  overallProgress,
  placeSubmitErrors,
  progressOf,
  sectionStates,
  sectionStatusText,
  sectionTone,
  statusesOf,
  tipFor,
  unitOf,
  uploadedSinceText,
  type MissingAnswer,
  type SectionReview,
} from './portal-logic.ts';
import { uploadDocument } from './upload.ts';

const PORTAL_TOKEN_IN_FRAGMENT = /[#&]token=(tgp_[A-Za-z0-9_-]{43})/;
const SAVE_DELAY_MS = 600;
const DOCUMENT_KINDS_ALLOWED: readonly string[] = ['soc2-report', 'bridge-letter', 'iso-certificate', 'other'];
const MISSING_MESSAGE = 'This question needs an answer before you submit.';

/** The confirm page of the mailed link. */
export function openPage(): void {
  const match = PORTAL_TOKEN_IN_FRAGMENT.exec(location.hash);
  const button = byId('open-assessment', HTMLButtonElement);
  if (!match?.[1]) {
    if (getToken('portal')) {
      button.hidden = false;
      button.addEventListener('click', () => location.assign('/portal'));
      return;
    }
    showStatus('This link is incomplete. Open the full link from the invitation mail.', true);
    return;
  }
  const token = match[1];
  button.hidden = false;
  button.addEventListener('click', () => {
    setToken('portal', token);
    history.replaceState(null, '', location.pathname);
    location.assign('/portal');
  });
}

interface PortalState {
  view: PortalView;
  answers: Record<string, Record<string, AnswerEntry>>;
  /** Answers changed since the last save, by template: null removes one. */
  pending: Record<string, Record<string, AnswerEntry | null>>;
  timer: ReturnType<typeof setTimeout> | undefined;
  saving: Promise<void> | null;
  /** Questions shown with a "needs an answer" error, as `templateId/questionId`. */
  errors: Set<string>;
  /** Carried answers changed on this page (no longer "from <date>"), as `templateId/questionId`. */
  changedHere: Set<string>;
  /** The list of what is still open (after "Review and submit") is on screen. */
  openListShown: boolean;
}

let state: PortalState | null = null;

const templatesOf = (view: PortalView): QuestionnaireTemplate[] => view.questionnaires.map((q) => q.template);
const blockId = (tid: string, qid: string) => `qb-${tid}-${qid}`;
const fieldId = (tid: string, qid: string) => `q-${tid}-${qid}`;
const sectionDomId = (tid: string, sid: string) => `sec-${tid}-${sid}`;
const key = (tid: string, qid: string) => `${tid}/${qid}`;
const reviewsOf = (s: PortalState, tid: string): Record<string, SectionReview> => s.view.carriedOver?.sections[tid] ?? {};

/** The questionnaire page. */
export function portalPage(): void {
  if (!getToken('portal')) {
    byId('portal-loading').hidden = true;
    showStatus('Open the assessment with the link from your invitation mail.', true);
    return;
  }
  wireUploads();
  wireImport();
  wireSubmit();
  void reload();
}

async function reload(): Promise<void> {
  const res = await request<PortalView>('portal', 'GET', '/api/portal/assessment');
  byId('portal-loading').hidden = true;
  if (!res.ok) {
    fill('questionnaire', null);
    for (const id of ['progress-area', 'sections-nav', 'uploads', 'import', 'submit-area']) byId(id).hidden = true;
    showStatus(problemText(res.problem), true);
    return;
  }
  const view = res.data;
  state = {
    view,
    answers: Object.fromEntries(view.questionnaires.map((q) => [q.template.id, { ...q.answers }])),
    pending: {},
    timer: undefined,
    saving: null,
    errors: new Set(),
    changedHere: new Set(),
    openListShown: false,
  };
  render(state);
}

function render(s: PortalState): void {
  const v = s.view;
  const carried = v.carriedOver;
  fill(document.querySelector('h1'), `Security assessment for ${v.vendorName}`);
  fill('portal-head', [
    h('p', null, v.locked ? `Due ${v.dueDate}.` : `Due ${v.dueDate}. Your answers save as you go; you can close this page and come back with the same link.`),
    v.changesRequested ? h('div', { class: 'tip', id: 'changes-requested', role: 'note' }, h('strong', { text: 'Changes requested: ' }), v.changesRequested) : null,
    carried && !v.locked
      ? h(
          'div',
          { class: 'tip carried-note', id: 'carried-note', role: 'note' },
          h('p', null, h('strong', { text: `Your answers from ${carried.answeredOn} are filled in. ` }), 'Open each section and press “Confirm unchanged” if its answers still hold, or change the answers that no longer do.'),
        )
      : null,
    v.locked ? h('p', { class: 'locked-note', id: 'locked-note', text: 'Submitted. Thank you: the answers are read-only now.' }) : null,
  ]);
  const nav: HTMLElement[] = [];
  const blocks: HTMLElement[] = [];
  for (const { template } of v.questionnaires) {
    blocks.push(h('h2', { id: `tpl-${template.id}`, text: template.title }));
    for (const section of template.sections) {
      const sid = sectionDomId(template.id, section.id);
      nav.push(
        h(
          'li',
          { 'data-section': sid },
          h('a', { href: `#${sid}`, text: section.title, onclick: () => openSection(sid) }),
          h('span', { class: 'nav-status', id: `${sid}-nav-status` }),
        ),
      );
      blocks.push(sectionBlock(s, template.id, section));
    }
  }
  fill('sections-nav', h('ul', null, nav));
  fill('questionnaire', blocks);
  for (const id of ['progress-area', 'sections-nav', 'uploads', 'submit-area']) byId(id).hidden = false;
  byId('import').hidden = v.locked;
  byId('upload-form').hidden = v.locked;
  byId('review-submit').hidden = v.locked;
  byId('confirm-submit').hidden = true;
  const done = byId('submit-done');
  done.hidden = !v.locked;
  fill(done, v.locked ? 'Submitted. Thank you: security reviews your answers and documents now. The answers are read-only; your contact writes if anything more is needed.' : null);
  // A fresh view (after an import or a submission): the list of what was open is recomputed on the next review.
  fill('missing', null);
  fillErrors('submit-errors', []);
  fill('f-csv-template', v.questionnaires.map((q) => h('option', { value: q.template.id, text: q.template.title })));
  renderDocuments(s);
  refreshVisibility(s);
  updateProgress(s);
}

function sectionBlock(s: PortalState, tid: string, section: Section): HTMLElement {
  const sid = sectionDomId(tid, section.id);
  const review = reviewsOf(s, tid)[section.id];
  const carried =
    review !== undefined && !s.view.locked
      ? h(
          'div',
          { class: 'carried', id: `${sid}-carried` },
          h('p', { class: 'carried-text', id: `${sid}-carried-text` }),
          h('button', { type: 'button', class: 'secondary confirm-section', 'aria-label': `Confirm unchanged: ${section.title}`, text: 'Confirm unchanged', onclick: () => void confirmUnchanged(tid, section) }),
          h('p', { class: 'section-error', id: `${sid}-error`, role: 'alert' }),
        )
      : null;
  return h(
    'details',
    { id: sid, class: 'qsection', 'data-section': sid, 'data-template': tid, 'data-section-id': section.id, open: true },
    h('summary', null, h('h3', null, h('span', { class: 'section-title', text: section.title }), h('span', { class: 'section-status', id: `${sid}-status` }))),
    h('div', { class: 'section-body' }, section.description ? h('p', { class: 'muted', text: section.description }) : null, carried, section.questions.map((question) => questionBlock(s, tid, question))),
  );
}

function openSection(sid: string): void {
  const details = document.getElementById(sid);
  if (details instanceof HTMLDetailsElement) details.open = true;
}

function questionBlock(s: PortalState, tid: string, question: Question): HTMLElement {
  if (s.view.locked) return readOnlyBlock(s, tid, question);
  const qid = question.id;
  const fid = fieldId(tid, qid);
  const value = s.answers[tid]?.[qid]?.value;
  const text = question.text + (question.required ? '' : ' (optional)');
  const help = question.help ? h('p', { class: 'help', id: `${fid}-help`, text: question.help }) : null;
  const fromThen = s.view.carriedOver?.unchangedAnswers[tid]?.includes(qid) ? h('p', { class: 'from-tag', id: `${fid}-from`, text: `Your answer from ${s.view.carriedOver.answeredOn}` }) : null;
  const onChange = () => changed(tid, question);
  let control: HTMLElement;
  let grouped = false;
  if (question.type === 'yes-no' || question.type === 'single-choice' || question.type === 'multiple-choice') {
    grouped = true;
    const options =
      question.type === 'yes-no'
        ? [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }, ...(question.allowNa ? [{ id: 'na', label: 'Not applicable' }] : [])]
        : question.options;
    const multi = question.type === 'multiple-choice';
    control = h(
      'div',
      { class: 'choices' },
      options.map((o) => {
        const checked = multi ? Array.isArray(value) && value.includes(o.id) : value === o.id;
        return h('label', { class: 'choice' }, h('input', { type: multi ? 'checkbox' : 'radio', name: fid, value: o.id, checked, onchange: onChange }), ` ${o.label}`);
      }),
    );
  } else if (question.type === 'text') {
    control = h('textarea', { id: fid, name: fid, rows: 3, maxlength: question.maxLength, oninput: onChange, value: typeof value === 'string' ? value : '' });
  } else if (question.type === 'number') {
    const unit = unitOf(question);
    const input = h('input', { id: fid, name: fid, type: 'number', min: question.min, max: question.max, step: question.integer ? '1' : 'any', oninput: onChange, value: typeof value === 'number' ? String(value) : '' });
    if (unit) input.setAttribute('aria-describedby', `${fid}-unit`);
    control = unit ? h('span', { class: 'with-unit' }, input, h('span', { class: 'unit', id: `${fid}-unit`, text: unit })) : input;
  } else if (question.type === 'date') {
    control = h('input', { id: fid, name: fid, type: 'date', onchange: onChange, value: typeof value === 'string' ? value : '' });
  } else {
    control = h('select', { id: fid, name: fid, onchange: onChange, 'data-file-question': '1' }, fileOptions(s.view.documents, typeof value === 'string' ? value : ''));
  }
  const tipBox = h('div', { class: 'tip-slot', id: `${fid}-tip` });
  const attrs = { class: 'question', id: blockId(tid, qid), 'data-template': tid, 'data-question': qid, 'data-type': question.type };
  const described = [help ? `${fid}-help` : null, fromThen ? `${fid}-from` : null].filter(Boolean).join(' ') || null;
  const block = grouped
    ? h('fieldset', { ...attrs, 'aria-describedby': described }, h('legend', { text }), fromThen, help, control, tipBox)
    : h('div', { ...attrs, class: 'question field' }, h('label', { class: 'qtext', for: fid, text }), fromThen, help, control, tipBox);
  if (described && !grouped) {
    const input = block.querySelector(`#${CSS.escape(fid)}`);
    input?.setAttribute('aria-describedby', [described, input.getAttribute('aria-describedby')].filter(Boolean).join(' '));
  }
  renderTip(s, tid, question, block);
  return block;
}

/** A submitted answer as text: what was chosen, in the questionnaire's words, with the notes given. */
function readOnlyBlock(s: PortalState, tid: string, question: Question): HTMLElement {
  const entry = s.answers[tid]?.[question.id];
  return h(
    'div',
    { class: 'question readonly', id: blockId(tid, question.id), 'data-template': tid, 'data-question': question.id, 'data-type': question.type },
    h('p', { class: 'qtext', text: question.text }),
    h('p', { class: entry ? 'answer' : 'answer muted' }, h('span', { class: 'visually-hidden', text: 'Your answer: ' }), h('strong', { text: answerText(question, entry, s.view.documents) })),
    entry?.comment ? h('p', { class: 'answer-note', text: `Comment: ${entry.comment}` }) : null,
    entry?.compensatingControl ? h('p', { class: 'answer-note', text: `Compensating control: ${entry.compensatingControl}` }) : null,
    entry?.remediationDate ? h('p', { class: 'answer-note', text: `We will fix this by ${entry.remediationDate}` }) : null,
  );
}

function fileOptions(docs: readonly PortalDocument[], value: string): HTMLOptionElement[] {
  return [
    h('option', { value: '', text: docs.length ? 'Choose an uploaded document' : 'Upload the document under Evidence first' }),
    ...docs.map((d) => h('option', { value: d.id, text: `${d.fileName} (${label(d.kind)})`, selected: value === d.id })),
  ];
}

function renderTip(s: PortalState, tid: string, question: Question, block: Element): void {
  const slot = block.querySelector('.tip-slot');
  if (!slot) return;
  const entry = s.answers[tid]?.[question.id];
  const tip = tipFor(question, entry);
  const shown = slot.firstElementChild;
  if (!tip) {
    slot.replaceChildren();
    return;
  }
  // The same tip stays (with what the vendor typed in it); another one replaces it.
  if (shown?.getAttribute('data-tip') === tip.whyItMatters) return;
  const base = fieldId(tid, question.id);
  const onChange = () => changed(tid, question);
  const note = h('textarea', { id: `${base}-cc`, rows: 2, maxlength: 4000, value: entry?.compensatingControl ?? '', oninput: onChange });
  const date = h('input', { id: `${base}-rd`, type: 'date', value: entry?.remediationDate ?? '', onchange: onChange });
  fill(
    slot,
    h(
      'div',
      { class: `tip sev-${tip.severity}`, role: 'note', 'data-tip': tip.whyItMatters },
      h('p', null, h('strong', { text: `${label(tip.severity)} risk. ` }), tip.whyItMatters),
      tip.guidance ? h('p', { text: tip.guidance }) : null,
      h('div', { class: 'field' }, h('label', { for: `${base}-cc`, text: 'Compensating control (optional)' }), note),
      h('div', { class: 'field' }, h('label', { for: `${base}-rd`, text: 'We will fix this by (optional)' }), date),
    ),
  );
}

function readEntry(tid: string, question: Question): AnswerEntry | null {
  const block = byId(blockId(tid, question.id));
  let values: string[];
  if (question.type === 'yes-no' || question.type === 'single-choice' || question.type === 'multiple-choice') {
    values = Array.from(block.querySelectorAll<HTMLInputElement>('input:checked'), (i) => i.value);
  } else {
    const input = block.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('textarea, input, select');
    values = input ? [input.value] : [];
  }
  const cc = document.getElementById(`${fieldId(tid, question.id)}-cc`) as HTMLTextAreaElement | null;
  const rd = document.getElementById(`${fieldId(tid, question.id)}-rd`) as HTMLInputElement | null;
  return entryFrom(question, { values, ...(cc ? { compensatingControl: cc.value } : {}), ...(rd ? { remediationDate: rd.value } : {}) });
}

function changed(tid: string, question: Question): void {
  const s = state;
  if (!s || s.view.locked) return;
  const entry = readEntry(tid, question);
  const answers = (s.answers[tid] ??= {});
  // A comment (from a CSV import or the last assessment) has no field on the page: it stays with the answer.
  const comment = answers[question.id]?.comment;
  if (entry && comment !== undefined) entry.comment = comment;
  if (entry) answers[question.id] = entry;
  else delete answers[question.id];
  (s.pending[tid] ??= {})[question.id] = entry;
  const block = byId(blockId(tid, question.id));
  renderTip(s, tid, question, block);
  if (entry) clearQuestionError(s, tid, question.id);
  // No longer the answer from the last assessment; its section counts as edited (the server records the same on save).
  s.changedHere.add(key(tid, question.id));
  document.getElementById(`${fieldId(tid, question.id)}-from`)?.remove();
  const template = s.view.questionnaires.find((q) => q.template.id === tid)?.template;
  const section = template?.sections.find((sec) => sec.questions.some((q) => q.id === question.id));
  const reviews = s.view.carriedOver?.sections[tid];
  if (section && reviews?.[section.id] && reviews[section.id] !== 'edited') {
    reviews[section.id] = 'edited';
    fill(`${sectionDomId(tid, section.id)}-error`, null);
  }
  // Questions that this answer shows or hides change at once; their answers are removed with the next save.
  if (template) for (const hidden of hiddenAnswerIds(template, answers)) {
    delete answers[hidden];
    s.pending[tid][hidden] = null;
  }
  refreshVisibility(s);
  updateProgress(s);
  refreshOpenList(s);
  fill('save-state', 'Unsaved changes…');
  clearTimeout(s.timer);
  s.timer = setTimeout(() => void flush(), SAVE_DELAY_MS);
}

function clearQuestionError(s: PortalState, tid: string, qid: string): void {
  if (!s.errors.delete(key(tid, qid))) return;
  const block = document.getElementById(blockId(tid, qid));
  if (!block) return;
  block.classList.remove('missing');
  block.querySelectorAll('.field-error').forEach((e) => e.remove());
  block.querySelectorAll('[aria-invalid]').forEach((c) => {
    c.removeAttribute('aria-invalid');
    const rest = (c.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-field-error'));
    if (rest.length) c.setAttribute('aria-describedby', rest.join(' '));
    else c.removeAttribute('aria-describedby');
  });
}

/** Saves the pending answers (merged per question on the server). Resolves false when something was not saved. */
async function flush(): Promise<boolean> {
  const s = state;
  if (!s) return true;
  clearTimeout(s.timer);
  if (s.saving) await s.saving;
  const batch = s.pending;
  const tids = Object.keys(batch).filter((t) => Object.keys(batch[t] ?? {}).length > 0);
  if (tids.length === 0) return true;
  s.pending = {};
  fill('save-state', 'Saving…');
  let problem: Problem | null = null;
  const saving = (async () => {
    for (const tid of tids) {
      const res = await request<SavedDraft>('portal', 'PUT', '/api/portal/answers', { templateId: tid, answers: batch[tid] });
      if (!res.ok) {
        problem = res.problem;
        // Not lost: what failed is sent again with the next change or the next try.
        for (const t of tids.slice(tids.indexOf(tid))) s.pending[t] = { ...batch[t], ...s.pending[t] };
        return;
      }
    }
  })();
  s.saving = saving;
  await saving;
  s.saving = null;
  if (problem) {
    fill('save-state', 'Not saved');
    showStatus(`Your last answers are not saved yet. ${problemText(problem)}`, true);
    return false;
  }
  fill('save-state', 'All changes saved');
  return true;
}

function refreshVisibility(s: PortalState): void {
  const statuses = statusesOf(templatesOf(s.view), s.answers);
  document.querySelectorAll<HTMLElement>('.question').forEach((block) => {
    const tid = block.getAttribute('data-template') ?? '';
    const qid = block.getAttribute('data-question') ?? '';
    block.hidden = statuses.get(tid)?.get(qid) !== 'visible';
  });
  document.querySelectorAll<HTMLElement>('.qsection').forEach((section) => {
    const shown = section.querySelector('.question:not([hidden])') !== null;
    section.hidden = !shown;
    const navItem = document.querySelector<HTMLElement>(`#sections-nav li[data-section="${section.id}"]`);
    if (navItem) navItem.hidden = !shown;
  });
}

/** The bar and every section's status, from the same counts (computeProgress is the sum of the sections). */
function updateProgress(s: PortalState): void {
  const { percent, answered, total } = overallProgress(progressOf(templatesOf(s.view), s.answers));
  byId('progress', HTMLProgressElement).value = percent;
  fill('progress-label', `Progress: ${percent}% (${answered} of ${total} required answers)`);
  const answeredOn = s.view.carriedOver?.answeredOn ?? null;
  for (const { template } of s.view.questionnaires) {
    const errors = new Set([...s.errors].filter((k) => k.startsWith(`${template.id}/`)).map((k) => k.slice(template.id.length + 1)));
    for (const [sectionId, st] of sectionStates(template, s.answers[template.id] ?? {}, errors, reviewsOf(s, template.id))) {
      const sid = sectionDomId(template.id, sectionId);
      const text = s.view.locked ? (st.total === 0 ? 'Optional' : `${st.answered} of ${st.total} answered`) : sectionStatusText(st, answeredOn);
      const tone = sectionTone(st);
      for (const id of [`${sid}-status`, `${sid}-nav-status`]) {
        const el = document.getElementById(id);
        if (!el) continue;
        el.textContent = id.endsWith('-nav-status') ? ` (${text})` : text;
        el.className = `${id.endsWith('-nav-status') ? 'nav-status' : 'section-status'} tone-${tone}`;
      }
      const carriedText = document.getElementById(`${sid}-carried-text`);
      if (carriedText) {
        carriedText.textContent =
          st.review === 'unconfirmed'
            ? `These answers are from ${answeredOn ?? 'your last assessment'}. If they still hold, confirm them; otherwise change what is different.`
            : st.review === 'confirmed'
              ? `You confirmed these answers from ${answeredOn ?? 'your last assessment'} are unchanged.`
              : 'You changed answers in this section.';
        const button = document.querySelector<HTMLButtonElement>(`#${CSS.escape(sid)}-carried button`);
        if (button) button.hidden = st.review !== 'unconfirmed';
      }
    }
  }
}

/** "Confirm unchanged": records the section as reviewed, folds it away and keeps the keyboard where it was. */
async function confirmUnchanged(tid: string, section: Section): Promise<void> {
  const s = state;
  if (!s || !(await flush())) return;
  const sid = sectionDomId(tid, section.id);
  const res = await request<{ version: number; review: SectionReview }>('portal', 'POST', '/api/portal/sections/confirm', { templateId: tid, sectionId: section.id });
  if (!res.ok) {
    fill(`${sid}-error`, problemText(res.problem));
    return;
  }
  fill(`${sid}-error`, null);
  const reviews = s.view.carriedOver?.sections[tid];
  if (reviews) reviews[section.id] = res.data.review;
  updateProgress(s);
  refreshOpenList(s);
  const details = byId(sid, HTMLDetailsElement);
  details.open = false;
  details.querySelector('summary')?.focus();
  showStatus(`“${section.title}” confirmed unchanged.`);
}

function wireSubmit(): void {
  const confirm = byId('confirm-submit', HTMLButtonElement);
  const form = byId('questionnaire', HTMLFormElement);
  byId('review-submit').addEventListener('click', () => {
    void (async () => {
      const s = state;
      if (!s || !(await flush())) return;
      const { missing, unconfirmed } = whatIsOpen(s);
      fillErrors('submit-errors', []);
      if (!missing.length && !unconfirmed.length) {
        clearAllErrors(s, form);
        fill('missing', h('p', { text: `Every required question is answered and ${s.view.documents.length} document(s) are attached. After submitting, the answers can no longer be changed.` }));
        confirm.hidden = false;
        confirm.focus();
        return;
      }
      confirm.hidden = true;
      fillOpenList(s, missing, unconfirmed);
      showErrors(
        s,
        form,
        missing.map((m) => ({ templateId: m.templateId, questionId: m.question.id, message: MISSING_MESSAGE })),
        unconfirmed.map((u) => ({ templateId: u.templateId, sectionId: u.section.id, message: 'Confirm these answers are unchanged, or change what is different, before you submit.' })),
      );
    })();
  });
  confirm.addEventListener('click', () => {
    void (async () => {
      confirm.disabled = true;
      const saved = await flush();
      const res = saved ? await request<Submitted>('portal', 'POST', '/api/portal/submit') : null;
      confirm.disabled = false;
      if (!res) return;
      const s = state;
      if (!res.ok) {
        confirm.hidden = true;
        showStatus(problemText(res.problem), true);
        if (!s) return;
        const placed = placeSubmitErrors(res.problem, templatesOf(s.view));
        fillErrors('submit-errors', placed.other);
        showErrors(s, form, placed.questions, placed.sections);
        return;
      }
      fillErrors('submit-errors', []);
      fill('missing', null);
      await reload();
      showStatus('Submitted. Thank you!');
      // The confirmation where the vendor is: the submit area, focused.
      const done = byId('submit-done');
      done.focus();
      done.scrollIntoView({ block: 'center' });
      pollAnalysis();
    })();
  });
}

/** The required answers still missing and the carried sections not yet confirmed or edited, in page order. */
function whatIsOpen(s: PortalState): { missing: MissingAnswer[]; unconfirmed: { templateId: string; section: Section }[] } {
  const missing = missingAnswers(templatesOf(s.view), s.answers);
  const unconfirmed = s.view.questionnaires.flatMap(({ template }) =>
    template.sections.filter((sec) => reviewsOf(s, template.id)[sec.id] === 'unconfirmed' && !document.getElementById(sectionDomId(template.id, sec.id))?.hidden).map((section) => ({ templateId: template.id, section })),
  );
  return { missing, unconfirmed };
}

/** The list above "Review and submit" of what is still open, with a link to each. */
function fillOpenList(s: PortalState, missing: MissingAnswer[], unconfirmed: { templateId: string; section: Section }[]): void {
  fill('missing', [
    missing.length ? h('p', { text: `${missing.length} required question(s) still need an answer:` }) : null,
    missing.length ? h('ul', null, missing.map((m) => h('li', null, h('a', { href: `#${blockId(m.templateId, m.question.id)}`, text: `${m.section.title}: ${m.question.text}`, onclick: () => openSection(sectionDomId(m.templateId, m.section.id)) })))) : null,
    unconfirmed.length ? h('p', { text: `${unconfirmed.length} section(s) with answers from ${s.view.carriedOver?.answeredOn ?? 'your last assessment'} to confirm or change:` }) : null,
    unconfirmed.length ? h('ul', null, unconfirmed.map((u) => h('li', null, h('a', { href: `#${sectionDomId(u.templateId, u.section.id)}`, text: u.section.title, onclick: () => openSection(sectionDomId(u.templateId, u.section.id)) })))) : null,
  ]);
  s.openListShown = missing.length + unconfirmed.length > 0;
}

/** Once the list of what is open is on screen, it follows the answers and confirmations (no stale list). */
function refreshOpenList(s: PortalState): void {
  if (!s.openListShown) return;
  const { missing, unconfirmed } = whatIsOpen(s);
  if (missing.length || unconfirmed.length) fillOpenList(s, missing, unconfirmed);
  else {
    s.openListShown = false;
    fill('missing', h('p', { text: 'Everything is answered and confirmed: press “Review and submit”.' }));
  }
}

function clearAllErrors(s: PortalState, form: HTMLFormElement): void {
  clearFieldErrors(form);
  document.querySelectorAll('.question.missing').forEach((b) => b.classList.remove('missing'));
  document.querySelectorAll('.section-error').forEach((e) => (e.textContent = ''));
  s.errors.clear();
}

/**
 * Errors where they are: a sentence under each question (aria-invalid, described by it) and under each carried
 * section's "Confirm unchanged"; the sections opened; focus on the first error on the page.
 */
function showErrors(s: PortalState, form: HTMLFormElement, questions: { templateId: string; questionId: string; message: string }[], sections: { templateId: string; sectionId: string; message: string }[]): void {
  clearAllErrors(s, form);
  for (const q of questions) {
    s.errors.add(key(q.templateId, q.questionId));
    document.getElementById(blockId(q.templateId, q.questionId))?.classList.add('missing');
    const template = s.view.questionnaires.find((x) => x.template.id === q.templateId)?.template;
    const section = template?.sections.find((sec) => sec.questions.some((x) => x.id === q.questionId));
    if (section) openSection(sectionDomId(q.templateId, section.id));
  }
  for (const sec of sections) {
    const sid = sectionDomId(sec.templateId, sec.sectionId);
    openSection(sid);
    fill(`${sid}-error`, sec.message);
  }
  updateProgress(s);
  const problem: Problem = { type: 'about:blank', title: 'Answers missing', status: 400, code: 'answers-incomplete', errors: questions.map((q) => ({ path: fieldId(q.templateId, q.questionId), message: q.message })) };
  if (questions.length) showFieldErrors(form, problem);
  const firstSection = sections[0] ? document.querySelector<HTMLButtonElement>(`#${CSS.escape(sectionDomId(sections[0].templateId, sections[0].sectionId))}-carried button`) : null;
  const focused = document.activeElement;
  const sectionFirst = firstSection && (!questions.length || !focused || focused === document.body || Boolean(firstSection.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_FOLLOWING));
  if (firstSection && sectionFirst) {
    firstSection.focus();
    firstSection.scrollIntoView({ block: 'center' });
  }
}

function renderDocuments(s: PortalState): void {
  const docs = s.view.documents;
  const locked = s.view.locked;
  fill(
    'documents',
    docs.length
      ? docs.map((d) =>
          h(
            'li',
            { 'data-document': d.id, class: d.analysisStatus === 'failed' ? 'failed' : null },
            documentFacts(d),
            h('strong', { class: 'analysis-status', text: documentStatusText(d, locked) }),
            d.carriedOver ? h('p', { class: 'carried-doc', text: `Carried over from your last assessment: no upload needed.` }) : null,
            d.problem ? h('p', { class: 'document-problem', text: d.problem }) : null,
            locked
              ? null
              : h(
                  'span',
                  { class: 'document-actions' },
                  h('button', { type: 'button', class: 'secondary', 'data-action': 'replace', 'aria-label': `Replace ${d.fileName}`, text: 'Replace', onclick: () => replaceDocument(d) }),
                  ' ',
                  h('button', { type: 'button', class: 'secondary', 'data-action': 'delete', 'aria-label': `Delete ${d.fileName}`, text: 'Delete', onclick: () => void deleteDocument(d) }),
                ),
            h('ul', { class: 'errors document-errors', id: `doc-errors-${d.id}`, 'aria-live': 'assertive' }),
          ),
        )
      : h('li', { class: 'muted', text: 'No documents yet.' }),
  );
  const askAgain = s.view.carriedOver?.evidence.askAgain ?? [];
  fill(
    'ask-again',
    askAgain.length && !locked
      ? [
          h('h3', { text: 'Asked for again' }),
          h('ul', { class: 'ask-again' }, askAgain.map((a) => h('li', null, h('strong', { text: `${a.fileName}: ` }), a.reason))),
          h('p', { class: 'uploaded-since', text: uploadedSinceText(docs) ?? 'Nothing uploaded in this assessment yet.' }),
        ]
      : null,
  );
  document.querySelectorAll<HTMLSelectElement>('select[data-file-question]').forEach((select) => {
    const current = select.value;
    fill(select, fileOptions(docs, current));
    select.value = current;
  });
}

async function deleteDocument(d: PortalDocument): Promise<void> {
  if (!window.confirm(`Delete ${d.fileName}?`)) return;
  const res = await request<null>('portal', 'DELETE', `/api/portal/documents/${encodeURIComponent(d.id)}`);
  if (!res.ok) {
    showUploadErrors([problemText(res.problem)], d.id);
    return;
  }
  if (state) {
    state.view.documents = state.view.documents.filter((x) => x.id !== d.id);
    renderDocuments(state);
  }
  showStatus(`Deleted ${d.fileName}.`);
}

function replaceDocument(d: PortalDocument): void {
  const picker = h('input', { type: 'file', accept: 'application/pdf,.pdf', hidden: true, 'aria-label': `New file for ${d.fileName}`, 'data-replaces': d.id });
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.remove();
    if (!file) return;
    void sendFile(file, d.kind, d.id).then((stored) => {
      if (!stored || !state) return;
      state.view.documents = state.view.documents.map((x) => (x.id === d.id ? stored : x));
      renderDocuments(state);
      showStatus(`Replaced ${d.fileName} with ${stored.fileName}.`);
    });
  });
  document.body.appendChild(picker);
  picker.click();
}

/**
 * An upload's refusal next to what was used: under the document for a replacement or deletion (focus on its Replace
 * button), else under the file control (marked invalid, described by the errors, focused). No lines clears them.
 */
function showUploadErrors(lines: readonly string[], documentId?: string): void {
  const input = byId('f-file', HTMLInputElement);
  if (documentId !== undefined) {
    fillErrors(`doc-errors-${documentId}`, lines);
    if (lines.length) document.querySelector<HTMLButtonElement>(`[data-document="${CSS.escape(documentId)}"] [data-action="replace"]`)?.focus();
    return;
  }
  fillErrors('upload-errors', lines);
  if (lines.length) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'upload-errors');
    input.focus();
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** Checks a file here (type, size), sends it with a progress bar, and shows a refusal in words. */
async function sendFile(file: File, kind: DocumentKind, replaces?: string): Promise<PortalDocument | null> {
  const max = Number(byId('dropzone').getAttribute('data-max-bytes')) || 50 * 1024 * 1024;
  const problems = fileProblems(file, max);
  if (problems.length) {
    showUploadErrors(problems, replaces);
    return null;
  }
  showUploadErrors([], replaces);
  const bar = byId('upload-progress', HTMLProgressElement);
  bar.hidden = false;
  bar.value = 0;
  const res = await uploadDocument(file, kind, replaces === undefined ? {} : { replaces }, (percent) => (bar.value = percent));
  bar.hidden = true;
  if (!res.ok) {
    showUploadErrors([`${file.name} was not accepted. ${problemText(res.problem)}`], replaces);
    return null;
  }
  return res.data;
}

let polls = 0;
function pollAnalysis(): void {
  if (!state?.view.documents.some((d) => d.analysisStatus === 'pending') || polls++ > 40) return;
  setTimeout(() => {
    void request<PortalView>('portal', 'GET', '/api/portal/assessment').then((res) => {
      if (res.ok && state) {
        state.view.documents = res.data.documents;
        renderDocuments(state);
      }
      pollAnalysis();
    });
  }, 3000);
}

function wireUploads(): void {
  const zone = byId('dropzone');
  const input = byId('f-file', HTMLInputElement);
  const kind = byId('f-kind', HTMLSelectElement);
  const send = (file: File) => {
    input.value = '';
    const chosen = DOCUMENT_KINDS_ALLOWED.includes(kind.value) ? (kind.value as DocumentKind) : 'other';
    void sendFile(file, chosen).then((stored) => {
      if (!stored || !state) return;
      state.view.documents.push(stored);
      renderDocuments(state);
      showStatus(`Uploaded ${stored.fileName}.`);
    });
  };
  for (const type of ['dragenter', 'dragover']) zone.addEventListener(type, (e) => (e.preventDefault(), zone.classList.add('over')));
  for (const type of ['dragleave', 'drop']) zone.addEventListener(type, (e) => (e.preventDefault(), zone.classList.remove('over')));
  zone.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files[0];
    if (file) send(file);
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) send(file);
  });
}

function wireImport(): void {
  const picker = byId('f-csv', HTMLInputElement);
  byId('csv-download').addEventListener('click', () => {
    const s = state;
    if (!s) return;
    const tid = byId('f-csv-template', HTMLSelectElement).value;
    const template = s.view.questionnaires.find((q) => q.template.id === tid)?.template;
    if (!template) return;
    const { fileName, text } = csvTemplate(template, s.answers[tid] ?? {});
    // A byte order mark, so that spreadsheet programs read the file as UTF-8; the import skips it.
    const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
    const link = h('a', { href: url, download: fileName, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  picker.addEventListener('change', () => {
    void (async () => {
      const file = picker.files?.[0];
      if (!file) return;
      const fail = (lines: string[]) => {
        fillErrors('import-errors', lines);
        picker.setAttribute('aria-invalid', 'true');
        picker.setAttribute('aria-describedby', 'import-errors');
        picker.focus();
      };
      if (file.size > 2_000_000) return fail(['The file is larger than 2 MB.']);
      const tid = byId('f-csv-template', HTMLSelectElement).value;
      if (!(await flush())) return;
      const read = await request<ImportedAnswers>('portal', 'POST', '/api/portal/answers/csv', { templateId: tid, csv: await file.text() });
      if (!read.ok) return fail([problemText(read.problem), ...fieldErrorLines(read.problem)]);
      const saved = await request<SavedDraft>('portal', 'PUT', '/api/portal/answers', { templateId: tid, answers: read.data.answers });
      if (!saved.ok) return fail([problemText(saved.problem), ...fieldErrorLines(saved.problem)]);
      fillErrors('import-errors', []);
      picker.removeAttribute('aria-invalid');
      picker.removeAttribute('aria-describedby');
      picker.value = '';
      await reload();
      showStatus(`Imported ${Object.keys(read.data.answers).length} answer(s).`);
    })();
  });
}
