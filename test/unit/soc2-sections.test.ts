import { describe, expect, it } from 'vitest';
import { classifyPartHeading, findParts } from '../../shared/domain/soc2/sections.ts';

describe('classifyPartHeading', () => {
  it.each([
    ["SECTION I: Independent Service Auditor's Report", 'auditor'],
    ['Report of Independent Service Auditors', 'auditor'],
    ['REPORT OF INDEPENDENT ACCOUNTANTS', 'auditor'],
    ["2. Management's Assertion", 'assertion'],
    ['Assertion of Acme Cloud, Inc. Management', 'assertion'],
    ["Acme's Description of Its Cloud Platform System", 'description'],
    ['Section 4 – Trust Services Criteria, Related Controls, Tests of Controls and Results of Tests', 'tests'],
    ['Information Provided by the Independent Service Auditor', 'tests'],
    ['Other Information Provided by Acme', 'other'],
  ])('reads "%s" as %s', (heading, kind) => {
    expect(classifyPartHeading(heading)).toBe(kind);
  });

  it('does not take a wrapped sentence for a heading', () => {
    expect(classifyPartHeading("We have examined Acme Cloud, Inc.'s accompanying description of its Acme Cloud Platform system titled")).toBeNull();
  });

  it('does not take a report title on the cover for the description', () => {
    expect(classifyPartHeading("Report on Acme's Description of Its System Relevant to Security")).toBeNull();
  });
});

describe('findParts', () => {
  it('finds parts in any order and keeps the auditor report whole across its "Description of Tests of Controls" paragraph', () => {
    const lines = ["1. Management's Assertion", 'We confirm that...', "2. Independent Service Auditor's Report", 'Description of Tests of Controls', 'In our opinion, in all material respects...', '3. System Description', 'Overview']
      .map((text) => ({ page: 1, text }));
    expect(findParts(lines).map((p) => [p.kind, p.start, p.end])).toEqual([['assertion', 0, 2], ['auditor', 2, 5], ['description', 5, 7]]);
  });
});
