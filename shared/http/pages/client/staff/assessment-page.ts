/**
 * One assessment for staff: status and what needs attention (with its ways out: retry, ask the vendor for a new file,
 * cancel), the decision taken (who, when, why, its conditions), the residual risk on the policy's scale with its
 * contributions grouped by cause and security's override, the scope fit, what changed since the last approval, the
 * evidence with low-confidence fields flagged and security's corrections, findings, our CUEC tasks, the decision form
 * and the timeline.
 */
import type { Assessment, AssessmentChanges, CorpusCase, CuecTask, Finding, ItemsOf, RiskPolicy, ScopeFit, ScoreAnswer, StaffAssessmentView, StaffDocument } from '../api-types.ts';
import { request, type ApiResult } from '../common/api.ts';
import { byId, facts, fill, fillErrors, h, showStatus, table, type Child } from '../common/dom.ts';
import { showFieldErrors } from '../common/field-errors.ts';
import { formatDate, formatDateTime, label, lastPathSegment, problemText } from '../common/format.ts';
import { hasRole, staffRoles } from '../common/session.ts';
import { renderChanges } from './changes-panel.ts';
import { pageButton } from './pdf-link.ts';
import { foldedForm, say, submitForm } from './review-forms.ts';
import { lowConfidenceFields } from './review-logic.ts';
import { renderScore, wireOverride, type PanelContext } from './score-panel.ts';
import { renderScopeFit, showScopeOverride, wireScopeOverride } from './scope-fit-panel.ts';
import { badge, call, formValues, labelled, load, textOf, uid, vendorLink } from './staff-common.ts';
import { attentionActions, attentionReasons, factText, sourceParts } from './staff-logic.ts';

// Security's corrections of extracted facts. The server owns the list of correctable fields and validates every
// value; here each field gets an editor (a JSON text for any field without its own) and shows what was extracted.
const FACT_LABELS: Readonly<Record<string, string>> = {
  documentKind: 'Document',
  reportType: 'Report type',
  serviceOrganization: 'Service organization',
  serviceAuditor: 'Auditor',
  systemName: 'System',
  period: 'Period',
  opinion: 'Opinion',
  trustServicesCategories: 'Categories',
  subserviceOrganizations: 'Subservice organizations',
  exceptions: 'Exceptions',
  complementaryUserEntityControls: 'User entity controls (CUECs)',
};
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  documentKind: ['soc2', 'soc1', 'soc3', 'bridge-letter', 'iso27001', 'unknown'],
  reportType: ['', 'type1', 'type2'],
  opinion: ['', 'unqualified', 'qualified', 'adverse', 'disclaimer'],
};
const CATEGORIES = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];
const TEXT_FIELDS = ['serviceOrganization', 'serviceAuditor', 'systemName'];
const CLOSED_STATUSES = ['analyzing', 'approved', 'approved-with-conditions', 'rejected', 'cancelled'];
const SHOWN_FACTS = ['documentKind', 'reportType', 'serviceOrganization', 'serviceAuditor', 'systemName', 'period', 'opinion', 'trustServicesCategories', 'complementaryUserEntityControls'];

interface Context {
  assessmentId: string;
  /** Shows a failure that belongs to no form. */
  onError: (message: string) => void;
  base: string;
  reviewer: boolean;
  status: Assessment['status'];
  reload: () => void;
}

type Analysis = NonNullable<StaffDocument['analysis']>;
const fieldOf = (a: Analysis | null | undefined, field: string): unknown => (a ? (a as unknown as Record<string, unknown>)[field] : undefined);

interface Editor {
  nodes: Child;
  /** The new value; throws an Error with a message in words when it cannot be read. */
  read: () => unknown;
}

