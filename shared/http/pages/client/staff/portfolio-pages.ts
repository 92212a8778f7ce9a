/** Vendors (list, intake, one vendor), the review queue, the dashboard and the local outbox. */
import type { Assessment, Finding, ItemsOf, PageOf, RegisterDashboard, RegisterLine, SelectedTemplate, SentMail, StaffAssessmentView, TemplateSummary, Vendor } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, facts, fill, h, showStatus, table } from '../common/dom.ts';
import { clearFieldErrors, showErrorAt, showFieldErrors } from '../common/field-errors.ts';
import { formatDate, formatDateTime, isoDateAfterDays, label, lastPathSegment, problemText, queryString } from '../common/format.ts';
import { hasRole } from '../common/session.ts';
import { assessmentLink, badge, exportButton, formValues, link, listOf, load, nextReviewCell, ratingBadge, submitForm, textOf, vendorLink } from './staff-common.ts';
import {
  attentionReasons,
  effectiveAnalysis,
  overdueAssessments,
  PROFILE_TEXT_FIELDS,
  profileChanges,
  RATING_BUCKETS,
  ratingClass,
  ratingText,
  registerExport,
  reviewOrder,
  staleFrom,
  vendorStatusText,
} from './staff-logic.ts';

const itemsOf = <T>(data: ItemsOf<T> | null): T[] => data?.items ?? [];
const today = () => new Date().toISOString().slice(0, 10);

interface RegisterEntry {
  rating: RegisterLine['rating'];
  nextReviewDate: string | null;
  assessmentId: string | null;
  assessmentStatus: string | null;
}

