import type { Client } from '@temporalio/client';
import type { Logger } from '../common/logger';
import { SearchAttributes, SUPPORTED_ENGINE_VERSIONS } from '../common/temporal';

/** How many of them the start-up message names (the count is always whole). */
const NAMED_AT_MOST = 50;

export interface UnsupportedRuns {
  count: number;
  /** Dossier codes (no personal data), at most NAMED_AT_MOST of them. */
  dossierIds: string[];
}

/**
 * Open dossiers whose workflow started under an engine version this code does not continue (a data
 * directory from before 1.0 carries none): their next workflow task would fail with a determinism
 * error, so they are named at start-up instead of wedging silently. Only dossiers (workflows with a
 * Procedure search attribute) count.
 */
export async function findUnsupportedRuns(temporal: Client): Promise<UnsupportedRuns> {
  const found: UnsupportedRuns = { count: 0, dossierIds: [] };
  for await (const run of temporal.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    if (run.typedSearchAttributes.get(SearchAttributes.procedure) === undefined) continue;
    const version = run.typedSearchAttributes.get(SearchAttributes.engineVersion);
    if (version !== undefined && SUPPORTED_ENGINE_VERSIONS.includes(version)) continue;
    found.count += 1;
    if (found.dossierIds.length < NAMED_AT_MOST) found.dossierIds.push(run.workflowId);
  }
  return found;
}

/** Logs the open dossiers this version cannot continue, with what the operator can do. */
export async function reportUnsupportedRuns(temporal: Client, logger: Logger): Promise<UnsupportedRuns> {
  const found = await findUnsupportedRuns(temporal);
  if (found.count > 0) {
    logger.error(
      { count: found.count, dossierIds: found.dossierIds, supported: SUPPORTED_ENGINE_VERSIONS },
      'open dossiers started before engine 1.0 cannot continue on this version: data from before 1.0 is not supported (npm start: delete data/ to start afresh)',
    );
  }
  return found;
}
