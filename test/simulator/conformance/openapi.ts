// Validates simulator responses against Prusa's OpenAPI spec, bent only where deviations.ts says the firmware differs.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingHttpHeaders } from 'node:http';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { deviationsFor, type Endpoint, type Personality, type Relaxation } from './deviations.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export interface Verdict {
  ok: boolean;
  errors: string[];
}

/** The repository root: the nearest folder above this module whose package.json names link-sync. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'link-sync') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the link-sync repository root above the test files');
    dir = up;
  }
}

/** The environment variable naming the folder that holds Prusa's `openapi.yaml`. */
export const SPEC_DIR_ENV = 'LINK_SYNC_OPENAPI_DIR';

/**
 * Where the spec is looked for: the folder named by LINK_SYNC_OPENAPI_DIR, else ../shared/spec beside the repository
 * (where CI checks out its copy). `required` is true when the variable names it, so a wrong path fails instead of skipping.
 */
export function specPath(): { file: string; required: boolean } {
  const dir = process.env[SPEC_DIR_ENV];
  if (dir !== undefined && dir !== '') return { file: path.resolve(dir, 'openapi.yaml'), required: true };
  return { file: path.resolve(repoRoot(), '../shared/spec/openapi.yaml'), required: false };
}

/** Why the spec checks are skipped, or undefined when they run: the spec is optional unless LINK_SYNC_OPENAPI_DIR names it. */
export function specSkipReason(): string | undefined {
  const { file, required } = specPath();
  if (required || existsSync(file)) return undefined;
  return `Prusa's OpenAPI spec is not at ${file}; set ${SPEC_DIR_ENV} to the folder holding openapi.yaml (or place it in ../shared/spec) to run these checks`;
}

let loaded: SpecValidator | undefined;

/** The spec beside the repository (or named by LINK_SYNC_OPENAPI_DIR), loaded once. */
export function spec(): SpecValidator {
  loaded ??= SpecValidator.load(specPath().file);
  return loaded;
}

/**
 * One spec check as a subtest of `t`: run when the spec is found, reported as skipped (with how to enable it) when not,
 * so the rest of the parent test still runs in a lone clone.
 */
export async function conformsToSpec(t: TestContext, what: string, check: (spec: SpecValidator) => Verdict): Promise<void> {
  await t.test(`${what} matches the OpenAPI spec`, { skip: specSkipReason() ?? false }, () => {
    assert.deepEqual(check(spec()).errors, [], `${what} does not match the spec (after the listed deviations)`);
  });
}

const BODY_SOURCES: Partial<Record<Endpoint, { path: string; method: string }>> = {
  'GET /api/version': { path: '/api/version', method: 'get' },
  'GET /api/v1/info': { path: '/api/v1/info', method: 'get' },
  'GET /api/v1/status': { path: '/api/v1/status', method: 'get' },
  'GET /api/v1/storage': { path: '/api/v1/storage', method: 'get' },
  'GET /api/v1/job': { path: '/api/v1/job', method: 'get' },
  'GET /api/v1/files/{storage}': { path: '/api/v1/files/{storage}/{path}', method: 'get' },
  'GET /api/v1/files/{storage}/{path}': { path: '/api/v1/files/{storage}/{path}', method: 'get' },
};

export class SpecValidator {
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(private readonly spec: Obj) {}

  /** Loads the spec; a missing file is an error that says where it was expected. */
  static load(file = specPath().file): SpecValidator {
    if (!existsSync(file)) {
      throw new Error(
        `OpenAPI spec not found at ${file}. Set ${SPEC_DIR_ENV} to the folder holding Prusa's openapi.yaml, or place it in ../shared/spec beside the repository.`,
      );
    }
    const doc = parse(readFileSync(file, 'utf8')) as Json;
    if (!isObj(doc) || !isObj(doc.paths) || !isObj(doc.components)) throw new Error(`${file} is not an OpenAPI document`);
    return new SpecValidator(doc);
  }

