import { definitionHash } from '../../common/procedure-definitions';
import { ADAPTER_SPECS } from '../adapter-specs';
import type { ProcedureDefinition } from '../define';
import { definitionFromDocument } from '../definition-from-document';
import { checkDocument, type DefinitionProblem, type ProcedureDocument } from '../document';
import { compileJsonSchema, parseProcedureDocument } from '../document-checks';
import birthRegistration from './birth-registration.json';
import businessRegistration from './business-registration.json';
import civilStatusExtract from './civil-status-extract.json';
import civilStatusExtractV2 from './civil-status-extract.v2.json';
import maritalStatusCertificate from './marital-status-certificate.json';
import maritalStatusCertificateV2 from './marital-status-certificate.v2.json';

/**
 * The procedures the engine ships as data (`procedure/1` documents, one JSON file each in this
 * folder, which the migration runner publishes: common/procedure-definitions.ts), each checked
 * against the adapters the worker has and pinned by the hash of its content, as entries of the
 * registry's type. The interpreter workflow (`definedProcedureWorkflow`) runs them all; nothing here
 * is specific to one.
 */
export const DOCUMENT_FILES: Readonly<Record<string, unknown>> = {
  'marital-status-certificate.json': maritalStatusCertificate,
  // Version 2: the holder's name and birth date from the population data (version 1 took the name from the filing, where the applicant need not give it).
  'marital-status-certificate.v2.json': maritalStatusCertificateV2,
  'birth-registration.json': birthRegistration,
  'business-registration.json': businessRegistration,
  'civil-status-extract.json': civilStatusExtract,
  // Version 2: the clerk signing sees the record and the applicant from the registries (`shows` names the views); version 1 showed nothing.
  'civil-status-extract.v2.json': civilStatusExtractV2,
};

export interface PublishedDocument {
  document: ProcedureDocument;
  /** sha-256 of the parsed document's canonical JSON: what a dossier is pinned to with the id and version. */
  hash: string;
}

/** A document's problems, each with its path: the schema's (as parsed for publishing), else the checks'. */
export function documentProblems(content: unknown): { document?: ProcedureDocument; problems: DefinitionProblem[] } {
  const parsed = parseProcedureDocument(content);
  if (!parsed.ok) return { problems: parsed.problems };
  return { document: parsed.document, problems: checkDocument(parsed.document, ADAPTER_SPECS, compileJsonSchema) };
}

/** A shipped document parsed and checked; a document with problems is refused, naming each with its path. */
export function publish(file: string, content: unknown): PublishedDocument {
  const { document, problems } = documentProblems(content);
  if (!document || problems.length > 0) throw new Error(`${file} is not a valid procedure document:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  return { document, hash: definitionHash(document) };
}

export const PUBLISHED_DOCUMENTS: readonly PublishedDocument[] = Object.entries(DOCUMENT_FILES).map(([file, content]) => publish(file, content));

/** Each published document as an entry of the registry's type: every version, the oldest of each procedure first. */
export const DEFINED_PROCEDURES: readonly ProcedureDefinition[] = [...PUBLISHED_DOCUMENTS]
  .sort((a, b) => a.document.version - b.document.version)
  .map(({ document, hash }) => definitionFromDocument(document, hash));
