/** The fourth-party pages: providers across the portfolio (/fourth-parties) and one provider's vendors (/fourth-parties/{provider}). */
import type { FourthPartyDetail, FourthPartyList } from '../api-types.ts';
import { byId, facts, fill, h, table } from '../common/dom.ts';
import { label, lastPathSegment, queryString } from '../common/format.ts';
import { badge, link, load, vendorLink } from './staff-common.ts';
import { citationText, classificationCounts, percent, policyText, tierCounts } from './fourth-parties-logic.ts';

const providerHref = (key: string) => `/fourth-parties/${encodeURIComponent(key)}`;

export function fourthPartiesPage(): void {
  const sort = byId('fp-sort', HTMLSelectElement);
  let cursor: string | null = null;
  let rows: FourthPartyList['items'] = [];
  async function show(append: boolean): Promise<void> {
    const page = await load<FourthPartyList>(`/api/fourth-parties${queryString({ sort: sort.value, limit: 50, cursor: append ? cursor : '' })}`);
    if (!page) return;
    rows = append ? rows.concat(page.items) : page.items;
    cursor = page.nextCursor;
    fill('fp-policy', policyText(page.policy, page.portfolioTier1Vendors));
    fill('fp-list', [
      table(
        [
          { label: 'Provider', cell: (p) => link(providerHref(p.providerKey), p.provider) },
          { label: 'Vendors', cell: (p) => String(p.vendors) },
          { label: 'By tier', cell: (p) => tierCounts(p.byTier) },
          { label: 'By data classification', cell: (p) => classificationCounts(p.byDataClassification) },
          { label: 'Share of tier-1 vendors', cell: (p) => percent(p.tier1Share) },
          { label: 'Concentration', cell: (p) => (p.concentration ? [badge(p.concentration.severity, 'sev'), ' ', p.concentration.title] : 'Within policy') },
        ],
        rows,
        'No vendor report names a subservice organization yet.',
      ),
      cursor ? h('p', null, h('button', { type: 'button', onclick: () => void show(true), text: 'Show more' })) : null,
    ]);
  }
  sort.addEventListener('change', () => void show(false));
  byId('fp-filters', HTMLFormElement).addEventListener('submit', (e) => (e.preventDefault(), void show(false)));
  void show(false);
}

export function fourthPartyPage(): void {
  const key = lastPathSegment(location.pathname);
  let cursor: string | null = null;
  let vendors: FourthPartyDetail['vendors'] = [];
  async function show(append: boolean): Promise<void> {
    const page = await load<FourthPartyDetail>(`/api/fourth-parties/${encodeURIComponent(key)}${queryString({ limit: 50, cursor: append ? cursor : '' })}`);
    if (!page) {
      if (!append) fill('fp-vendors', h('p', { class: 'muted', text: 'No vendor of ours depends on this provider.' }));
      return;
    }
    const p = page.provider;
    vendors = append ? vendors.concat(page.vendors) : page.vendors;
    cursor = page.nextCursor;
    fill('fp-name', p.provider);
    document.title = `${p.provider} · Fourth party · trustgate`;
    fill('fp-facts', facts([
      ['Vendors depending on it', String(p.vendors)],
      ['By tier', tierCounts(p.byTier)],
      ['By data classification', classificationCounts(p.byDataClassification)],
      ['Share of our tier-1 vendors', percent(p.tier1Share)],
    ]));
    if (!append) {
      fill(
        'fp-finding',
        p.concentration
          ? h(
              'div',
              { class: 'attention' },
              h('h3', null, badge(p.concentration.severity, 'sev'), ' Concentration finding'),
              h('p', { text: p.concentration.title }),
              h('p', { text: 'Evidence: the tier-1 vendors whose reports name it' }),
              h('ul', null, page.evidence.map((e) => h('li', null, vendorLink(e.vendorId, e.vendorName), ` — ${citationText(e)}`))),
            )
          : h('p', { class: 'muted', text: 'Within the concentration threshold of the risk policy.' }),
      );
    }
    fill('fp-vendors', [
      table(
        [
          { label: 'Vendor', cell: (v) => vendorLink(v.vendorId, v.vendorName) },
          { label: 'Tier', cell: (v) => `Tier ${v.tier}` },
          { label: 'Data classification', cell: (v) => label(v.dataClassification) },
          { label: 'Method', cell: (v) => label(v.method) },
          { label: 'Services', cell: (v) => v.services ?? '—' },
          { label: 'Region', cell: (v) => v.region ?? 'Not stated' },
          { label: 'Stated in', cell: (v) => (v.assessmentId ? link(`/assessments/${encodeURIComponent(v.assessmentId)}`, citationText(v.citation)) : citationText(v.citation)) },
        ],
        vendors,
        'No vendor of ours depends on this provider.',
      ),
      cursor ? h('p', null, h('button', { type: 'button', onclick: () => void show(true), text: 'Show more' })) : null,
    ]);
  }
  void show(false);
}
