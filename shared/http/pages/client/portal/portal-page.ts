/**
 * The vendor portal (docs/adr/0004-web-ui.md). The link's token arrives in the URL fragment (never sent to a server);
 * the confirm page keeps it in sessionStorage only when the person presses the button, and strips it from the
 * address bar. The questionnaire page autosaves, shows and hides questions as the answers change (with the domain's
 * own visibility rules), checks and sends documents, and submits.
 */
import type { Question, QuestionnaireTemplate } from '../../../../domain/questionnaire/template-schema.ts';
import type { AnswerEntry, DocumentKind, ImportedAnswers, PortalDocument, PortalView, Problem, SavedDraft, Submitted } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, fill, fillErrors, h, showStatus } from '../common/dom.ts';
import { fieldErrorLines, label, problemText } from '../common/format.ts';
import { getToken, setToken } from '../common/session.ts';
import { documentFacts, documentStatusText, entryFrom, fileProblems, hiddenAnswerIds, missingAnswers, overallProgress, statusesOf, tipFor, type ProgressCount } from './portal-logic.ts';
import { uploadDocument } from './upload.ts';

const PORTAL_TOKEN_IN_FRAGMENT = /[#&]token=(tgp_[A-Za-z0-9_-]{43})/;
const SAVE_DELAY_MS = 600;
const DOCUMENT_KINDS_ALLOWED: readonly string[] = ['soc2-report', 'bridge-letter', 'iso-certificate', 'other'];

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
  progress: Record<string, ProgressCount>;
  /** Answers changed since the last save, by template: null removes one. */
  pending: Record<string, Record<string, AnswerEntry | null>>;
  timer: ReturnType<typeof setTimeout> | undefined;
  saving: Promise<void> | null;
}

let state: PortalState | null = null;

const templatesOf = (view: PortalView): QuestionnaireTemplate[] => view.questionnaires.map((q) => q.template);
const blockId = (tid: string, qid: string) => `qb-${tid}-${qid}`;
const fieldId = (tid: string, qid: string) => `q-${tid}-${qid}`;