  /** Checks a JSON response body of a 200 answer. */
  validate(endpoint: Endpoint, personality: Personality, body: unknown): Verdict {
    const check = this.compile(endpoint, personality);
    const ok = check(body);
    return {
      ok: ok === true,
      errors: (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
    };
  }

  /** Checks a JSON error body against `components.schemas.Error`. */
  validateError(personality: Personality, body: unknown): Verdict {
    return this.validate('error body (JSON)', personality, body);
  }

  /** Checks the headers the spec requires on a 200 answer to HEAD /api/v1/files/{storage}/{path}. */
  validateHeadHeaders(personality: Personality, headers: IncomingHttpHeaders): Verdict {
    const relax = deviationsFor('HEAD /api/v1/files/{storage}/{path}', personality).flatMap((d) => d.relax);
    const specHeaders = obj(obj(obj(obj(obj(this.spec.paths, '/api/v1/files/{storage}/{path}'), 'head'), 'responses'), '200'), 'headers');
    const errors: string[] = [];
    for (const [specName, def] of Object.entries(specHeaders)) {
      if (!isObj(def) || def.required !== true) continue;
      let name = specName;
      for (const r of relax) if (r.kind === 'rename-header' && r.from === specName) name = r.to;
      const python = relax.some((r) => r.kind === 'header-python-boolean' && r.header === specName);
      const raw = headers[name.toLowerCase()];
      const value = Array.isArray(raw) ? raw[0] : raw;
      const allowed = python ? ['True', 'False'] : ['true', 'false'];
      if (value === undefined) errors.push(`header ${name} is missing`);
      else if (!allowed.includes(value)) errors.push(`header ${name} is ${JSON.stringify(value)}, expected ${allowed.join(' or ')}`);
    }
    return { ok: errors.length === 0, errors };
  }

  private compile(endpoint: Endpoint, personality: Personality): ValidateFunction {
    const key = `${endpoint} ${personality}`;
    const cached = this.compiled.get(key);
    if (cached !== undefined) return cached;
    const components = structuredClone(obj(obj(this.spec, 'components'), 'schemas'));
    let document: Obj;
    if (endpoint === 'error body (JSON)') document = { $ref: '#/components/schemas/Error' };
    else {
      const src = BODY_SOURCES[endpoint];
      if (src === undefined) throw new Error(`no response body schema for ${endpoint}`);
      const response = obj(obj(obj(obj(this.spec.paths, src.path), src.method), 'responses'), '200');
      document = structuredClone(obj(obj(obj(response, 'content'), 'application/json'), 'schema'));
    }
    for (const dev of deviationsFor(endpoint, personality)) {
      for (const r of dev.relax) document = applyRelaxation(r, components, document, dev.id);
    }
    const schema: Obj = { ...(toJsonSchema(document) as Obj), $defs: toJsonSchema(components) };
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    const fn = ajv.compile(schema);
    this.compiled.set(key, fn);
    return fn;
  }
}

function applyRelaxation(r: Relaxation, components: Obj, document: Obj, id: string): Obj {
  const fail = (what: string): never => {
    throw new Error(`deviation ${id}: ${what}; the spec changed or the deviation table is wrong`);
  };
  const props = (name: string): { schema: Obj; properties: Obj } => {
    const schema = components[name];
    if (!isObj(schema) || !isObj(schema.properties)) return fail(`component ${name} has no properties`);
    return { schema, properties: schema.properties };
  };
  switch (r.kind) {
    case 'rename-property': {
      const { schema, properties } = props(r.component);
      const def = properties[r.from];
      if (def === undefined) return fail(`${r.component}.${r.from} does not exist`);
      delete properties[r.from];
      properties[r.to] = def;
      if (Array.isArray(schema.required)) schema.required = schema.required.map((p) => (p === r.from ? r.to : p));
      return document;
    }
    case 'not-required': {
      const { schema } = props(r.component);
      if (!Array.isArray(schema.required) || !schema.required.includes(r.property))
        return fail(`${r.component}.${r.property} is not required`);
      schema.required = schema.required.filter((p) => p !== r.property);
      return document;
    }
    case 'nullable': {
      const def = props(r.component).properties[r.property];
      if (!isObj(def)) return fail(`${r.component}.${r.property} does not exist`);
      def.nullable = true;
      return document;
    }
    case 'enum-add': {
      const def = props(r.component).properties[r.property];
      if (!isObj(def) || !Array.isArray(def.enum)) return fail(`${r.component}.${r.property} has no enum`);
      def.enum.push(r.value);
      return document;
    }
    case 'array-of': {
      const def = isObj(document.properties) ? document.properties[r.property] : undefined;
      if (!isObj(def) || !isObj(document.properties)) return fail(`the response has no property ${r.property}`);
      document.properties[r.property] = { type: 'array', items: def };
      return document;
    }
    case 'not-required-on-document': {
      const top = inlineCombinators(document, components);
      if (dropRequired(top, r.property) === 0) fail(`the response document does not require ${r.property}`);
      return top;
    }
    case 'rename-header':
    case 'header-python-boolean':
    case 'behaviour':
      return document;
  }
}

/** Inlines $refs reached through allOf/anyOf/oneOf only, so edits touch the document object and not its nested children. */
function inlineCombinators(node: Obj, components: Obj): Obj {
  let here = node;
  // Remember which component this was, so the union reading can still tell the branches apart.
  if (typeof here.$ref === 'string')
    here = { ...structuredClone(obj(components, refName(here.$ref))), [COMPONENT_MARK]: refName(here.$ref) };
  const out: Obj = { ...here };
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = out[k];
    if (Array.isArray(list)) out[k] = list.map((s) => (isObj(s) ? inlineCombinators(s, components) : s));
  }
  return out;
}

