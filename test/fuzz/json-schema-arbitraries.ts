/**
 * fast-check arbitraries for fuzzing HTTP input, built from the OpenAPI (JSON Schema) documents of the routes:
 * arbitrary JSON, values of the right shape, and near-valid ones (one field of the wrong type, a key missing or
 * unknown, prototype-pollution keys, huge or unusual strings, deep nesting).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
}

/** Field name → values worth trying besides generated ones (real ids, known template ids). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Sets `key` as an own enumerable property, so JSON.stringify writes it even for "__proto__". */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

const hugeString = fc.integer({ min: 5_000, max: 60_000 }).chain((n) => fc.constantFrom('a', 'é', '😀', '<', '\u0000', ' ').map((c) => c.repeat(n)));
const unicodeString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u202e', '\ud800', '\udfff', '\u0000', '\ufeff', 'A\u0301', '𝕏', '<script>alert(1)</script>', "'; DROP TABLE vendors; --", '../../etc/passwd', '%00', '${7*7}', '   '),
);

/** Nested arrays/objects `depth` levels deep (JSON parsers and recursive validators). */
export const deeplyNested = fc.integer({ min: 50, max: 3_000 }).chain((depth) =>
  fc.boolean().map((asArray) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  }),
);

/** Any value a JSON body can carry, weighted towards the troublesome ones. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: unicodeString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, '', [], {}, [null], { __proto__: null }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties || schema.additionalProperties) return ['object'];
  return [];
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 60, 60);
  const min = Math.min(schema.minLength ?? 0, max);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? Infinity));
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri') return fc.webUrl();
  return fc.oneof(fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }), fc.string({ unit: 'grapheme', minLength: min, maxLength: max }));
}

/** Values that mostly satisfy `schema` (generated strings and numbers may still miss refinements the schema does not express). */
export function validish(schema: JsonSchema, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((s) => validish(s, hints, depth + 1)));
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringFor(schema);
        case 'integer':
          return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
        case 'number':
          return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array':
          return fc.array(validish(schema.items ?? {}, hints, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
        case 'object':
          return objectFor(schema, hints, depth);
        default:
          return fc.jsonValue({ maxDepth: 2 });
      }
    }),
  );
}

function objectFor(schema: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, s]) => [key, hints[key] && depth === 0 ? fc.oneof({ weight: 3, arbitrary: hints[key] }, { weight: 1, arbitrary: validish(s, hints, depth + 1) }) : validish(s, hints, depth + 1)]),
  );
  const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }) as fc.Arbitrary<Record<string, unknown>>;
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') {
    const keyHint = hints['*key'] as fc.Arbitrary<string> | undefined;
    const key = keyHint ? fc.oneof({ weight: 3, arbitrary: keyHint }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }) : fc.string({ maxLength: 70 });
    const dictionary = fc.dictionary(key, validish(extra, hints, depth + 1), { maxKeys: 4 });
    return fc.tuple(record, dictionary).map(([a, b]) => ({ ...b, ...a }));
  }
  return record;
}

type Mutation = (body: Record<string, unknown>) => fc.Arbitrary<unknown>;

/** One change that should make a valid body invalid (or at least unusual). */
function mutations(schema: JsonSchema): Mutation[] {
  const keys = Object.keys(schema.properties ?? {});
  const pickKey = keys.length ? fc.constantFrom(...keys) : fc.string({ maxLength: 10 });
  return [
    // The right key, a value of the wrong type or size.
    (body) => fc.tuple(pickKey, wrongValue).map(([k, v]) => withOwnKey({ ...body }, k, v)),
    // A key missing.
    (body) => pickKey.map((k) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== k))),
    // A key nobody expects.
    (body) => fc.tuple(fc.string({ maxLength: 20 }), wrongValue).map(([k, v]) => withOwnKey({ ...body }, k, v)),
    // Prototype pollution, at the top or one level down.
    (body) =>
      fc.tuple(fc.constantFrom(...POLLUTION_KEYS), fc.constantFrom<unknown>({ polluted: true, isAdmin: true }, { prototype: { polluted: true } }, 'polluted'), pickKey, fc.boolean()).map(([pk, value, k, nested]) => {
        if (!nested) return withOwnKey({ ...body }, pk, value);
        return withOwnKey({ ...body }, k, withOwnKey({}, pk, value));
      }),
    // The whole body inside something else.
    (body) => fc.constantFrom<unknown>([body], { body }, JSON.stringify(body)),
  ];
}

