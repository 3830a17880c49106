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
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SearchAttributes);
