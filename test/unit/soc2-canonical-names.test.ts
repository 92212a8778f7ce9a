import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalOrganizationName,
  LEGAL_SUFFIX,
  MAX_ORGANIZATION_NAME_LENGTH,
  ORGANIZATION_ALIASES,
  organizationKey,
  sameOrganization,
  stripLegalSuffix,
} from '../../shared/domain/soc2/names/canonical-names.ts';

const families: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Amazon Web Services', ['AWS', 'Amazon Web Services, Inc.', 'Amazon Web Services Inc', 'Amazon.com Web Services', 'AWS Cloud', 'aws', 'Amazon Web Services (EMEA) SARL', 'Amazon.com, Inc. (Amazon Web Services)']],
  ['Google Cloud Platform', ['GCP', 'Google Cloud', 'Google LLC (Google Cloud)', 'Google Cloud Services', 'Google Cloud Platform (GCP)', 'Google, Inc. (GCP)']],
  ['Google Workspace', ['G Suite', 'GSuite', 'Google Workspace', 'Google LLC (Google Workspace)']],
  ['Microsoft Azure', ['Azure', 'Microsoft Azure', 'Microsoft Corporation (Azure)', 'Microsoft Corp. (Microsoft Azure)']],
  ['Microsoft 365', ['Office 365', 'Microsoft Office 365', 'O365', 'Microsoft Corporation (Office 365)']],
  ['GitHub', ['GitHub, Inc.', 'Github']],
  ['GitLab', ['GitLab Inc.', 'GitLab.com']],
  ['Atlassian', ['Atlassian Pty Ltd', 'Atlassian Corporation Plc']],
  ['Salesforce', ['salesforce.com, inc.', 'Salesforce, Inc.']],
  ['Heroku', ['Heroku', 'Salesforce (Heroku)']],
  ['Cloudflare', ['Cloudflare, Inc.']],
  ['Akamai', ['Akamai Technologies, Inc.']],
  ['Fastly', ['Fastly, Inc.']],
  ['DigitalOcean', ['Digital Ocean, LLC', 'DigitalOcean']],
  ['Oracle Cloud Infrastructure', ['OCI', 'Oracle Cloud', 'Oracle Corporation (Oracle Cloud Infrastructure)']],
  ['IBM Cloud', ['IBM Cloud', 'SoftLayer', 'International Business Machines Corporation (IBM Cloud)']],
  ['Equinix', ['Equinix, Inc.']],
  ['Rackspace', ['Rackspace Technology', 'Rackspace US, Inc.']],
  ['Snowflake', ['Snowflake Inc.', 'Snowflake Computing']],
  ['MongoDB', ['MongoDB Atlas', 'MongoDB, Inc.']],
  ['Datadog', ['Datadog, Inc.']],
  ['Okta', ['Okta, Inc.']],
  ['Auth0', ['Auth0', 'Okta (Auth0)']],
  ['Twilio', ['Twilio Inc.']],
  ['SendGrid', ['Twilio SendGrid', 'SendGrid, Inc.', 'Twilio Inc. (SendGrid)']],
  ['Mailgun', ['Mailgun Technologies, Inc.']],
  ['Mailchimp', ['Mandrill', 'Intuit Mailchimp', 'The Rocket Science Group LLC']],
  ['Zendesk', ['ZenDesk', 'Zendesk, Inc.']],
  ['Stripe', ['Stripe, Inc.', 'Stripe Payments Europe, Ltd.']],
  ['PagerDuty', ['PagerDuty, Inc.']],
  ['Slack', ['Slack Technologies, LLC']],
  ['Zoom', ['Zoom Video Communications, Inc.']],
  ['Box', ['Box, Inc.']],
  ['Dropbox', ['Dropbox, Inc.']],
  ['Workday', ['Workday, Inc.']],
  ['ADP', ['ADP, LLC', 'Automatic Data Processing, Inc.']],
  ['Elastic', ['Elastic N.V.', 'Elasticsearch B.V.']],
  ['Confluent', ['Confluent, Inc.', 'Confluent Cloud']],
  ['Vercel', ['Vercel Inc.']],
  ['Netlify', ['Netlify, Inc.']],
  ['Linode', ['Linode LLC', 'Akamai Connected Cloud']],
  ['Hetzner', ['Hetzner Online GmbH']],
  ['OVHcloud', ['OVH SAS', 'OVHcloud']],
  ['Alibaba Cloud', ['Alibaba Cloud (Singapore) Private Limited', 'Aliyun']],
  ['Tencent Cloud', ['Tencent Cloud Computing (Beijing) Co., Ltd.']],
];