export function vendorsPage(): void {
  const form = byId('vendor-filters', HTMLFormElement);
  const aliases = { 'query.q': 'q', 'query.tier': 'tier', 'query.criticality': 'criticality', 'query.status': 'status' };
  let cursor: string | null = null;
  let rows: Vendor[] = [];
  let register = new Map<string, RegisterEntry>();
  async function show(append: boolean): Promise<void> {
    const v = formValues(form);
    const filters = { q: textOf(v, 'q').trim(), tier: textOf(v, 'tier'), criticality: textOf(v, 'criticality'), status: textOf(v, 'status') };
    fill('vendor-export', exportButton(registerExport(filters, today()), 'export-register'));
    const [res, open] = await Promise.all([
      request<PageOf<Vendor>>('staff', 'GET', `/api/vendors${queryString({ ...filters, limit: 100, cursor: append ? cursor : '' })}`),
      append ? null : load<PageOf<Assessment>>('/api/assessments?open=true&limit=100'),
    ]);
    if (!res.ok) {
      showStatus(problemText(res.problem), true);
      showFieldErrors(form, res.problem, { aliases });
      return;
    }
    clearFieldErrors(form);
    const page = res.data;
    // The register lines of this page's vendors only: one bounded read, whatever the portfolio's size.
    const ids = page.items.map((vendor) => vendor.id);
    const lines = ids.length ? await load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: ids.join(',') })}`) : null;
    if (!append) register = new Map();
    for (const line of itemsOf(lines)) register.set(line.vendorId, line);
    for (const a of itemsOf(open)) {
      const line = register.get(a.vendorId);
      if (!line?.assessmentId) register.set(a.vendorId, { rating: line?.rating ?? null, nextReviewDate: line?.nextReviewDate ?? null, assessmentId: a.id, assessmentStatus: a.status });
    }
    rows = append ? rows.concat(page.items) : page.items;
    cursor = page.nextCursor;
    const now = today();
    fill('vendor-list', [
      table(
        [
          { label: 'Name', cell: (x) => vendorLink(x.id, x.name) },
          { label: 'Tier', cell: (x) => `Tier ${x.inherentRisk.tier}` },
          { label: 'Rating', cell: (x) => ratingBadge(register.get(x.id)?.rating) },
          { label: 'Status', cell: (x) => label(x.status) },
          { label: 'Assessment', cell: (x) => { const r = register.get(x.id); return r?.assessmentId ? assessmentLink(r.assessmentId, label(r.assessmentStatus)) : '—'; } },
          { label: 'Next review', cell: (x) => nextReviewCell(register.get(x.id)?.nextReviewDate, now) },
        ],
        rows,
        'No vendors match.',
      ),
      cursor ? h('p', null, h('button', { type: 'button', onclick: () => void show(true), text: 'Show more' })) : null,
    ]);
  }
  form.addEventListener('submit', (e) => (e.preventDefault(), void show(false)));
  form.addEventListener('change', () => void show(false));
  void show(false);
}

/** The intake's and the edit form's values as the API takes them: optional texts left out when empty. */
function profileBody(v: Record<string, string | string[]>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: textOf(v, 'name'),
    website: textOf(v, 'website'),
    contactEmail: textOf(v, 'contactEmail'),
    criticality: textOf(v, 'criticality'),
    dataClassification: textOf(v, 'dataClassification'),
    dataTypes: listOf(v, 'dataTypes'),
    systemAccess: textOf(v, 'systemAccess'),
    recordVolume: textOf(v, 'recordVolume'),
  };
  for (const key of ['contactName', 'description', 'businessOwner']) if (textOf(v, key).trim()) body[key] = textOf(v, key);
  return body;
}

export function vendorNewPage(): void {
  const form = byId('intake', HTMLFormElement);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const vendor = await submitForm(form, request<Vendor>('staff', 'POST', '/api/vendors', profileBody(formValues(form))), { summaryListId: 'form-errors' });
      if (vendor) location.assign(`/vendors/${encodeURIComponent(vendor.id)}`);
    })();
  });
}

export function vendorPage(): void {
  const id = lastPathSegment(location.pathname);
  let latest: Assessment | null = null;
  let vendorShown: Vendor | null = null;
  let line: RegisterLine | null = null;
  let rereads = 0;

  function showProfile(vendor: Vendor): void {
    vendorShown = vendor;
    document.title = `${vendor.name} · trustgate`;
    fill(document.querySelector('h1'), vendor.name);
    const risk = vendor.inherentRisk;
    const status = vendorStatusText(vendor.status, latest);
    fill(
      'profile-body',
      facts([
        ['Tier', `Tier ${risk.tier} (inherent risk ${risk.score})`],
        ['Why this tier', risk.tierReason],
        ['Status', h('span', { id: 'vendor-status', text: status.text })],
        ['Residual rating', ratingBadge(line?.rating)],
        ['Next review', nextReviewCell(line?.nextReviewDate, today())],
        ['Website', vendor.website],
        ['Security contact', (vendor.contactName ? `${vendor.contactName}, ` : '') + vendor.contactEmail],
        ['What we buy', vendor.description],
        ['Criticality', label(vendor.criticality)],
        ['Data shared', label(vendor.dataClassification) + (vendor.dataTypes.length ? `: ${vendor.dataTypes.join(', ')}` : '')],
        ['Access to our systems', label(vendor.systemAccess)],
        ['Records shared', vendor.recordVolume],
        ['Business owner', vendor.businessOwner],
      ]),
    );
    // The approval activates the vendor in the workflow's last step: read it again until it has (a few times).
    if (status.awaitsActivation && rereads < 10) {
      rereads += 1;
      setTimeout(() => void reloadVendor(), 2000);
    }
  }

  async function reloadVendor(): Promise<void> {
    const [vendor, lines] = await Promise.all([load<Vendor>(`/api/vendors/${encodeURIComponent(id)}`), load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: id })}`)]);
    line = itemsOf(lines)[0] ?? null;
    if (vendor) showProfile(vendor);
    return undefined;
  }

  void Promise.all([load<Vendor>(`/api/vendors/${encodeURIComponent(id)}`), load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: id })}`)]).then(([vendor, lines]) => {
    if (!vendor) return showStatus('No such vendor.', true);
    line = itemsOf(lines)[0] ?? null;
    showProfile(vendor);
    if (hasRole('procurement', 'admin')) {
      setUpStart(vendor);
      setUpEdit(vendor);
    }
  });
  void load<PageOf<Assessment>>(`/api/assessments${queryString({ vendorId: id, limit: 100 })}`).then(async (page) => {
    const list = itemsOf(page);
    latest = list[0] ?? null;
    if (vendorShown) showProfile(vendorShown);
    fill(
      'history',
      table(
        [
          { label: 'Started', cell: (a) => assessmentLink(a.id, formatDate(a.createdAt)) },
          { label: 'Status', cell: (a) => label(a.status) },
          { label: 'Due', cell: (a) => formatDate(a.dueDate) },
          { label: 'Decision', cell: (a) => (a.lastDecision ? label(a.lastDecision.decision) : '—') },
          { label: 'Next review', cell: (a) => formatDate(a.nextReviewDate) },
        ],
        list,
        'No assessments yet.',
      ),
    );
    const recent = list.slice(0, 5);
    const [views, findings] = await Promise.all([
      Promise.all(recent.map((a) => load<StaffAssessmentView>(`/api/assessments/${encodeURIComponent(a.id)}`))),
      Promise.all(recent.map((a) => load<ItemsOf<Finding>>(`/api/assessments/${encodeURIComponent(a.id)}/findings`))),
    ]);
    const docs = views.flatMap((view) => (view ? view.documents.map((doc) => ({ doc, assessment: view.assessment })) : []));
    fill(
      'documents',
      table(
        [
          { label: 'File', cell: (d) => d.doc.fileName },
          { label: 'Kind', cell: (d) => label(d.doc.kind) },
          { label: 'Analysis', cell: (d) => label(d.doc.analysisStatus) },
          { label: 'Period', cell: (d) => { const p = effectiveAnalysis(d.doc)?.period; return p ? `${formatDate(p.start)} to ${formatDate(p.end)}` : '—'; } },
          { label: 'Assessment', cell: (d) => assessmentLink(d.assessment.id, formatDate(d.assessment.createdAt)) },
        ],
        docs,
        'No documents yet.',
      ),
    );
    const orgs = new Map<string, { method: string; services: string | null }>();
    for (const d of docs) for (const s of effectiveAnalysis(d.doc)?.subserviceOrganizations ?? []) orgs.set(s.name, { method: s.method, services: s.services ?? null });
    const names = [...orgs.keys()].sort();
    fill('subservice', names.length ? h('ul', null, names.map((n) => h('li', null, `${n} (${label(orgs.get(n)!.method)})${orgs.get(n)!.services ? `: ${orgs.get(n)!.services}` : ''}`))) : h('p', { class: 'muted', text: 'None reported yet.' }));
    const all = findings.flatMap((r, i) => itemsOf(r).map((f) => ({ f, a: recent[i]! })));
    fill(
      'findings',
      table(
        [
          { label: 'Severity', cell: (x) => badge(x.f.severity, 'sev') },
          { label: 'Finding', cell: (x) => x.f.title },
          { label: 'Status', cell: (x) => label(x.f.status) },
          { label: 'Due', cell: (x) => formatDate(x.f.dueDate) },
          { label: 'Assessment', cell: (x) => assessmentLink(x.a.id, formatDate(x.a.createdAt)) },
        ],
        all,
        'No findings.',
      ),
    );
  });

  function setUpStart(vendor: Vendor): void {
    byId('start').hidden = false;
    const form = byId('start-form', HTMLFormElement);
    const due = byId('f-dueDate', HTMLInputElement);
    due.value = isoDateAfterDays(Date.now(), 30);
    due.min = isoDateAfterDays(Date.now(), 1);
    void Promise.all([load<ItemsOf<TemplateSummary>>('/api/questionnaires'), load<ItemsOf<SelectedTemplate>>(`/api/vendors/${encodeURIComponent(vendor.id)}/questionnaire-selection`)]).then(([templates, selected]) => {
      const chosen = new Set(itemsOf(selected).map((s) => s.templateId));
      fill('template-choices', itemsOf(templates).map((t) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'templates', value: t.id, checked: chosen.has(t.id) }), ` ${t.title} (${t.questionCount} questions)`)));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        const v = formValues(form);
        const templates = listOf(v, 'templates');
        if (templates.length === 0) return showErrorAt(form, 'templates', 'Choose at least one questionnaire.', 'start-errors');
        const started = await submitForm(form, request<Assessment>('staff', 'POST', '/api/assessments', { vendorId: vendor.id, templates, dueDate: textOf(v, 'dueDate') }), { summaryListId: 'start-errors' });
        if (started) location.assign(`/assessments/${encodeURIComponent(started.id)}`);
      })();
    });
  }

  function setUpEdit(vendor: Vendor): void {
    byId('edit').hidden = false;
    const form = byId('edit-form', HTMLFormElement);
    let current = vendor;
    const put = (v: Vendor) => {
      for (const field of PROFILE_TEXT_FIELDS) {
        const control = form.elements.namedItem(field);
        if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) control.value = v[field] ?? '';
      }
      form.querySelectorAll<HTMLInputElement>('input[name="dataTypes"]').forEach((box) => (box.checked = (v.dataTypes as string[]).includes(box.value)));
    };
    put(current);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        const saved = byId('edit-saved');
        saved.textContent = '';
        const patch = profileChanges(current, formValues(form));
        if (Object.keys(patch).length === 0) {
          clearFieldErrors(form, 'edit-errors');
          saved.textContent = 'Nothing changed.';
          return saved.scrollIntoView({ block: 'nearest' });
        }
        const next = await submitForm(form, request<Vendor>('staff', 'PATCH', `/api/vendors/${encodeURIComponent(current.id)}`, patch, { 'if-match': `"${current.version}"` }), { summaryListId: 'edit-errors' });
        if (!next) return;
        current = next;
        put(current);
        showProfile(current);
        showStatus('');
        saved.textContent = `Saved: ${Object.keys(patch).map((k) => PROFILE_LABELS[k] ?? k).join(', ')}.`;
        saved.scrollIntoView({ block: 'nearest' });
      })();
    });
  }
}

/** The edit form's fields in words, for the saved message. */
const PROFILE_LABELS: Readonly<Record<string, string>> = {
  name: 'name',
  website: 'website',
  contactEmail: 'security contact email',
  contactName: 'contact name',
  description: 'what we buy',
  businessOwner: 'business owner',
  criticality: 'criticality',
  dataClassification: 'data shared',
  dataTypes: 'data types',
  systemAccess: 'access to our systems',
  recordVolume: 'records shared',
  status: 'status',
};

export function reviewPage(): void {
  void (async () => {
    const queue = await load<PageOf<Assessment>>(`/api/assessments${queryString({ status: 'awaiting-review', limit: 100 })}`);
    const ids = [...new Set(itemsOf(queue).map((a) => a.vendorId))];
    const register = ids.length ? await load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: ids.join(',') })}`) : null;
    const byAssessment = new Map(itemsOf(register).filter((l) => l.assessmentId).map((l) => [l.assessmentId!, l]));
    const rows = reviewOrder(itemsOf(queue).map((a) => ({ a, r: byAssessment.get(a.id) ?? null })));
    fill(
      'queue',
      table(
        [
          { label: 'Vendor', cell: (x) => assessmentLink(x.a.id, x.a.vendorName) },
          { label: 'Tier', cell: (x) => `Tier ${x.a.vendorTier}` },
          { label: 'Residual risk', cell: (x) => (x.r && x.r.score !== null ? h('span', null, `${x.r.score} `, ratingBadge(x.r.rating)) : 'Not scored') },
          { label: 'Open findings', cell: (x) => (x.r ? String(x.r.openFindings) : '—') },
          { label: 'Due', cell: (x) => formatDate(x.a.dueDate) },
          { label: 'Submitted', cell: (x) => formatDate(x.a.submittedAt) },
        ],
        rows,
        'Nothing waits for review.',
      ),
    );
  })();
}

