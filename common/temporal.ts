import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Names shared by the worker, the API and the workflows: the task queue and the search attributes.
 * Workflow code imports this module too, so it stays free of Node APIs.
 */
export const TASK_QUEUE = 'procedures';

/**
 * Custom search attributes the engine registers on its namespace. None carries personal data: they
 * describe the dossier (procedure, handling unit, status, deadline), never the citizen.
 */
export const SearchAttributes = {
  procedure: defineSearchAttributeKey('Procedure', SearchAttributeType.KEYWORD),
  unitCode: defineSearchAttributeKey('UnitCode', SearchAttributeType.KEYWORD),
  dossierStatus: defineSearchAttributeKey('DossierStatus', SearchAttributeType.KEYWORD),
  dueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
  /** The engine version a dossier's workflow started under (ENGINE_VERSION): which code can continue it. */
  engineVersion: defineSearchAttributeKey('EngineVersion', SearchAttributeType.KEYWORD),
} as const;

/**
 * The workflow version new dossiers start under. 1.0 is the baseline: no dossier predates it. A
 * later change to a running workflow's commands goes through patched() (docs/versioning.md) and
 * keeps this value; a new value is only for a break that no running dossier can cross.
 */
export const ENGINE_VERSION = '1.0';
/** The versions whose open dossiers this code continues. */
export const SUPPORTED_ENGINE_VERSIONS: readonly string[] = [ENGINE_VERSION];

export const ALL_SEARCH_ATTRIBUTES = Object.values(SearchAttributes);
