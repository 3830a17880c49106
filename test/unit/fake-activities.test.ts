import { createActivities } from '../../activities';
import { createFakeActivities } from '../support/fake-activities';

// The workflow tests' fakes (test/support/fake-activities.ts, test/support/fakes/<procedure>.ts)
// stand in for exactly the activities the worker registers, under the same names.
describe('fake activities', () => {
  it('are registered under the names of the real activities, all of them and no other', () => {
    // Built only to read their names: no activity is called, so no client is needed.
    const real = createActivities({} as Parameters<typeof createActivities>[0]);
    expect(Object.keys(createFakeActivities().activities).sort()).toEqual(Object.keys(real).sort());
  });

  it('are configured by activity names the real factories know (tsc rejects any other)', () => {
    // Each call below must not compile; were one to compile, its @ts-expect-error would fail tsc.
    // @ts-expect-error -- misspelt: no activity is called verifyApplicantt
    createFakeActivities({ gates: { verifyApplicantt: Promise.resolve() } });
    // @ts-expect-error -- misspelt: no activity is called openTaskk
    createFakeActivities({ failAfterEffect: { openTaskk: 1 } });
    // @ts-expect-error -- misspelt: no activity is called registerArchivedRecords
    expect(createFakeActivities().callsOf('registerArchivedRecords')).toEqual([]);
  });
});
