/** What kind of difference a check found between the service and the mock. */
export type DriftKind =
  | 'status'
  | 'content-type'
  | 'header'
  | 'not-json'
  | 'missing'
  | 'type'
  | 'extra'
  | 'semantics';

/** How each kind reads in a report. */
export const DRIFT_MEANING: Record<DriftKind, string> = {
  status: 'another status',
  'content-type': 'another content type',
  header: 'a header the mock sends is missing or other',
  'not-json': 'the body is not JSON',
  missing: 'a field the mock sends is missing',
  type: 'a field has another type',
  extra: 'the service has a field the mock lacks',
  semantics: 'paging, search or order behaves otherwise',
};

/** One line of the report: a check of one case, passed, or a drift at a JSON pointer. */
export interface Check {
  /** The documented example (or semantic probe) it belongs to. */
  case: string;
  /** What was checked: status, content type, header X, body, error envelope, a paging rule. */
  check: string;
  result: 'pass' | 'drift';
  kind?: DriftKind;
  /** JSON pointer into the body, `''` for the whole body; absent for status and headers. */
  pointer?: string;
  expected?: string;
  actual?: string;
}

export type Finding = Required<Pick<Check, 'kind' | 'pointer' | 'expected' | 'actual'>>;

/** The part of JSON Schema the OpenAPI documents use for response bodies. */
export interface Schema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A short account of a value: its type, and the value itself when it is short. */
export function shown(value: unknown): string {
  const type = jsonType(value);
  if (type === 'object' || type === 'array') return type;
  const text = JSON.stringify(value);
  return text.length <= 40 ? `${type} ${text}` : type;
}

const pointerPart = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function types(schema: Schema): string[] {
  // how the OpenAPI document writes TypeBox's Null: `{ type: 'object', nullable: true, enum: [null] }`
  if (schema.enum?.length === 1 && schema.enum[0] === null) return ['null'];
  const declared = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  if (schema.nullable || schema.enum?.includes(null)) declared.push('null');
  return declared;
}

function described(schema: Schema): string {
  const union = schema.anyOf ?? schema.oneOf;
  const names = union ? union.flatMap(types) : types(schema);
  return [...new Set(names)].join(' or ') || 'any';
}

function accepts(schema: Schema, value: unknown): boolean {
  const allowed = types(schema);
  if (allowed.length === 0) return true;
  const type = jsonType(value);
  return allowed.includes(type) || (type === 'integer' && allowed.includes('number'));
}

/**
 * The differences between a body the service sent and the schema the mock answers with: a field the
 * schema requires that is missing (the provider's pages say which are; a field the mock's documented
 * answer merely shows may be left out), a field of another type, and a field the schema does not
 * know, each at its pointer.
 */
export function bodyFindings(value: unknown, schema: Schema, template?: unknown, pointer = ''): Finding[] {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const tries = union.filter((branch) => accepts(branch, value)).map((branch) => bodyFindings(value, branch, template, pointer));
    if (tries.length === 0) return [{ kind: 'type', pointer, expected: described(schema), actual: shown(value) }];
    return tries.reduce((best, found) => (found.length < best.length ? found : best));
  }
  if (!accepts(schema, value)) return [{ kind: 'type', pointer, expected: described(schema), actual: shown(value) }];
  const findings: Finding[] = [];
  if (jsonType(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    for (const key of schema.required ?? []) {
      if (!(key in object)) findings.push({ kind: 'missing', pointer: `${pointer}/${pointerPart(key)}`, expected: described(properties[key] ?? {}), actual: 'absent' });
    }
    for (const [key, item] of Object.entries(object)) {
      const at = `${pointer}/${pointerPart(key)}`;
      const known = properties[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      const inner = (template as Record<string, unknown> | undefined)?.[key];
      if (known) findings.push(...bodyFindings(item, known, inner, at));
      else if (schema.additionalProperties !== true) findings.push({ kind: 'extra', pointer: at, expected: 'absent', actual: shown(item) });
    }
  } else if (Array.isArray(value) && schema.items) {
    const inner = Array.isArray(template) ? template[0] : undefined;
    value.forEach((item, index) => findings.push(...bodyFindings(item, schema.items!, inner, `${pointer}/${index}`)));
  }
  return findings;
}

/** The same field drifting in every item of a list is one finding, at its first item. */
export function firstOfEach(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const shape = `${finding.kind} ${finding.pointer.replace(/\/\d+(?=\/|$)/g, '/*')}`;
    if (seen.has(shape)) return false;
    seen.add(shape);
    return true;
  });
}
