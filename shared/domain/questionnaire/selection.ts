/**
 * Which templates a vendor receives, from a declarative policy (questionnaires/selection-policy.json): each rule
 * whose conditions all match adds its templates; the result is the union, in the order rules first add them, with
 * the descriptions of the rules that chose each template (so the choice can be explained to procurement).
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { CRITICALITIES, DATA_TYPES, type Criticality, type DataType, type Tier } from '../vendor.ts';

const ruleSchema = z.strictObject({
  description: z.string().min(1),
  when: z
    .strictObject({
      tiers: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).min(1).optional(),
      dataTypesAny: z.array(z.enum(DATA_TYPES)).min(1).optional(),
      criticalities: z.array(z.enum(CRITICALITIES)).min(1).optional(),
    })
    .describe('All given conditions must hold; an empty object matches every vendor'),
  templates: z.array(z.string().min(1)).min(1),
});

export const selectionPolicySchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  version: z.string().min(1),
  rules: z.array(ruleSchema).min(1),
});

export type SelectionPolicy = z.infer<typeof selectionPolicySchema>;
export type SelectionRule = z.infer<typeof ruleSchema>;

export interface SelectionInput {
  tier: Tier;
  dataTypes: readonly DataType[];
  criticality: Criticality;
}

export interface SelectedTemplate {
  templateId: string;
  /** Descriptions of the policy rules that selected it. */
  reasons: string[];
}

/** Validates a selection policy; `knownTemplateIds` (when given) must contain every template it names. */
export function parseSelectionPolicy(json: unknown, knownTemplateIds?: readonly string[]): SelectionPolicy {
  const parsed = selectionPolicySchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      'The template selection policy is invalid',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  if (knownTemplateIds) {
    const unknown = parsed.data.rules.flatMap((rule, r) =>
      rule.templates.flatMap((id, t) => (knownTemplateIds.includes(id) ? [] : [{ path: `rules.${r}.templates.${t}`, message: `unknown template id '${id}'` }])),
    );
    if (unknown.length > 0) throw new ValidationError('The template selection policy names unknown templates', unknown);
  }
  return parsed.data;
}

function matches(rule: SelectionRule, input: SelectionInput): boolean {
  const { tiers, dataTypesAny, criticalities } = rule.when;
  if (tiers && !tiers.includes(input.tier)) return false;
  if (dataTypesAny && !dataTypesAny.some((type) => input.dataTypes.includes(type))) return false;
  if (criticalities && !criticalities.includes(input.criticality)) return false;
  return true;
}

/** The templates a vendor with this profile receives under `policy`, each with the reasons it was chosen. */
export function selectTemplatesWithPolicy(policy: SelectionPolicy, input: SelectionInput): SelectedTemplate[] {
  const selected = new Map<string, string[]>();
  for (const rule of policy.rules) {
    if (!matches(rule, input)) continue;
    for (const templateId of rule.templates) {
      const reasons = selected.get(templateId) ?? [];
      reasons.push(rule.description);
      selected.set(templateId, reasons);
    }
  }
  return [...selected].map(([templateId, reasons]) => ({ templateId, reasons }));
}