describe('canonical organization names: alias families', () => {
  for (const [canonical, writings] of families) {
    it(`maps every writing of ${canonical} to it`, () => {
      expect(writings.map(canonicalOrganizationName)).toEqual(writings.map(() => canonical));
    });
  }

  it('gives the three ways reports write AWS one key', () => {
    const keys = new Set(['AWS', 'Amazon Web Services, Inc.', 'Amazon.com Web Services'].map(organizationKey));
    expect([...keys]).toEqual(['amazon web services']);
  });

  it('maps every canonical name to itself', () => {
    const names = ORGANIZATION_ALIASES.map((entry) => entry.canonical);
    expect(names.map(canonicalOrganizationName)).toEqual(names);
  });

  it('maps every alias in the table to its own entry and to no other', () => {
    const wrong = ORGANIZATION_ALIASES.flatMap((entry) => entry.aliases.filter((alias) => canonicalOrganizationName(alias) !== entry.canonical).map((alias) => `${alias} → ${canonicalOrganizationName(alias)}`));
    expect(wrong).toEqual([]);
  });

  it('keeps distinct services apart: no service key is a leading run of another', () => {
    const services = ORGANIZATION_ALIASES.filter((entry) => entry.umbrella !== true).map((entry) => entry.canonical);
    const merged = services.flatMap((a) => services.filter((b) => a !== b && sameOrganization(a, b)).map((b) => `${a} = ${b}`));
    expect(merged).toEqual([]);
  });
});

describe('canonical organization names: legal suffixes', () => {
  it.each([
    ['Amazon Web Services, Inc.', 'Amazon Web Services'],
    ['Acme L.L.C.', 'Acme'],
    ['Acme Co., Ltd.', 'Acme'],
    ['Acme Solutions Pvt. Ltd.', 'Acme Solutions'],
    ['Acme Solutions Private Limited', 'Acme Solutions'],
    ['Acme Pty Ltd', 'Acme'],
    ['Acme GmbH & Co. KG', 'Acme'],
    ['Acme S.r.l.', 'Acme'],
    ['Acme SAS', 'Acme'],
    ['Acme K.K.', 'Acme'],
    ['Acme Holdings B.V.', 'Acme Holdings'],
    ['Atlassian Corporation Plc', 'Atlassian'],
  ])('strips the legal form from %s', (name, expected) => {
    expect(stripLegalSuffix(name)).toBe(expected);
  });

  it('leaves a name without a legal form unchanged', () => {
    expect(stripLegalSuffix('Zoom Video Communications')).toBe('Zoom Video Communications');
  });

  it('leaves a name that is only a legal form unchanged', () => {
    expect(stripLegalSuffix('Limited')).toBe('Limited');
  });

  it('does not strip a legal form inside a word', () => {
    expect(stripLegalSuffix('Acme Incubator')).toBe('Acme Incubator');
  });

  it('exports one legal-suffix pattern that matches whole words only', () => {
    expect(['Inc.', 'L.L.C.', 'GmbH', 'S.A.', 'N.V.', 'Pvt. Ltd.'].map((s) => LEGAL_SUFFIX.test(s))).toEqual([true, true, true, true, true, true]);
    expect(LEGAL_SUFFIX.test('Incubator')).toBe(false);
  });

  it('gives a name the same key with or without its legal form, case and punctuation', () => {
    expect(organizationKey('Bluefin Payroll Cloud, Ltd.')).toBe(organizationKey('BLUEFIN PAYROLL CLOUD LIMITED'));
  });

  it('ignores a leading "the" in the key', () => {
    expect(organizationKey('The Acme Company')).toBe('acme');
  });
});

