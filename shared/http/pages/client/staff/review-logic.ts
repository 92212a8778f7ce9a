/**
 * The security reviewer's page as pure functions (unit-tested in test/unit/client-review-logic.test.ts): the score's
 * contributions grouped by what they come from and by cause, the policy's rating bands on a 0-100 scale, the fields
 * the analyzer was unsure of, and the "what changed" view of a reassessment. No DOM, no globals.
 */
import type { ContributionSource, ScoreContribution } from '../../../../domain/risk/residual-risk.ts';
import type { RiskRating } from '../../../../domain/risk/risk-policy.ts';
import type { AnswerEntry, AssessmentChanges, StaffDocument } from '../api-types.ts';

export const CONTRIBUTION_GROUPS = ['inherent', 'evidence', 'findings', 'adjustments'] as const;
export type ContributionGroupId = (typeof CONTRIBUTION_GROUPS)[number];

export const GROUP_LABELS: Readonly<Record<ContributionGroupId, string>> = {
  inherent: 'Inherent profile',
  evidence: 'Evidence',
  findings: 'Findings',
  adjustments: 'Adjustments',
};

/** Which group a contribution id belongs to: its kind is written first in every id the score builds. */
export function groupOf(id: string): ContributionGroupId {
  if (id.startsWith('inherent:')) return 'inherent';
  if (id.startsWith('assurance:')) return 'evidence';
  if (id.startsWith('penalty:')) return 'findings';
  return 'adjustments';
}

// An assurance contribution is one category's share of one piece of evidence: "assurance:<category>:<cause>". The
// same cause (a stale report, an answer, an exception) counts in every required category it covers, so the category
// is dropped to get one line per cause.
const ASSURANCE_ID = /^assurance:(?<category>[^:]+):(?<cause>.+)$/;
// The score words each assurance line "<Category> assurance: <what>"; the category's name is read from there.
const ASSURANCE_TEXT = /^(?<category>[A-Z][A-Za-z -]*?) assurance: (?<what>.+)$/s;

/** The cause of a contribution: its id without the category for assurance lines, else the id itself. */
export function causeOf(id: string): string {
  const m = ASSURANCE_ID.exec(id);
  return m?.groups ? `assurance:${m.groups.cause}` : id;
}

/** A page of a stored document that a line cites. */
export interface PageCitation {
  documentId: string;
  fileName: string;
  page: number;
}

/** One line per cause: the points of every category it counted in, added up. */
export interface CauseLine {
  cause: string;
  group: ContributionGroupId;
  description: string;
  /** The categories' names when the cause counted in several (or in one, for evidence). */
  categories: string[];
  points: number;
  /** How many contributions the line stands for. */
  parts: number;
  source: ContributionSource | null;
  citations: PageCitation[];
}

export interface ContributionGroup {
  id: ContributionGroupId;
  label: string;
  total: number;
  /** Non-zero lines, largest first. */
  lines: CauseLine[];
  /** Lines of 0 points (shown folded). */
  zero: CauseLine[];
}

interface Part {
  id: string;
  description: string;
  points: number;
  source?: ContributionSource | null;
}

/** One description for the parts of a cause, naming the categories once. */
function describe(parts: readonly Part[]): { description: string; categories: string[] } {
  const split = parts.map((p) => {
    const m = groupOf(p.id) === 'evidence' ? ASSURANCE_TEXT.exec(p.description) : null;
    return m?.groups ? { category: m.groups.category!, what: m.groups.what! } : { category: null, what: p.description };
  });
  const categories = [...new Set(split.map((s) => s.category).filter((c): c is string => c !== null))];
  const first = split[0]!;
  if (categories.length === 0) return { description: first.what, categories };
  const list = categories.join(', ');
  // "report covers Security (…)" and "report covers Availability (…)" are one sentence naming both.
  const generic = (s: (typeof split)[number]) => (s.category ? s.what.split(s.category).join('\u0000') : s.what);
  if (first.category && first.what.includes(first.category) && split.every((s) => generic(s) === generic(first))) {
    return { description: generic(first).split('\u0000').join(list), categories };
  }
  return { description: `${first.what} (${list})`, categories };
}

function citationOf(source: ContributionSource | null | undefined): PageCitation | null {
  return source?.kind === 'document' && source.page ? { documentId: source.documentId, fileName: source.fileName, page: source.page } : null;
}

function lineOf(cause: string, parts: readonly Part[]): CauseLine {
  const citations = new Map<string, PageCitation>();
  for (const p of parts) {
    const c = citationOf(p.source);
    if (c) citations.set(`${c.documentId}#${c.page}`, c);
  }
  return {
    cause,
    group: groupOf(parts[0]!.id),
    ...describe(parts),
    points: parts.reduce((s, p) => s + p.points, 0),
    parts: parts.length,
    source: parts[0]!.source ?? null,
    citations: [...citations.values()].sort((a, b) => a.page - b.page),
  };
}

/** Parts of the same cause together, in the order each cause first appears. */
function byCause<T extends { id: string }>(items: readonly T[]): Map<string, T[]> {
  const causes = new Map<string, T[]>();
  for (const item of items) {
    const key = causeOf(item.id);
    causes.set(key, [...(causes.get(key) ?? []), item]);
  }
  return causes;
}

/**
 * The score's contributions in their groups (inherent profile, evidence, findings, and adjustments when there are
 * any), one line per cause: a stale report that lowers the assurance of four categories is one line, not four.
 */
