import { createHash } from 'node:crypto';
import { ADAPTER_SPECS } from '../../activities/adapters';
import type { ProcedureDefinition } from '../define';
import { canonicalJson, compileJsonSchema, definitionFromDocument } from '../defined';
import { validateDocument, type ProcedureDocument } from '../document';
import birthRegistration from './birth-registration.json';
import maritalStatusCertificate from './marital-status-certificate.json';

/**
 * The procedures published as data (`procedure/1` documents, one JSON file each in this folder),
 * each checked against the adapters the worker has and pinned by the hash of its content. The
 * interpreter workflow (`definedProcedureWorkflow`) runs them all; nothing here is specific to one.
 */
export const DOCUMENT_FILES: Readonly<Record<string, unknown>> = {
  'marital-status-certificate.json': maritalStatusCertificate,
  'birth-registration.json': birthRegistration,
};

export interface PublishedDocument {
  document: ProcedureDocument;
  /** sha-256 of the parsed document's canonical JSON: what a dossier is pinned to with the id and version. */
  hash: string;
}

/** The hash a dossier is pinned to: the same content gives the same hash however its JSON was laid out. */
export function documentHash(document: ProcedureDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

/** A published document parsed and checked; a document with problems is refused, naming each with its path. */
export function publish(file: string, content: unknown): PublishedDocument {
  const checked = validateDocument(content, ADAPTER_SPECS, compileJsonSchema);
  if (!checked.ok) throw new Error(`${file} is not a valid procedure document:\n${checked.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  return { document: checked.document, hash: documentHash(checked.document) };
}

export const PUBLISHED_DOCUMENTS: readonly PublishedDocument[] = Object.entries(DOCUMENT_FILES).map(([file, content]) => publish(file, content));

/** Each published document as an entry of the registry's type. */
export const DEFINED_PROCEDURES: readonly ProcedureDefinition[] = PUBLISHED_DOCUMENTS.map(({ document, hash }) => definitionFromDocument(document, hash));
