/**
 * Invalid request bodies for every operation of an OpenAPI 3.1 document that takes a JSON body,
 * read from the document itself so a route added later is covered without writing its cases:
 * no JSON at all, JSON that is not an object, each declared property given a value of the wrong
 * type, each required property left out, an unknown key where the schema is strict, at any depth
 * (nested objects, list items). Each case is invalid whatever the rest of the body holds, so none
 * can be accepted and change anything.
 */
import fc from 'fast-check';
import { notAnObject, unknownKey } from './invalid-inputs';

/** The parts of a JSON Schema these generators read. */
type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  example?: unknown;
};

type Parameter = { name: string; in: string; schema?: JsonSchema };
type Operation = { parameters?: Parameter[]; security?: unknown[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
export type OpenApiDocument = { paths?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, JsonSchema> } };

export type BodyOperation = { method: string; path: string; parameters: Parameter[]; secured: boolean; schema: JsonSchema };
/** A body to send and the field its refusal must name (undefined: the body as a whole). */
export type InvalidBody = { body: string; field?: string };

const methods = ['post', 'put', 'patch', 'delete'];

/** Every operation with an application/json request body, its schema's $ref resolved. */
export function bodyOperations(document: OpenApiDocument): BodyOperation[] {
  const operations: BodyOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method] as Operation | undefined;
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      if (!operation || !schema) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path'),
        secured: (operation.security ?? []).length > 0,
        schema: resolve(document, schema),
      });
    }
  }
  return operations;
}

function resolve(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = document.components?.schemas?.[name];
  if (!target) throw new Error(`${schema.$ref}: not in the document's components`);
  return resolve(document, target);
}

const asJson = (input: unknown) => JSON.stringify(input) ?? 'null';

/** A body that is no JSON at all. */
export const notJson: fc.Arbitrary<string> = fc.string({ maxLength: 30 }).filter((text) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
});

/** A value of each JSON type, by type name (integer: also a fraction, which no integer accepts). */
const valuesOfType: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 8 }),
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
};

/** Values none of whose JSON types the schema admits; undefined when it admits any type. */
function wrongTypes(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const declared = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (declared.length === 0) return undefined;
  const admitted = new Set(declared.flatMap((type) => (type === 'number' ? ['number', 'integer'] : [type])));
  const wrong = Object.entries(valuesOfType)
    .filter(([type]) => !admitted.has(type))
    // A double may be whole (0, -3), which an integer field accepts: not a wrong type there.
    .map(([type, values]) => (type === 'number' && admitted.has('integer') ? values.filter((value) => !Number.isInteger(value)) : values));
  if (admitted.has('integer') && !admitted.has('number')) wrong.push(fc.constantFrom(0.5, -1.25, 3.75));
  return wrong.length > 0 ? fc.oneof(...wrong) : undefined;
}

/** A plausible value for a property, so a case breaks one thing at a time where it can. */
function sample(schema: JsonSchema): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.example !== undefined) return schema.example;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([key]) => schema.required?.includes(key)).map(([key, value]) => [key, sample(value)]));
    default:
      return null;
  }
}

/** A value with one thing broken somewhere inside, and the path of the field its refusal must name. */
type Broken = { value: unknown; field: string | undefined };

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * The ways to break a value of `schema` at `path`, nested objects and list items included: a
 * property of the wrong type, a required one left out, an unknown key where the object is strict.
 */
function breakages(schema: JsonSchema, path: string, depth: number): fc.Arbitrary<Broken>[] {
  if (depth > 5) return [];
  if (schema.type === 'array' && schema.items) {
    return breakages(schema.items, `${path}[0]`, depth + 1).map((inner) => inner.map(({ value, field }) => ({ value: [value], field })));
  }
  if (schema.type !== 'object') return [];
  const base = sample(schema) as Record<string, unknown>;
  const cases: fc.Arbitrary<Broken>[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const field = join(path, key);
    const wrong = wrongTypes(property);
    if (wrong) cases.push(wrong.map((value) => ({ value: { ...base, [key]: value }, field })));
    for (const inner of breakages(property, field, depth + 1)) cases.push(inner.map(({ value, field: named }) => ({ value: { ...base, [key]: value }, field: named })));
  }
  for (const key of schema.required ?? []) {
    const { [key]: _left, ...rest } = base;
    cases.push(fc.constant({ value: rest, field: join(path, key) }));
  }
  if (schema.additionalProperties === false) {
    // An unknown key is named by the object that refuses it (the body itself: any line will do).
    cases.push(fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({ value: { ...base, [key]: value }, field: path === '' ? undefined : path })));
  }
  return cases;
}

/** Invalid bodies for one operation's schema: no JSON, no object, or one field broken at any depth. */
export function invalidBodies(schema: JsonSchema): fc.Arbitrary<InvalidBody> {
  const whole = fc.oneof(notJson.map((body): InvalidBody => ({ body })), notAnObject.map((value): InvalidBody => ({ body: asJson(value) })));
  const cases = breakages(schema, '', 0);
  if (cases.length === 0) return whole;
  const fields = fc.oneof(...cases).map(({ value, field }): InvalidBody => (field === undefined ? { body: asJson(value) } : { body: asJson(value), field }));
  return fc.oneof({ weight: 3, arbitrary: fields }, { weight: 1, arbitrary: whole });
}