export function groupContributions(contributions: readonly ScoreContribution[]): ContributionGroup[] {
  const lines = [...byCause(contributions)].map(([cause, parts]) => lineOf(cause, parts));
  return CONTRIBUTION_GROUPS.map((id) => {
    const mine = lines.filter((l) => l.group === id);
    return {
      id,
      label: GROUP_LABELS[id],
      total: mine.reduce((s, l) => s + l.points, 0),
      lines: mine.filter((l) => l.points !== 0).sort((a, b) => Math.abs(b.points) - Math.abs(a.points)),
      zero: mine.filter((l) => l.points === 0),
    };
  }).filter((g) => g.lines.length + g.zero.length > 0 && (g.id !== 'adjustments' || g.total !== 0));
}

export interface RatingBand {
  rating: RiskRating;
  /** First score of the band. */
  from: number;
  /** Last score of the band (inclusive). */
  to: number;
}

/** The policy's rating bands on the 0-100 scale, from its thresholds (a score at a threshold is in the higher band). */
export function ratingBands(thresholds: { medium: number; high: number; critical: number }): RatingBand[] {
  return [
    { rating: 'low', from: 0, to: thresholds.medium - 1 },
    { rating: 'medium', from: thresholds.medium, to: thresholds.high - 1 },
    { rating: 'high', from: thresholds.high, to: thresholds.critical - 1 },
    { rating: 'critical', from: thresholds.critical, to: 100 },
  ];
}

/** The band a score falls in. */
export function bandOf(score: number, bands: readonly RatingBand[]): RatingBand {
  return bands.find((b) => score >= b.from && score <= b.to) ?? bands[score < 0 ? 0 : bands.length - 1]!;
}

/** The fields of an analysis the analyzer marked low-confidence, with its reason, in the analyzer's order. */
export function lowConfidenceFields(analysis: StaffDocument['effectiveAnalysis'] | StaffDocument['analysis'] | null | undefined): { field: string; reason: string }[] {
  return Object.entries(analysis?.confidence ?? {})
    .filter(([, c]) => c.level === 'low')
    .map(([field, c]) => ({ field, reason: c.reason ?? 'the analyzer was not sure of it' }));
}

/** An answer in words: its value (choices joined), and the comment, compensating control and date when given. */
export function answerText(entry: AnswerEntry | null | undefined, documentNames: Readonly<Record<string, string>> = {}): string {
  if (!entry) return 'no answer';
  const v = entry.value;
  // A file question is answered with a document id: shown by its file name.
  const named = (x: string) => (Object.hasOwn(documentNames, x) ? documentNames[x]! : x);
  const value = typeof v === 'string' || typeof v === 'number' ? (v === '' ? 'empty' : named(String(v))) : v.map(named).join(', ') || 'nothing chosen';
  const extras = [entry.comment && `comment: ${entry.comment}`, entry.compensatingControl && `compensating control: ${entry.compensatingControl}`, entry.remediationDate && `fix by ${entry.remediationDate}`].filter(Boolean);
  return extras.length ? `${value} (${extras.join('; ')})` : value;
}

/** A contribution that moved between the previous approved assessment and this one, one line per cause. */
export interface MovedLine {
  cause: string;
  group: ContributionGroupId;
  description: string;
  before: number;
  after: number;
}

export type ChangesView =
  | { kind: 'none'; message: string }
  | {
      kind: 'changes';
      previous: NonNullable<AssessmentChanges['previous']>;
      score: AssessmentChanges['score'];
      moved: MovedLine[];
      answers: { question: string; before: string; after: string }[];
      opened: AssessmentChanges['findings']['opened'];
      closed: AssessmentChanges['findings']['closed'];
      sections: { confirmed: number; edited: number; unconfirmed: number };
    };

const QUESTION_CAUSE = /:question:(?<template>[^:]+):(?<question>[^:]+)$/;

/** What the "what changed" panel shows: an empty state without a previous approved assessment, else the changes. */
export function changesView(changes: AssessmentChanges | null): ChangesView {
  if (!changes?.previous) return { kind: 'none', message: 'No previous approved assessment of this vendor: there is nothing to compare with.' };
  const moved = [...byCause(changes.score.contributions)]
    .map(([cause, parts]): MovedLine => {
      const before = parts.reduce((s, p) => s + p.before, 0);
      const after = parts.reduce((s, p) => s + p.after, 0);
      // The changes carry no source: an answer's line names its question from the cause, as the score's lines do.
      const question = QUESTION_CAUSE.exec(cause)?.groups?.question;
      const description = describe(parts.map((p) => ({ id: p.id, description: p.description, points: p.after }))).description;
      return { cause, group: groupOf(parts[0]!.id), description: question ? `${description} (question ${question})` : description, before, after };
    })
    .filter((m) => m.before !== m.after)
    .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
  const count = (review: string) => changes.sections.filter((s) => s.review === review).length;
  return {
    kind: 'changes',
    previous: changes.previous,
    score: changes.score,
    moved,
    answers: changes.answers.map((a) => ({ question: `${a.templateId} · ${a.questionId}`, before: answerText(a.before, changes.documentNames), after: answerText(a.after, changes.documentNames) })),
    opened: changes.findings.opened,
    closed: changes.findings.closed,
    sections: { confirmed: count('confirmed'), edited: count('edited'), unconfirmed: count('unconfirmed') },
  };
}

/** "+3", "−2", "0": a signed number of points. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