function editorFor(field: string, current: unknown): Editor {
  const choices = CHOICES[field];
  if (choices) {
    const select = h('select', { id: uid(field), name: 'value' }, choices.map((v) => h('option', { value: v, text: v ? label(v) : '(not stated)', selected: (current ?? '') === v })));
    return { nodes: labelled('New value', select), read: () => (select.value === '' ? null : select.value) };
  }
  if (TEXT_FIELDS.includes(field)) {
    const input = h('input', { id: uid(field), name: 'value', type: 'text', value: typeof current === 'string' ? current : '', maxlength: '300' });
    return { nodes: labelled('New value (empty: not stated)', input), read: () => (input.value.trim() === '' ? null : input.value.trim()) };
  }
  if (field === 'period') {
    const p = (current ?? null) as { start: string | null; end: string } | null;
    const start = h('input', { id: uid('start'), type: 'date', value: p?.start ?? '' });
    const end = h('input', { id: uid('end'), type: 'date', value: p?.end ?? '' });
    return {
      nodes: [labelled('Start (empty for a Type 1: as of the end date)', start), labelled('End (empty: no period stated)', end)],
      read: () => (end.value ? { start: start.value || null, end: end.value } : null),
    };
  }
  if (field === 'trustServicesCategories') {
    const chosen = Array.isArray(current) ? (current as string[]) : [];
    const boxes = CATEGORIES.map((c) => h('input', { type: 'checkbox', value: c, checked: chosen.includes(c) }));
    return {
      nodes: h('fieldset', { class: 'field' }, h('legend', { text: 'Categories in scope' }), boxes.map((b) => h('label', { class: 'choice' }, b, ` ${label(b.value)}`))),
      read: () => boxes.filter((b) => b.checked).map((b) => b.value),
    };
  }
  if (field === 'complementaryUserEntityControls') {
    const lines = h('textarea', { id: uid(field), rows: 6, value: Array.isArray(current) ? (current as string[]).join('\n') : '' });
    return { nodes: labelled('One control per line', lines), read: () => lines.value.split('\n').map((l) => l.trim()).filter(Boolean) };
  }
  const json = h('textarea', { id: uid(field), rows: 8, class: 'code', value: JSON.stringify(current === undefined ? null : current, null, 2) });
  return {
    nodes: labelled('New value (JSON, as in the analysis)', json),
    read: () => {
      try {
        return JSON.parse(json.value) as unknown;
      } catch (error) {
        throw new Error(`The value is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

function correctionForm(ctx: Context, doc: StaffDocument, field: string, current: unknown, corrected: boolean, flagged: boolean): HTMLElement[] {
  const path = `${ctx.base}/documents/${encodeURIComponent(doc.id)}/corrections/${encodeURIComponent(field)}`;
  const ifMatch = { 'if-match': `"${doc.version}"` };
  const errorsId = uid('errors');
  const after = (res: ApiResult<unknown>) => {
    if (res.status === 412) {
      showStatus('Someone changed these facts meanwhile: the page now shows the current ones. Check them and try again.', true);
      return ctx.reload();
    }
    if (!res.ok) {
      showStatus(problemText(res.problem), true);
      if (!showFieldErrors(form, res.problem, { summaryListId: errorsId })) fillErrors(errorsId, [problemText(res.problem)]);
      return;
    }
    showStatus(`Saved: ${FACT_LABELS[field] ?? field}. The residual risk, findings and tasks were computed again.`);
    ctx.reload();
  };
  const editor = editorFor(field, current);
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: 2, maxlength: '2000' });
  const form: HTMLFormElement = h('form', { class: 'stack', novalidate: true }, editor.nodes, labelled('Why (what the report says, and where)', reason), h('ul', { id: errorsId, class: 'errors' }), h('button', { type: 'submit', text: 'Save correction' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let value: unknown;
    try {
      value = editor.read();
    } catch (error) {
      return fillErrors(errorsId, [(error as Error).message]);
    }
    void request('staff', 'PUT', path, { value, reason: reason.value }, ifMatch).then(after);
  });
  const controls = [h('details', { class: 'correct', open: flagged }, h('summary', { text: 'Correct' }), form)];
  if (corrected) {
    const why = h('input', { id: uid('revert'), type: 'text', required: true, maxlength: '2000' });
    const revert = h('form', { class: 'stack' }, labelled('Why revert', why), h('button', { type: 'submit', text: 'Revert to the extracted value' }));
    revert.addEventListener('submit', (e) => {
      e.preventDefault();
      void request('staff', 'DELETE', `${path}?reason=${encodeURIComponent(why.value)}`, undefined, ifMatch).then(after);
    });
    controls.push(h('details', { class: 'correct' }, h('summary', { text: 'Revert' }), revert));
  }
  return controls;
}

async function downloadCorpusCase(ctx: Context, doc: StaffDocument): Promise<void> {
  const corpus = await call(request<CorpusCase>('staff', 'GET', `${ctx.base}/documents/${encodeURIComponent(doc.id)}/corrections/corpus-case`));
  if (!corpus) return;
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(corpus, null, 2)}\n`], { type: 'application/json' }));
  const a = h('a', { href: url, download: `${corpus.caseName}.label.json` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  showStatus(`Downloaded. Add it to a corpus with: npx trustgate corpus add ${corpus.caseName} --label ${corpus.caseName}.label.json --pdf <the PDF>${corpus.warnings.length ? ` (${corpus.warnings.join('; ')})` : ''}`);
}

function analysisView(doc: StaffDocument, ctx: Context): HTMLElement {
  const original = doc.analysis;
  const a = doc.effectiveAnalysis ?? original;
  const head = h('h3', { text: `${doc.fileName} (${label(doc.kind)})` });
  if (!a || !original) return h('div', null, head, h('p', { class: 'muted', text: `Analysis: ${label(doc.analysisStatus)}${doc.analysisError ? ` (${doc.analysisError.message})` : ''}` }));
  const evidence = (original.evidence ?? {}) as Record<string, { quote: string; page: number } | undefined>;
  const corrections = new Map((doc.corrections ?? []).map((c) => [c.field as string, c]));
  const editable = ctx.reviewer && !CLOSED_STATUSES.includes(ctx.status) && doc.analysisStatus === 'analyzed';
  // The effective analysis: a corrected field was read by a person and is no longer flagged.
  const unsure = new Map(lowConfidenceFields(a).map((f) => [f.field, f.reason]));
  const page = (p: number) => pageButton(ctx.assessmentId, { documentId: doc.id, fileName: doc.fileName, page: p }, ctx.onError);
  const quote = (field: string) => {
    const ev = evidence[field];
    return ev ? h('blockquote', { class: 'quote' }, `“${ev.quote}” `, h('span', { class: 'muted' }, '(', page(ev.page), ')')) : null;
  };
  const fact = (field: string): [string, Child] => {
    const c = corrections.get(field);
    const why = unsure.get(field);
    return [
      FACT_LABELS[field] ?? label(field),
      h(
        'div',
        { 'data-field': field, class: why ? 'low-confidence' : null },
        h('div', null, factText(field, fieldOf(a, field)), c ? [' ', h('span', { class: 'badge corrected', text: 'Corrected' })] : null, why ? [' ', h('span', { class: 'badge unsure', text: 'Check: low confidence' })] : null),
        why ? h('p', { class: 'unsure-reason', text: `The analyzer is unsure: ${why}.${editable && Object.hasOwn(FACT_LABELS, field) ? ' Correct it below if the report says otherwise.' : ''}` }) : null,
        c ? h('p', { class: 'muted correction', text: `Extracted: ${factText(field, fieldOf(original, field))}. Corrected by ${c.correctedBy}, ${formatDateTime(c.correctedAt)}: ${c.reason}` }) : null,
        quote(field),
        editable && Object.hasOwn(FACT_LABELS, field) ? correctionForm(ctx, doc, field, fieldOf(a, field), Boolean(c), Boolean(why)) : null,
      ),
    ];
  };
  const others = [...corrections.keys()].filter((f) => !SHOWN_FACTS.includes(f) && f !== 'exceptions' && f !== 'subserviceOrganizations');
  // Flagged fields the page does not list otherwise (the report date) are shown too, so every flag can be seen.
  const flaggedElsewhere = [...unsure.keys()].filter((f) => !SHOWN_FACTS.includes(f) && !others.includes(f) && f !== 'exceptions' && f !== 'subserviceOrganizations');
  const subservice = a.subserviceOrganizations ?? [];
  const cuecs = a.complementaryUserEntityControls ?? [];
  return h(
    'div',
    { class: 'analysis' },
    head,
    unsure.size
      ? h('p', { class: 'unsure-summary' }, h('strong', { text: `The analyzer is unsure of ${unsure.size} field(s): ` }), [...unsure].map(([f, why]) => `${FACT_LABELS[f] ?? label(f)} (${why})`).join('; '), '. Check them against the report.')
      : null,
    facts([
      ...SHOWN_FACTS.map(fact),
      ...others.map(fact),
      ...flaggedElsewhere.map(fact),
      ['Controls tested', h('div', null, a.controlsTested === null ? '—' : String(a.controlsTested), quote('controlsTested'))],
      ['Pages', String(a.pages)],
    ]),
    h('h4', { text: 'User entity controls (CUECs): what we must operate' }),
    cuecs.length ? h('ol', { class: 'cuecs' }, cuecs.map((c) => h('li', { text: c }))) : h('p', { class: 'muted', text: 'The report lists no complementary user entity controls.' }),
    h('h4', { text: 'Exceptions' }),
    facts([fact('exceptions')]),
    a.exceptions === null
      ? h('p', { class: 'muted', text: 'No tests of controls section found.' })
      : table(
          [
            { label: 'Control', cell: (x) => x.controlId ?? '—' },
            { label: 'Exception', cell: (x) => x.description },
            { label: 'Criteria', cell: (x) => (x.criteria ?? []).join(', ') || '—' },
            { label: 'Management response', cell: (x) => x.managementResponse ?? '—' },
            { label: 'Page', cell: (x) => page(x.page) },
          ],
          a.exceptions,
          'No exceptions noted.',
        ),
    h('h4', { text: 'Subservice organizations' }),
    facts([fact('subserviceOrganizations')]),
    subservice.length ? h('ul', null, subservice.map((s) => h('li', { text: `${s.name} (${s.method})${s.services ? `: ${s.services}` : ''}` }))) : null,
    (a.warnings ?? []).length ? h('ul', { class: 'errors' }, a.warnings.map((w) => h('li', { text: w }))) : null,
    ctx.reviewer && doc.analysisStatus === 'analyzed' ? h('p', { class: 'actions' }, h('button', { type: 'button', text: 'Download as corpus case', onclick: () => void downloadCorpusCase(ctx, doc) })) : null,
  );
}

function textField(name: string, labelText: string, type: 'text' | 'date' | 'area' = 'text'): HTMLElement {
  const fid = uid(name);
  const control = type === 'area' ? h('textarea', { id: fid, name, rows: 2 }) : h('input', { id: fid, name, type });
  return labelled(labelText, control);
}

function decisionRecord(d: NonNullable<Assessment['lastDecision']>): Child {
  return [
    facts([
      ['Decision', badge(d.decision)],
      ['Decided by', d.automatic ? `${d.decidedBy} (automatic)` : d.decidedBy],
      ['When', h('time', { datetime: d.decidedAt, text: formatDateTime(d.decidedAt) })],
      ['Justification', h('p', { class: 'justification', text: d.comment })],
    ]),
    d.conditions.length
      ? [
          h('h3', { text: 'Conditions' }),
          table(
            [
              { label: 'Condition', cell: (c) => c.description },
              { label: 'Due', cell: (c) => formatDate(c.dueDate) },
            ],
            d.conditions,
          ),
        ]
      : null,
  ];
}

export function assessmentPage(): void {
  const id = lastPathSegment(location.pathname);
  const base = `/api/assessments/${encodeURIComponent(id)}`;
  const reviewer = hasRole('security', 'admin');
  const onError = (message: string) => showStatus(message, true);
  const panel: PanelContext = { assessmentId: id, base, reviewer, onError };
  // The policy in force draws the rating bands; it does not change while the page is open.
  const policy = load<RiskPolicy>('/api/risk-policy');
  let status: Assessment['status'] | null = null;
  // Set when a decision was just recorded: the page shows the decision taken once the view has loaded.
  let showDecision = false;

  function renderAttention(a: Assessment, documents: readonly StaffDocument[]): void {
    const reasons = attentionReasons(a, documents);
    const can = attentionActions(a, documents, staffRoles());
    const attention = byId('attention');
    attention.hidden = reasons.length === 0;
    fill('attention-reasons', reasons.map((r) => h('li', { text: r })));
    const actions: HTMLElement[] = [];
    if (can.retry) {
      actions.push(
        h('p', { class: 'actions' }, h('button', {
          type: 'button',
          id: 'retry',
          text: a.status === 'needs-attention' ? 'Retry' : 'Read the files again',
          onclick: () =>
            void call(request<Assessment>('staff', 'POST', `${base}/retry`), 'attention-errors').then((done) => {
              if (!done) return;
              showStatus(a.status === 'needs-attention' ? 'Retried: the workflow goes on from the step that stopped.' : 'Analysis retried: documents that could not be read are read again.');
              loadView();
            }),
        })),
      );
    }
    if (can.sendBack) {
      const names = documents.filter((d) => d.analysisStatus === 'failed').map((d) => d.fileName).join(', ');
      actions.push(
        foldedForm(
          'Ask the vendor for a new file',
          textField('comment', 'What the vendor should send (the vendor reads this)', 'area'),
          (v) => request('staff', 'POST', `${base}/decision`, { decision: 'changes-requested', comment: textOf(v, 'comment').trim() || `We could not read ${names}. Please upload a copy that opens without a password.`, conditions: [] }),
          () => {
            showStatus('Sent back to the vendor: a mail with a link asks for the new file.');
            loadView();
          },
        ),
      );
    }
    fill('attention-actions', actions);
    // Cancel is always a way out for procurement, not only when something went wrong.
    byId('cancel-area').hidden = !can.cancel;
    fill(
      'cancel-area',
      can.cancel
        ? foldedForm(
            'Cancel the assessment',
            textField('reason', 'Why cancel'),
            (v) => request<Assessment>('staff', 'POST', `${base}/cancel`, { reason: textOf(v, 'reason') }),
            () => {
              showStatus('Cancelled: the vendor’s link no longer works.');
              loadView();
            },
          )
        : null,
    );
  }

  function loadView(): void {
    void load<StaffAssessmentView>(base).then((view) => {
      if (!view) return showStatus('No such assessment.', true);
      const a = view.assessment;
      status = a.status;
      fill(document.querySelector('h1'), `Assessment of ${a.vendorName}`);
      document.title = `${a.vendorName} assessment · trustgate`;
      fill(
        'summary',
        facts([
          ['Vendor', vendorLink(a.vendorId, `${a.vendorName} (tier ${a.vendorTier})`)],
          ['Status', badge(a.status)],
          ['Needs attention', a.attentionReason],
          ['Changes requested', a.changesRequested],
          ['Questionnaires', a.templates.map((t) => `${t.id} ${t.version}`).join(', ')],
          ['Vendor contact', a.contactEmail],
          ['Due', `${formatDate(a.dueDate)}${a.reminders.overdue ? ' (overdue)' : ''}, reminders sent: ${a.reminders.sent}`],
          ['Submitted', formatDateTime(a.submittedAt)],
          ['Next review', formatDate(a.nextReviewDate)],
        ]),
      );
      const decided = a.lastDecision && a.lastDecision.decision !== 'changes-requested' ? a.lastDecision : null;
      byId('decided').hidden = decided === null;
      fill('decision-record', decided ? decisionRecord(decided) : null);
      if (decided && showDecision) byId('decided').scrollIntoView({ block: 'start' });
      showDecision = false;
      byId('procurement-actions').hidden = !(hasRole('procurement', 'admin') && ['inviting', 'awaiting-vendor', 'overdue'].includes(a.status));
      byId('decide').hidden = !(reviewer && a.status === 'awaiting-review');
      byId('override-area').hidden = !(reviewer && a.status === 'awaiting-review');
      renderAttention(a, view.documents);
      const ctx: Context = { assessmentId: id, onError, base, reviewer, status: a.status, reload: loadView };
      fill('analysis', view.documents.length ? view.documents.map((d) => analysisView(d, ctx)) : h('p', { class: 'muted', text: 'No documents uploaded yet.' }));
      fill('timeline', view.timeline.slice().reverse().map((ev) => h('li', null, h('time', { datetime: ev.at, text: formatDateTime(ev.at) }), ' · ', ev.summary, h('span', { class: 'muted', text: ` (${ev.actor})` }))));
      loadScopeFit();
    });
    loadScore();
    void load<AssessmentChanges>(`${base}/changes`).then((changes) => fill('changes', renderChanges(changes)));
    loadFindings();
    loadTasks();
  }

  function loadScore(): void {
    void Promise.all([load<ScoreAnswer>(`${base}/score`), policy]).then(([res, p]) => fill('score', renderScore(panel, res?.score ?? null, p)));
  }

  function loadScopeFit(): void {
    void load<ScopeFit>(`${base}/scope-fit`).then((fit) => {
      fill('scope-fit', renderScopeFit(panel, fit));
      showScopeOverride(panel, fit, status === 'awaiting-review');
    });
  }

  /** Where a finding comes from: the document's field with its quote and a button to the page, or the question, profile or policy. */
  function findingSource(f: Finding): Child {
    const source = f.source;
    if (source.kind !== 'document') return sourceParts(source).join(', ');
    return h(
      'div',
      { class: 'citation' },
      `${source.fileName}, ${source.field}`,
      source.quote ? [' ', h('q', { text: source.quote })] : null,
      source.page ? [' ', pageButton(id, { documentId: source.documentId, fileName: source.fileName, page: source.page }, onError)] : null,
    );
  }

  function loadFindings(): void {
    void load<ItemsOf<Finding>>(`${base}/findings`).then((res) => {
      fill(
        'findings',
        table(
          [
            { label: 'Severity', cell: (f) => badge(f.severity, 'sev') },
            { label: 'Finding', cell: (f) => h('div', null, h('strong', { text: f.title }), h('div', { text: f.detail }), f.recommendedRemediation ? h('div', { class: 'muted', text: `Remediation: ${f.recommendedRemediation}` }) : null) },
            { label: 'Source', cell: (f) => findingSource(f) },
            { label: 'Owner', cell: (f) => label(f.owner) },
            { label: 'Due', cell: (f) => formatDate(f.dueDate) },
            { label: 'Status', cell: (f) => label(f.status) + (f.riskAcceptance ? ` until ${f.riskAcceptance.expiresOn}` : '') },
            {
              label: 'Actions',
              cell: (f) => {
                if (!reviewer || f.status === 'closed') return '—';
                const path = `${base}/findings/${encodeURIComponent(f.id)}`;
                const done = (message: string) => () => {
                  say('findings-status', message);
                  loadFindings();
                  loadScore();
                };
                return h(
                  'div',
                  null,
                  f.status === 'open'
                    ? foldedForm(
                        'Accept risk',
                        [textField('justification', 'Justification', 'area'), textField('expiresOn', 'Acceptance expires on', 'date')],
                        (v) => request('staff', 'POST', path, { kind: 'accept-risk', justification: textOf(v, 'justification'), expiresOn: textOf(v, 'expiresOn') }),
                        done(`Risk accepted: ${f.title}.`),
                      )
                    : null,
                  f.status !== 'remediated'
                    ? foldedForm('Mark remediated', textField('note', 'What was done', 'area'), (v) => request('staff', 'POST', path, { kind: 'remediate', note: textOf(v, 'note') }), done(`Marked remediated: ${f.title}.`))
                    : null,
                );
              },
            },
          ],
          res?.items ?? [],
          'No findings.',
        ),
      );
    });
  }

  function loadTasks(): void {
    void load<ItemsOf<CuecTask>>(`${base}/tasks`).then((res) => {
      fill(
        'tasks',
        table(
          [
            { label: 'Control we operate', cell: (t) => t.text },
            { label: 'Source', cell: (t) => h('span', null, `${t.fileName} `, t.page ? pageButton(id, { documentId: t.documentId, fileName: t.fileName, page: t.page }, onError) : null) },
            { label: 'Assigned to', cell: (t) => t.assignee ?? h('span', { class: 'muted', text: 'nobody yet' }) },
            { label: 'Status', cell: (t) => label(t.status) },
            {
              label: 'Actions',
              cell: (t) => {
                if (t.status === 'done' || t.status === 'not-applicable') return '—';
                const path = `${base}/tasks/${encodeURIComponent(t.id)}`;
                return h(
                  'div',
                  null,
                  foldedForm(
                    t.assignee ? 'Reassign' : 'Assign',
                    textField('assignee', 'Person who runs this control (name or email)'),
                    (v) => request<CuecTask>('staff', 'POST', path, { kind: 'assign', assignee: textOf(v, 'assignee') }),
                    (task) => {
                      say('tasks-status', `Assigned to ${task.assignee ?? ''}: ${task.text}`);
                      loadTasks();
                    },
                  ),
                  foldedForm('Mark done', textField('note', 'How we operate it', 'area'), (v) => request<CuecTask>('staff', 'POST', path, { kind: 'complete', note: textOf(v, 'note') }), (task) => {
                    say('tasks-status', `Done: ${task.text}`);
                    loadTasks();
                  }),
                );
              },
            },
          ],
          res?.items ?? [],
          'No CUEC tasks (they come from the SOC 2 report once analyzed).',
        ),
      );
    });
  }

  byId('resend').addEventListener('click', () => {
    void call(request<{ sentTo: string }>('staff', 'POST', `${base}/resend-invite`)).then((sent) => {
      if (!sent) return;
      showStatus(`A new link was sent to ${sent.sentTo}; earlier links no longer work.`);
      loadView();
    });
  });
  const form = byId('decision-form', HTMLFormElement);
  form.addEventListener('change', () => (byId('conditions-field').hidden = textOf(formValues(form), 'decision') !== 'approved-with-conditions'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(form);
    const decision = textOf(v, 'decision');
    const body = {
      decision,
      comment: textOf(v, 'comment'),
      conditions: decision === 'approved-with-conditions' ? [{ description: textOf(v, 'conditions.0.description'), dueDate: textOf(v, 'conditions.0.dueDate') }] : [],
    };
    // A missing condition is about the condition's inputs: the API names the list, the page the first condition.
    void submitForm(form, 'decision-errors', () => request<Assessment>('staff', 'POST', `${base}/decision`, body), { conditions: 'conditions.0.description' }).then((decided) => {
      if (!decided) return;
      say('decision-status', `Decision recorded: ${label(decided.status)}.`);
      showDecision = true;
      loadView();
    });
  });
  wireOverride(panel, loadScore);
  wireScopeOverride(panel, () => {
    loadScopeFit();
    loadScore();
    loadFindings();
  });
  loadView();
}