describe('canonical organization names: unknown names', () => {
  it('keeps an unknown name with its legal form as written', () => {
    expect(canonicalOrganizationName('Bluefin Payroll Cloud Ltd')).toBe('Bluefin Payroll Cloud Ltd');
  });

  it('keeps the full stop of a legal form and drops a sentence full stop', () => {
    expect([canonicalOrganizationName('Northwind Data Centers, Inc.'), canonicalOrganizationName('Northwind Data Centers.')]).toEqual(['Northwind Data Centers, Inc.', 'Northwind Data Centers']);
  });

  it('collapses whitespace in an unknown name', () => {
    expect(canonicalOrganizationName('  Postmark\n Labs   LLC ')).toBe('Postmark Labs LLC');
  });

  it('drops trailing commas and semicolons', () => {
    expect(canonicalOrganizationName('Adyen N.V.,;')).toBe('Adyen N.V.');
  });

  it('keeps a parenthetical that qualifies an unknown name', () => {
    expect(canonicalOrganizationName('Acme Hosting (AWS)')).toBe('Acme Hosting (AWS)');
  });

  it('reads a parenthetical the extractor left unclosed', () => {
    expect(canonicalOrganizationName('Amazon Web Services (AWS')).toBe('Amazon Web Services');
  });

  it('only collapses the whitespace of text too long to be a name', () => {
    const sentence = `${'Our hosting provider, '.repeat(20)}  AWS`;
    expect(sentence.length).toBeGreaterThan(MAX_ORGANIZATION_NAME_LENGTH);
    expect(canonicalOrganizationName(sentence)).toBe(sentence.replace(/\s+/g, ' ').trim());
  });

  it('returns an empty string only for a blank name', () => {
    expect([canonicalOrganizationName('   '), canonicalOrganizationName('()')]).toEqual(['', '()']);
  });
});

describe('canonical organization names: quotes, parentheses and possessives', () => {
  it('strips wrapping double quotes', () => {
    expect(canonicalOrganizationName('"Stripe, Inc."')).toBe('Stripe');
  });

  it('strips wrapping curly quotes from an unknown name', () => {
    expect(canonicalOrganizationName('“Bluefin Payroll Cloud Ltd”')).toBe('Bluefin Payroll Cloud Ltd');
  });

  it('strips a quote left unpaired by the extractor', () => {
    expect(canonicalOrganizationName('Bluefin Payroll Cloud Ltd"')).toBe('Bluefin Payroll Cloud Ltd');
  });

  it('strips wrapping parentheses', () => {
    expect(canonicalOrganizationName('(ZenDesk)')).toBe('Zendesk');
  });

  it('strips an unbalanced closing parenthesis', () => {
    expect(canonicalOrganizationName('Bluefin Payroll Cloud Ltd)')).toBe('Bluefin Payroll Cloud Ltd');
  });

  it('reads a possessive provider name', () => {
    expect([canonicalOrganizationName("AWS's"), canonicalOrganizationName('Amazon Web Services’')]).toEqual(['Amazon Web Services', 'Amazon Web Services']);
  });

  it("keeps the 's of an unknown name, which may be part of it, but not in its key", () => {
    expect([canonicalOrganizationName("Macy's"), organizationKey("Macy's"), organizationKey("Macy's, Inc.")]).toEqual(["Macy's", 'macy', 'macy']);
  });
});