/** The questionnaire page. */
export function portalPage(): void {
  if (!getToken('portal')) {
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
  if (!res.ok) {
    fill('questionnaire', null);
    byId('uploads').hidden = byId('import').hidden = byId('submit-area').hidden = true;
    showStatus(problemText(res.problem), true);
    return;
  }
  const view = res.data;
  state = {
    view,
    answers: Object.fromEntries(view.questionnaires.map((q) => [q.template.id, { ...q.answers }])),
    progress: Object.fromEntries(view.questionnaires.map((q) => [q.template.id, q.progress])),
    pending: {},
    timer: undefined,
    saving: null,
  };
  render(state);
}

function render(s: PortalState): void {
  const v = s.view;
  fill(document.querySelector('h1'), `Security assessment for ${v.vendorName}`);
  fill('portal-head', [
    h('p', null, `Due ${v.dueDate}. Your answers save as you go; you can close this page and come back with the same link.`),
    v.changesRequested ? h('div', { class: 'tip', id: 'changes-requested', role: 'note' }, h('strong', { text: 'Changes requested: ' }), v.changesRequested) : null,
    v.locked ? h('p', { class: 'locked-note', id: 'locked-note', text: 'Submitted. Thank you: the answers are read-only now.' }) : null,
  ]);
  const nav: HTMLElement[] = [];
  const blocks: HTMLElement[] = [];
  for (const { template } of v.questionnaires) {
    blocks.push(h('h2', { id: `tpl-${template.id}`, text: template.title }));
    for (const section of template.sections) {
      const sid = `sec-${template.id}-${section.id}`;
      nav.push(h('li', { 'data-section': sid }, h('a', { href: `#${sid}`, text: section.title })));
      blocks.push(
        h(
          'section',
          { id: sid, class: 'qsection', 'data-section': sid },
          h('h3', { text: section.title }),
          section.description ? h('p', { class: 'muted', text: section.description }) : null,
          section.questions.map((question) => questionBlock(s, template.id, question)),
        ),
      );
    }
  }
  fill('sections-nav', h('ul', null, nav));
  fill('questionnaire', blocks);
  byId('uploads').hidden = false;
  byId('import').hidden = v.locked;
  byId('submit-area').hidden = v.locked;
  byId('upload-form').hidden = v.locked;
  fill('f-csv-template', v.questionnaires.map((q) => h('option', { value: q.template.id, text: q.template.title })));
  renderDocuments(s);
  refreshVisibility(s);
  updateProgress(s);
}

function questionBlock(s: PortalState, tid: string, question: Question): HTMLElement {
  const qid = question.id;
  const fid = fieldId(tid, qid);
  const value = s.answers[tid]?.[qid]?.value;
  const disabled = s.view.locked;
  const text = question.text + (question.required ? '' : ' (optional)');
  const help = question.help ? h('p', { class: 'help', id: `${fid}-help`, text: question.help }) : null;
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
        return h('label', { class: 'choice' }, h('input', { type: multi ? 'checkbox' : 'radio', name: fid, value: o.id, checked, disabled, onchange: onChange }), ` ${o.label}`);
      }),
    );
  } else if (question.type === 'text') {
    control = h('textarea', { id: fid, name: fid, rows: 3, maxlength: question.maxLength, disabled, oninput: onChange, value: typeof value === 'string' ? value : '' });
  } else if (question.type === 'number') {
    control = h('input', { id: fid, name: fid, type: 'number', min: question.min, max: question.max, step: question.integer ? '1' : 'any', disabled, oninput: onChange, value: typeof value === 'number' ? String(value) : '' });
  } else if (question.type === 'date') {
    control = h('input', { id: fid, name: fid, type: 'date', disabled, onchange: onChange, value: typeof value === 'string' ? value : '' });
  } else {
    control = h('select', { id: fid, name: fid, disabled, onchange: onChange, 'data-file-question': '1' }, fileOptions(s.view.documents, typeof value === 'string' ? value : ''));
  }
  const tipBox = h('div', { class: 'tip-slot', id: `${fid}-tip` });
  const attrs = { class: 'question', id: blockId(tid, qid), 'data-template': tid, 'data-question': qid, 'data-type': question.type };
  const block = grouped
    ? h('fieldset', { ...attrs, 'aria-describedby': help ? `${fid}-help` : null }, h('legend', { text }), help, control, tipBox)
    : h('div', attrs, h('label', { class: 'qtext', for: fid, text }), help, control, tipBox);
  if (help && !grouped) control.setAttribute('aria-describedby', `${fid}-help`);
  renderTip(s, tid, question, block);
  return block;
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
  const note = h('textarea', { id: `${base}-cc`, rows: 2, maxlength: 4000, disabled: s.view.locked, value: entry?.compensatingControl ?? '', oninput: onChange });
  const date = h('input', { id: `${base}-rd`, type: 'date', disabled: s.view.locked, value: entry?.remediationDate ?? '', onchange: onChange });
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
  if (entry) answers[question.id] = entry;
  else delete answers[question.id];
  (s.pending[tid] ??= {})[question.id] = entry;
  const block = byId(blockId(tid, question.id));
  renderTip(s, tid, question, block);
  if (entry) block.classList.remove('missing');
  // Questions that this answer shows or hides change at once; their answers are removed with the next save.
  const template = s.view.questionnaires.find((q) => q.template.id === tid)?.template;
  if (template) for (const hidden of hiddenAnswerIds(template, answers)) {
    delete answers[hidden];
    s.pending[tid][hidden] = null;
  }
  refreshVisibility(s);
  fill('save-state', 'Unsaved changes…');
  clearTimeout(s.timer);
  s.timer = setTimeout(() => void flush(), SAVE_DELAY_MS);
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
      s.progress[tid] = res.data.progress;
    }
  })();
  s.saving = saving;
  await saving;
  s.saving = null;
  updateProgress(s);
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

