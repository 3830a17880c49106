import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { bareActivities } from './bare-activities';

/**
 * The Temporal baseline of the bench: a bare workflow of no-op activities (and, for a lifecycle, an
 * Update whose handler runs some), nothing of the engine. Bench-only code, run by the bench's own
 * worker on a task queue of its own (`bench-bare`) on the same server as the system measured.
 */
export interface BareShape {
  /** Sequential no-op activities before the human step (or in all, without one). */
  activities: number;
  /** With a human step: the Update's handler waits for the activities above, then runs this many. */
  updateActivities?: number;
  /** Activities after the Update (issue, close, mail). */
  afterUpdate?: number;
  /** Local activities instead of activities. */
  local?: boolean;
}

const remote = proxyActivities<typeof bareActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<typeof bareActivities>({ startToCloseTimeout: '10 seconds' });

export const approveUpdate = defineUpdate<void>('approve');

export async function bareWorkflow(shape: BareShape): Promise<void> {
  const acts = shape.local ? local : remote;
  let ready = false;
  let approved = false;
  const human = shape.updateActivities !== undefined;
  if (human) {
    setHandler(approveUpdate, async () => {
      await condition(() => ready);
      for (let i = 0; i < (shape.updateActivities ?? 0); i += 1) await acts.noop();
      approved = true;
    });
  }
  for (let i = 0; i < shape.activities; i += 1) await acts.noop();
  ready = true;
  if (!human) return;
  await condition(() => approved);
  for (let i = 0; i < (shape.afterUpdate ?? 0); i += 1) await acts.noop();
}