function dropRequired(node: Obj, property: string): number {
  let n = 0;
  if (Array.isArray(node.required) && node.required.includes(property)) {
    node.required = node.required.filter((p) => p !== property);
    n += 1;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[k];
    if (Array.isArray(list)) for (const s of list) if (isObj(s)) n += dropRequired(s, property);
  }
  return n;
}

/** OpenAPI 3.0 schema → JSON Schema for Ajv: refs to $defs, nullable to a type list, oneOf read as anyOf, examples dropped. */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'nullable' || k === COMPONENT_MARK) continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = `#/$defs/${refName(v)}`;
    else if (k === 'oneOf' && Array.isArray(v)) {
      const union = discriminatedUnion(v);
      out.anyOf = union.anyOf;
      if (union.conditions.length > 0) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...union.conditions];
    } else if (k === 'allOf' && Array.isArray(out.allOf)) out.allOf = [...(toJsonSchema(v) as Json[]), ...out.allOf];
    else if (k === 'properties' && isObj(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)]));
    else out[k] = toJsonSchema(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (out.type === undefined && out.enum === undefined) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

const COMPONENT_MARK = 'x-component';

/** What marks an object as one branch of the spec's overlapping unions (see SPEC_READINGS). */
const DISCRIMINATORS: Record<string, Obj> = {
  FileInfo: { type: 'object', properties: { type: { const: 'FILE' } }, required: ['type'] },
  PrintFileInfo: { type: 'object', properties: { type: { const: 'PRINT_FILE' } }, required: ['type'] },
  PrintFileInfoBasic: { type: 'object', properties: { type: { const: 'PRINT_FILE' } }, required: ['type'] },
  FirmwareFileInfo: { type: 'object', properties: { type: { const: 'FIRMWARE' } }, required: ['type'] },
  FirmwareFileInfoBasic: { type: 'object', properties: { type: { const: 'FIRMWARE' } }, required: ['type'] },
  FolderInfo: { type: 'object', properties: { type: { const: 'FOLDER' } }, required: ['type'] },
  JobFilePrint: { type: 'object', required: ['file'] },
};

/** oneOf → "at least one branch" plus "the branch the object names must match", since the branches overlap. */
function discriminatedUnion(branches: Json[]): { anyOf: Json[]; conditions: Json[] } {
  const conditions: Json[] = [];
  for (const b of branches) {
    if (!isObj(b)) continue;
    const name = typeof b.$ref === 'string' ? refName(b.$ref) : b[COMPONENT_MARK];
    const when = typeof name === 'string' ? DISCRIMINATORS[name] : undefined;
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's if/then keyword, not a promise.
    if (when !== undefined) conditions.push({ if: when, then: toJsonSchema(b) });
  }
  return { anyOf: branches.map(toJsonSchema), conditions };
}

function refName(ref: string): string {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
  if (m?.[1] === undefined) throw new Error(`unsupported $ref ${ref}: only #/components/schemas/... is resolved`);
  return m[1];
}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(parent: Json | undefined, key: string): Obj {
  const v = isObj(parent) ? parent[key] : undefined;
  if (!isObj(v)) throw new Error(`OpenAPI spec has no object at ${key}`);
  return v;
}