function updateProgress(s: PortalState): void {
  const { percent, answered, total } = overallProgress(Object.values(s.progress));
  byId('progress', HTMLProgressElement).value = percent;
  fill('progress-label', `Progress: ${percent}% (${answered} of ${total} required answers)`);
}

function wireSubmit(): void {
  const confirm = byId('confirm-submit', HTMLButtonElement);
  byId('review-submit').addEventListener('click', () => {
    void (async () => {
      const s = state;
      if (!s || !(await flush())) return;
      const missing = missingAnswers(templatesOf(s.view), s.answers);
      document.querySelectorAll('.question.missing').forEach((b) => b.classList.remove('missing'));
      if (missing.length) {
        for (const m of missing) document.getElementById(blockId(m.templateId, m.question.id))?.classList.add('missing');
        confirm.hidden = true;
        fill('missing', [
          h('p', { text: `${missing.length} required question(s) still need an answer:` }),
          h('ul', null, missing.map((m) => h('li', null, h('a', { href: `#${blockId(m.templateId, m.question.id)}`, text: `${m.section.title}: ${m.question.text}` })))),
        ]);
        return;
      }
      fill('missing', h('p', { text: `Every required question is answered and ${s.view.documents.length} document(s) are attached. After submitting, the answers can no longer be changed.` }));
      confirm.hidden = false;
      confirm.focus();
    })();
  });
  confirm.addEventListener('click', () => {
    void (async () => {
      confirm.disabled = true;
      const saved = await flush();
      const res = saved ? await request<Submitted>('portal', 'POST', '/api/portal/submit') : null;
      confirm.disabled = false;
      if (!res) return;
      if (!res.ok) {
        showStatus(problemText(res.problem), true);
        fillErrors('submit-errors', fieldErrorLines(res.problem));
        return;
      }
      fillErrors('submit-errors', []);
      fill('missing', null);
      confirm.hidden = true;
      await reload();
      showStatus('Submitted. Thank you!');
      byId('status').scrollIntoView({ block: 'center' });
      pollAnalysis();
    })();
  });
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
          ),
        )
      : h('li', { class: 'muted', text: 'No documents yet.' }),
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
    fillErrors('upload-errors', [problemText(res.problem)]);
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

/** Checks a file here (type, size), sends it with a progress bar, and shows a refusal in words. */
async function sendFile(file: File, kind: DocumentKind, replaces?: string): Promise<PortalDocument | null> {
  const max = Number(byId('dropzone').getAttribute('data-max-bytes')) || 50 * 1024 * 1024;
  const problems = fileProblems(file, max);
  if (problems.length) {
    fillErrors('upload-errors', problems);
    return null;
  }
  fillErrors('upload-errors', []);
  const bar = byId('upload-progress', HTMLProgressElement);
  bar.hidden = false;
  bar.value = 0;
  const res = await uploadDocument(file, kind, replaces === undefined ? {} : { replaces }, (percent) => (bar.value = percent));
  bar.hidden = true;
  if (!res.ok) {
    fillErrors('upload-errors', [`${file.name} was not accepted. ${problemText(res.problem)}`]);
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
  picker.addEventListener('change', () => {
    void (async () => {
      const file = picker.files?.[0];
      if (!file) return;
      if (file.size > 2_000_000) return fillErrors('import-errors', ['The file is larger than 2 MB.']);
      const tid = byId('f-csv-template', HTMLSelectElement).value;
      const read = await request<ImportedAnswers>('portal', 'POST', '/api/portal/answers/csv', { templateId: tid, csv: await file.text() });
      if (!read.ok) return fillErrors('import-errors', [problemText(read.problem), ...fieldErrorLines(read.problem)]);
      const saved = await request<SavedDraft>('portal', 'PUT', '/api/portal/answers', { templateId: tid, answers: read.data.answers });
      if (!saved.ok) return fillErrors('import-errors', [problemText(saved.problem), ...fieldErrorLines(saved.problem)]);
      fillErrors('import-errors', []);
      picker.value = '';
      await reload();
      showStatus(`Imported ${Object.keys(read.data.answers).length} answer(s).`);
    })();
  });
}
