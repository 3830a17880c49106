// Payloads of the supervision endpoints (API.md, "Supervision"). The server's schemas for these are
// not exported from api/routes/supervision.ts yet; once they are, these become `z.infer` of them.
export type SupervisionState = 'overdue' | 'at-risk' | 'stuck';

export interface SupervisedDossier {
  dossierId: string;
  procedure: string;
  unitCode: string;
  status: string;
  dueAt: string;
  state: SupervisionState;
  reason: string;
}

export interface Figures {
  received: number;
  completed: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  withdrawn?: number;
  onTimeRate: number | null;
}

export interface StatsRow extends Figures {
  unitCode: string;
  unitName?: string;
  parentCode?: string | null;
  depth?: number;
  procedure: string;
}

export interface Stats {
  unitCode?: string;
  from?: string;
  to?: string;
  asOf?: string;
  rows: StatsRow[];
  total?: Figures;
}

/** One item's answer of a bulk action. */
export interface BulkItemResult {
  item?: unknown;
  id?: string;
  status?: number | string;
  ok?: boolean;
  detail?: string;
  error?: string;
}
