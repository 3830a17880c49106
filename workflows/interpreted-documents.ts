import type { InterpretedDocument, PinnedDefinition } from '../procedures/defined';
import type * as DefinitionFromDocument from '../procedures/definition-from-document';
import type * as Document from '../procedures/document';
import { interpretedDocuments } from './preloaded';

/**
 * The document a dossier was filed under as the interpreter runs it: parsed with its schema (which
 * fills in the defaults of fields added to the format since) and compiled into the registry's entry
 * (the outcomes' and the filing's zod schemas), or why it cannot be.
 *
 * Once per worker and document, not once per dossier: every workflow holds its own instance of each
 * module it loads, and zod with the document's schema was most of a waiting dossier's memory and of
 * the time to rebuild it from its history. They are loaded here, by the first run that meets a
 * document; the others share what it computed (workflows/preloaded.ts), which is the same
 * whichever run computed it: a function of the document's content and hash. The compiled schemas
 * keep that run's instance of zod alive after it: a megabyte or so per document a worker has run,
 * for the worker's life.
 */
export function interpretedDocument(pinned: PinnedDefinition): InterpretedDocument | { problem: string } {
  let problem = '';
  const interpreted = interpretedDocuments(`${pinned.hash}\n${JSON.stringify(pinned.document)}`, () => {
    const { ProcedureDocument }: typeof Document = require('../procedures/document');
    const { definitionFromDocument }: typeof DefinitionFromDocument = require('../procedures/definition-from-document');
    const parsed = ProcedureDocument.safeParse(pinned.document);
    if (!parsed.success) {
      problem = parsed.error.message;
      return undefined;
    }
    return { doc: parsed.data, definition: definitionFromDocument(parsed.data, pinned.hash) };
  });
  return interpreted ?? { problem };
}