describe('canonical organization names: ambiguous names', () => {
  it('does not guess Google Cloud from "Google LLC" alone', () => {
    expect([canonicalOrganizationName('Google LLC'), canonicalOrganizationName('Google')]).toEqual(['Google', 'Google']);
  });

  it('does not guess Azure from "Microsoft" alone', () => {
    expect([canonicalOrganizationName('Microsoft'), canonicalOrganizationName('Microsoft Corporation')]).toEqual(['Microsoft', 'Microsoft']);
  });

  it('does not guess AWS from "Amazon.com, Inc." alone', () => {
    expect(canonicalOrganizationName('Amazon.com, Inc.')).toBe('Amazon');
  });

  it('lets a known service in parentheses name the service of a parent company', () => {
    expect(canonicalOrganizationName('Google Inc. (Google Workspace)')).toBe('Google Workspace');
  });

  it('keeps a known service when the parenthetical names something else', () => {
    expect(canonicalOrganizationName('Google Workspace (formerly G Suite)')).toBe('Google Workspace');
  });

  it('keeps a service that belongs to another provider apart from it', () => {
    expect([canonicalOrganizationName('GitHub'), sameOrganization('GitHub', 'Microsoft')]).toEqual(['GitHub', false]);
  });
});

describe('sameOrganization', () => {
  it.each([
    ['AWS', 'Amazon Web Services, Inc.'],
    ['Acme Solutions', 'Acme Solutions Private Limited'],
    ['Acme Solutions', 'Acme Solutions India'],
    ['Google LLC', 'Google Cloud Platform'],
    ['Microsoft', 'Azure'],
    ['Blue Fin Payroll', 'BlueFin Payroll Ltd'],
  ])('%s and %s are the same organization', (a, b) => {
    expect(sameOrganization(a, b)).toBe(true);
  });

  it.each([
    ['Google Workspace', 'Google Cloud Platform'],
    ['Microsoft Azure', 'Office 365'],
    ['Cloud Services', 'Cloud Services Acme'],
    ['Acme Solutions', 'Acme Systems'],
    ['Twilio', 'SendGrid'],
    ['', ''],
  ])('%s and %s are different organizations', (a, b) => {
    expect(sameOrganization(a, b)).toBe(false);
  });

  it('is symmetric for a leading run', () => {
    expect(sameOrganization('Acme Solutions India', 'Acme Solutions')).toBe(true);
  });
});

describe('canonical organization names: properties', () => {
  const nameLike = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.tuple(fc.constantFrom(...families.flatMap(([, writings]) => writings), 'Bluefin Payroll Cloud Ltd', "Macy's"), fc.constantFrom('', '.', ',', "'s", '’', ' Inc.', ' (EU)', ')', '"')).map(([name, tail]) => `${name}${tail}`),
    fc.tuple(fc.constantFrom('"', '(', '“', "'", ' '), fc.string(), fc.constantFrom('"', ')', '”', "'", ' ', '.')).map(([open, body, close]) => `${open}${body}${close}`),
  );
  const nonBlank = nameLike.filter((s) => s.trim() !== '');

  it('is idempotent', () => {
    fc.assert(fc.property(nameLike, (name) => canonicalOrganizationName(canonicalOrganizationName(name)) === canonicalOrganizationName(name)), { numRuns: 2000 });
  });

  it('never throws and never returns an empty string for a non-blank name', () => {
    fc.assert(fc.property(nonBlank, (name) => canonicalOrganizationName(name).length > 0), { numRuns: 2000 });
  });

  it('keeps the key of the name it canonicalizes', () => {
    fc.assert(fc.property(nameLike, (name) => organizationKey(canonicalOrganizationName(name)) === organizationKey(name)), { numRuns: 2000 });
  });

  it('finds every name the same organization as its canonical name', () => {
    fc.assert(fc.property(nonBlank, (name) => sameOrganization(name, canonicalOrganizationName(name))), { numRuns: 2000 });
  });
});