/** A valid-looking body with one mutation applied. */
export function nearValid(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const variants = schema.oneOf ?? schema.anyOf ?? [schema];
  return fc.constantFrom(...variants).chain((variant) => objectFor(variant, hints, 0).chain((body) => fc.oneof(...mutations(variant).map((m) => m(body)))));
}

/** Raw request bodies: what a JSON parser sees before any schema. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '{', '{"a":', '[', 'null', 'true', '"text"', '{}', '[]', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '\ufeff{}', '{"a":1,"a":2}', '1e999', '{"a":NaN}', '{\u0000}'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v).slice(0, -1)),
);

/** Any body: arbitrary JSON, shapes near the schema, the schema's own shape, or raw text. */
export function fuzzBody(schema: JsonSchema | undefined, hints: Hints = {}): fc.Arbitrary<{ json: unknown } | { raw: string }> {
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => ({ json: v }));
  if (!schema) return fc.oneof(json(wrongValue), rawBody.map((raw) => ({ raw })));
  return fc.oneof(
    { weight: 2, arbitrary: json(wrongValue) },
    { weight: 4, arbitrary: json(nearValid(schema, hints)) },
    { weight: 4, arbitrary: json(validish(schema, hints)) },
    { weight: 1, arbitrary: rawBody.map((raw) => ({ raw })) },
  );
}

export interface QueryParameter {
  name: string;
  schema: JsonSchema;
}

/** Query strings for a GET list: known parameters with good and bad values, unknown and repeated ones, broken escapes. */
export function fuzzQuery(parameters: QueryParameter[], hints: Hints = {}): fc.Arbitrary<string> {
  const valueFor = (p: QueryParameter): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: validish(p.schema).map(String) },
      { weight: 2, arbitrary: fc.oneof(unicodeString, fc.string({ maxLength: 30 }), fc.constantFrom('-1', '0', '1.5', '1e3', 'NaN', 'Infinity', '999999999999999999999', 'true', '[]', '{}')) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map((n) => 'x'.repeat(n)) },
      ...(hints[p.name] ? [{ weight: 3, arbitrary: hints[p.name] as fc.Arbitrary<string> }] : []),
    );
  const goodValueFor = (p: QueryParameter): fc.Arbitrary<string> =>
    hints[p.name] ? fc.oneof({ weight: 3, arbitrary: hints[p.name] as fc.Arbitrary<string> }, { weight: 1, arbitrary: validish(p.schema).map(String) }) : validish(p.schema).map(String);
  const pairs = (value: (p: QueryParameter) => fc.Arbitrary<string>) =>
    fc.subarray(parameters).chain((chosen) => fc.tuple<(readonly [string, string])[]>(...chosen.map((p) => value(p).map((v) => [p.name, v] as const))));
  // Half the queries are valid but for what the hints carry (forged cursors), so they reach the store.
  const known = fc.oneof(pairs(goodValueFor), pairs(valueFor));
  const unknown = fc.array(fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...POLLUTION_KEYS, 'limit[]', 'limit[0]')), fc.string({ maxLength: 20 })), { maxLength: 2 });
  const encoded = fc.tuple(known, fc.oneof({ weight: 4, arbitrary: fc.constant([] as (readonly [string, string])[]) }, { weight: 1, arbitrary: unknown }), fc.boolean()).map(([k, u, repeat]) => {
    const search = new URLSearchParams();
    for (const [name, value] of [...k, ...u]) search.append(name, value);
    if (repeat && k[0]) search.append(k[0][0], k[0][1]);
    return search.toString();
  });
  const broken = fc.constantFrom('limit=%', 'limit=%E0%A4%A', 'q=%ZZ', 'q=%uD800', 'cursor=%C0%80', '=&&=', 'limit', '%%%', 'q=a%00b', 'limit=1&limit=2&limit=3');
  return fc.oneof({ weight: 8, arbitrary: encoded }, { weight: 1, arbitrary: broken });
}
