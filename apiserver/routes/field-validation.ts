/**
 * fieldValidation on create and update, as kube-apiserver does it: fields the kind's
 * schema does not know are dropped from the object in every mode (a typed decoder never
 * keeps them); Strict rejects them — and duplicate keys — with 400 BadRequest and kube's
 * "strict decoding error"; Warn (the default) reports each one in a `Warning` header;
 * Ignore says nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';
import { buildSchemaRegistry, type SchemaRegistry } from '../schema/schema-registry.js';
import { findDuplicateFields, findUnknownFields, strictDecodingMessage } from '../schema/strict-fields.js';
import { mediaType } from './request-body.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(value: unknown): FieldValidation {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw apiErrors.badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: "Ignore", "Strict", "Warn"`);
}

export class FieldValidator {
  private schemas: SchemaRegistry | undefined;

  constructor(private readonly catalogue: Catalogue) {}

  /**
   * The catalogue's schemas, built on first use: deriving every kind's schema is not
   * free, and most runs of a short test never write.
   */
  registry(): SchemaRegistry {
    this.schemas ??= buildSchemaRegistry(this.catalogue);
    return this.schemas;
  }

  /** the schema id of a kind's root, if it has a schema */
  rootIdOf(def: ResourceDef): string | undefined {
    return this.registry().idOf({ group: def.group, version: def.version, kind: def.kind });
  }

  /** Prunes unknown fields from `body`; throws under Strict, adds Warning headers under Warn. */
  check(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, body: KubeObject, mode: FieldValidation): void {
    const rootId = this.rootIdOf(def);
    const unknown = rootId ? findUnknownFields(this.registry(), rootId, body, true) : [];
    if (mode === 'Ignore') return;
    const raw = request.body;
    const json = mediaType(request) === '' || mediaType(request) === 'application/json';
    const duplicates = json && Buffer.isBuffer(raw) ? findDuplicateFields(raw.toString('utf8')) : [];
    if (unknown.length === 0 && duplicates.length === 0) return;
    if (mode === 'Strict') {
      throw apiErrors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${strictDecodingMessage(unknown, duplicates)}`);
    }
    const warn = (what: string, path: string) => `299 - ${JSON.stringify(`${what} field ${JSON.stringify(path.replace(/^\./, ''))}`)}`;
    reply.header('Warning', [...unknown.map((p) => warn('unknown', p)), ...duplicates.map((p) => warn('duplicate', p))]);
  }
}
