import type { PrismaClient } from '../../prisma/client';
import { PROCEDURES } from '../../procedures';
import { deadlineDefaults } from '../../procedures/define';
import { definitionFromDocument } from '../../procedures/definition-from-document';
import { ProcedureDocument } from '../../procedures/document';

/** How stale an API process's registry may get behind a version another process published. */
export const REFRESH_AFTER_MS = 30_000;

/**
 * The latest published version of each procedure defined as data joins the registry: new filings
 * take it, and the API rebuilds its routes and OpenAPI document (app.ts watches the registry's
 * revision). Dossiers already running keep the document they were filed under (their workflow input).
 * Its deadline defaults become DeadlineSetting rows where none exist, as at migration.
 * Resolves with the ids that joined or moved to a newer version.
 */
export async function refreshPublishedProcedures(prisma: PrismaClient): Promise<string[]> {
  // Every version, oldest first: the registry keeps the older ones for the tasks of dossiers still on them.
  const published = await prisma.$queryRaw<Array<{ id: string; version: number; hash: string; document: unknown }>>`
    SELECT "id", "version", "hash", "document" FROM "ProcedureDefinition" ORDER BY "id", "version"`;
  const joined: string[] = [];
  for (const row of published) {
    const current = PROCEDURES.get(row.id);
    // A procedure written as code keeps its code; an entry as new or newer stays.
    if (current && (!current.published || current.published.version >= row.version)) continue;
    const definition = definitionFromDocument(ProcedureDocument.parse(row.document), row.hash);
    await prisma.deadlineSetting.createMany({ data: deadlineDefaults(definition), skipDuplicates: true });
    PROCEDURES.publish(definition);
    if (!joined.includes(row.id)) joined.push(row.id);
  }
  return joined;
}

/**
 * Refreshes at most every REFRESH_AFTER_MS, in the background of the request that notices (one at a
 * time): what another API process published reaches this one within about that long.
 */
export function periodicRefresh(prisma: PrismaClient, onError: (error: unknown) => void): () => void {
  let last = 0;
  let running = false;
  return () => {
    const now = Date.now();
    if (running || now - last < REFRESH_AFTER_MS) return;
    running = true;
    last = now;
    refreshPublishedProcedures(prisma)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
}