export function dashboardPage(): void {
  const now = today();
  fill('dashboard-exports', [exportButton(registerExport({}, now), 'export-register'), ' ', exportButton(registerExport({ overdue: true }, now), 'export-overdue')]);
  // Portfolio figures come from the server's maintained counts (the whole portfolio); the lists are bounded reads:
  // the assessments in needs-attention (a sparse index of open statuses), the overdue reviews (the next-review view up
  // to today) and the 50 soonest reviews for the expiry list.
  void Promise.all([
    load<RegisterDashboard>('/api/risk-register/dashboard'),
    load<PageOf<Assessment>>(`/api/assessments${queryString({ open: 'true', limit: 100 })}`),
    load<ItemsOf<RegisterLine>>(`/api/risk-register${queryString({ sort: 'next-review', limit: 50 })}`),
    load<PageOf<Assessment>>(`/api/assessments${queryString({ status: 'needs-attention', limit: 50 })}`),
    load<PageOf<RegisterLine>>(`/api/risk-register${queryString({ overdue: 'true', sort: 'next-review', limit: 50 })}`),
  ]).then(async ([figures, open, soonest, attention, overdueReviews]) => {
    const counts = RATING_BUCKETS.map((rating) => [rating, figures?.byRating[rating] ?? 0] as const);
    const max = Math.max(1, ...counts.map(([, n]) => n));
    fill('ratings', [
      h(
        'ul',
        { class: 'chart', 'aria-label': 'Vendors by rating' },
        counts.map(([rating, count]) => {
          const bar = h('span', { class: `bar ${ratingClass(rating)}`, 'aria-hidden': 'true' });
          bar.style.width = `${Math.round((count / max) * 100)}%`;
          return h('li', null, h('span', { text: ratingText(rating) }), h('span', { class: 'pts', text: String(count) }), bar);
        }),
      ),
      figures ? h('p', { class: 'muted', text: `${figures.overdueReviews} review(s) overdue, ${figures.dueReviews} due within ${figures.dueWithinDays} days.` }) : null,
    ]);
    const stuck = itemsOf(attention);
    fill('attention-count', `${stuck.length}${attention?.nextCursor ? '+' : ''} assessment(s) need attention.`);
    fill(
      'attention-list',
      table(
        [
          { label: 'Vendor', cell: (a) => vendorLink(a.vendorId, a.vendorName) },
          { label: 'Why', cell: (a) => attentionReasons(a, []).join(' ') },
          { label: 'Since', cell: (a) => formatDate(a.updatedAt) },
          { label: 'Assessment', cell: (a) => assessmentLink(a.id, 'Open the assessment') },
        ],
        stuck,
        'Nothing needs attention.',
      ),
    );
    const lateReviews = itemsOf(overdueReviews);
    fill(
      'overdue-reviews',
      table(
        [
          { label: 'Vendor', cell: (l) => vendorLink(l.vendorId, l.vendorName) },
          { label: 'Next review', cell: (l) => nextReviewCell(l.nextReviewDate, now) },
          { label: 'Rating', cell: (l) => ratingBadge(l.rating) },
          { label: 'Assessment', cell: (l) => (l.assessmentId ? assessmentLink(l.assessmentId, label(l.assessmentStatus)) : '—') },
        ],
        lateReviews,
        'No reviews are overdue.',
      ),
    );
    fill(
      'overdue',
      table(
        [
          { label: 'Vendor', cell: (a) => assessmentLink(a.id, a.vendorName) },
          { label: 'Due', cell: (a) => formatDate(a.dueDate) },
          { label: 'Status', cell: (a) => label(a.status) },
        ],
        overdueAssessments(itemsOf(open), now),
        'No overdue assessments.',
      ),
    );
    fill(
      'concentration',
      table(
        [
          { label: 'Provider', cell: (p) => p.provider },
          { label: 'Vendors on it', cell: (p) => String(p.vendors) },
        ],
        figures?.subserviceConcentration ?? [],
        'No subservice organizations reported yet.',
      ),
    );
    const withAssessment = itemsOf(soonest).filter((l) => l.assessmentId);
    const views = await Promise.all(withAssessment.map((l) => load<StaffAssessmentView>(`/api/assessments/${encodeURIComponent(l.assessmentId!)}`)));
    const horizon = isoDateAfterDays(Date.now(), 90);
    const expiring: { line: RegisterLine; fileName: string; stale: string }[] = [];
    views.forEach((view, i) => {
      const line = withAssessment[i]!;
      for (const d of view?.documents ?? []) {
        const stale = staleFrom(d);
        if (stale !== null && stale <= horizon) expiring.push({ line, fileName: d.fileName, stale });
      }
    });
    fill(
      'expiring',
      table(
        [
          { label: 'Vendor', cell: (x) => vendorLink(x.line.vendorId, x.line.vendorName) },
          { label: 'Report', cell: (x) => x.fileName },
          { label: 'Stale from', cell: (x) => x.stale + (x.stale < now ? ' (expired)' : '') },
        ],
        expiring,
        'No reports expire in the next 90 days.',
      ),
    );
  });
}

const MAIL_URL = /(https?:\/\/[^\s]+)/;

export function outboxPage(): void {
  void load<ItemsOf<SentMail>>('/api/dev/outbox?limit=50').then((res) => {
    const mails = itemsOf(res);
    fill(
      'outbox',
      mails.length
        ? mails.map((m) => {
            const text = h('div', { class: 'mail-text' });
            m.text.split(MAIL_URL).forEach((part, i) => text.appendChild(i % 2 === 1 ? link(part, part) : document.createTextNode(part)));
            text.querySelectorAll('a').forEach((a) => a.setAttribute('rel', 'noreferrer'));
            return h('article', { class: 'card mail' }, h('h2', { text: m.subject }), facts([['To', m.to.join(', ')], ['From', m.from], ['Sent', formatDateTime(m.sentAt)], ['Purpose', label(m.purpose)]]), text);
          })
        : h('p', { class: 'muted', text: 'No mail yet.' }),
    );
  });
}
