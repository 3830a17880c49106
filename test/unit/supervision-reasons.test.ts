import { adapterSystem } from '../../procedures/adapter-specs';
import { dossierStep, dueSoonReason, overdueReason } from '../../api/services/supervision-reasons';
import { failingCallReason, idleReason, systemOf, type FailingCall } from '../../api/services/supervision-stuck';
import { wedgedReason } from '../../api/services/supervision-wedged';

// Supervision's reasons in both languages: steps by the procedure's labels, units by their names,
// systems by their names, times day first in the city's time; ids and machine text as they are.
const NOW = new Date('2026-12-07T10:00:00Z'); // 17:00 in the city
const UNITS = new Map([['W-BINH-THANH', 'Phường Bình Thạnh']]);
const lateTask = {
  id: 'CSE-261207-7K3M9Q-T1',
  procedure: 'civil-status-extract',
  step: 'verify-and-sign',
  unitCode: 'W-BINH-THANH',
  assignee: 'clerk.w-binh-thanh',
  dueAt: new Date('2026-12-07T06:40:00Z'), // 13:40, 3 h 20 min ago
  escalationLevel: 1,
};
const dossier = { procedure: 'civil-status-extract', currentStep: 'verify-and-sign', dueAt: new Date('2026-12-07T12:30:00Z') };

describe('why a dossier is overdue or at risk', () => {
  it('names each late task by its step, its unit by name, how late, the due time, who holds it and the escalation', () => {
    expect(overdueReason({ ...dossier, tasks: [lateTask] }, NOW, UNITS)).toEqual({
      vi: 'Công việc “Kiểm tra và ký trích lục” (CSE-261207-7K3M9Q-T1) tại Phường Bình Thạnh trễ hạn 3 giờ 20 phút (hạn 07/12/2026 13:40 (GMT+7), do clerk.w-binh-thanh nhận, đã chuyển cấp trên mức 1)',
      en: 'Task “Verify and sign the extract” (CSE-261207-7K3M9Q-T1) at Phường Bình Thạnh is late by 3 h 20 min (due 07/12/2026 13:40 (GMT+7), claimed by clerk.w-binh-thanh, escalated to level 1)',
    });
  });

  it('names a unit without a name by its code, and an unclaimed task as such', () => {
    const reason = overdueReason({ ...dossier, tasks: [{ ...lateTask, unitCode: 'W-NOWHERE', assignee: null, escalationLevel: 0 }] }, NOW, UNITS);
    expect(reason.vi).toContain('tại W-NOWHERE trễ hạn');
    expect(reason.vi).toMatch(/chưa có người nhận\)$/);
    expect(reason.en).toMatch(/at W-NOWHERE is late by .*, not claimed\)$/);
  });

  it('says the dossier itself is late when none of its tasks is', () => {
    const late = { ...dossier, dueAt: new Date('2026-12-05T10:00:00Z') };
    expect(overdueReason({ ...late, tasks: [] }, NOW, UNITS)).toEqual({
      vi: 'Hồ sơ trễ hạn 2 ngày 0 giờ (hạn 05/12/2026 17:00 (GMT+7)) tại bước “Kiểm tra và ký trích lục”',
      en: 'Dossier is late by 2 days 0 h (due 05/12/2026 17:00 (GMT+7)) at step “Verify and sign the extract”',
    });
  });

  it('says how long is left of one due soon', () => {
    expect(dueSoonReason(dossier, NOW)).toEqual({
      vi: 'Còn 2 giờ 30 phút đến hạn (07/12/2026 19:30 (GMT+7)), tại bước “Kiểm tra và ký trích lục”',
      en: 'Due in 2 h 30 min (07/12/2026 19:30 (GMT+7)), at step “Verify and sign the extract”',
    });
  });

  it('names a step no version of its procedure labels by its id', () => {
    expect(dossierStep({ procedure: 'civil-status-extract', currentStep: 'no-such-step' })).toEqual({ vi: 'no-such-step', en: 'no-such-step' });
    expect(dossierStep({ procedure: 'no-such-procedure', currentStep: 'review' })).toEqual({ vi: 'review', en: 'review' });
  });
});

describe('why a dossier is stuck', () => {
  const step = dossierStep({ procedure: 'civil-status-extract', currentStep: 'verify-applicant' });
  const call: FailingCall = {
    activityId: 'population.verify-persons#1',
    activity: 'population.verify-persons',
    system: adapterSystem('population.verify-persons'),
    failures: 4,
    lastError: 'Population data unavailable: connect ECONNREFUSED',
    lastFailedAt: '2026-12-07T09:59:00Z',
    nextAttemptAt: '2026-12-07T10:01:00Z',
  };

  it('names the system of a failing call in each language (the English as before), the step by its label, the error as it is', () => {
    expect(failingCallReason(call, new Date('2026-12-07T09:50:00Z'), step)).toEqual({
      vi:
        'Đang chờ Cơ sở dữ liệu quốc gia về dân cư tại bước “Xác minh người yêu cầu”: population.verify-persons đã lỗi 4 lần ' +
        '(không tiến triển từ 07/12/2026 16:50 (GMT+7)); lỗi gần nhất: Population data unavailable: connect ECONNREFUSED; lần thử tiếp theo 07/12/2026 17:01 (GMT+7)',
      en:
        'Waiting on the population data at step “Verify the applicant”: population.verify-persons has failed 4 times ' +
        '(no progress since 07/12/2026 16:50 (GMT+7)); last error: Population data unavailable: connect ECONNREFUSED; next attempt 07/12/2026 17:01 (GMT+7)',
    });
  });

  it('names every system in both languages, an unknown one by what calls it', () => {
    expect(systemOf('verifyApplicant')).toEqual({ vi: 'Cơ sở dữ liệu quốc gia về dân cư', en: 'the population data' });
    expect(systemOf('sendEmail')).toEqual({ vi: 'thư điện tử (SMTP)', en: 'mail (SMTP)' });
    expect(systemOf('lookupOwner').en).toBe('the vehicle registry and the population data');
    expect(systemOf('noSuchActivity')).toEqual({ vi: 'hệ thống mà noSuchActivity gọi tới', en: 'the system behind noSuchActivity' });
    expect(adapterSystem('civil-status.find-record')).toEqual({ vi: 'Cơ sở dữ liệu hộ tịch điện tử', en: 'the civil-status registry' });
  });

  it('says how long nothing moved, and when Temporal could not be asked', () => {
    const since = new Date('2026-12-07T09:45:00Z');
    expect(idleReason(since, NOW, step)).toEqual({
      vi: 'Không tiến triển trong 15 phút tại bước “Xác minh người yêu cầu” (từ 07/12/2026 16:45 (GMT+7))',
      en: 'No progress for 15 min at step “Verify the applicant” (since 07/12/2026 16:45 (GMT+7))',
    });
    expect(idleReason(since, NOW, step, true).vi).toMatch(/ \(không đọc được trạng thái quy trình\)$/);
    expect(idleReason(since, NOW, step, true).en).toMatch(/ \(workflow state unavailable\)$/);
  });

  it("says the engine cannot run a wedged dossier's workflow, the worker's message as it is", () => {
    const wedged = { failure: 'Nondeterminism error: [TMPRL1100]', since: new Date('2026-12-07T09:58:00Z'), failedAttempts: 3 };
    expect(wedgedReason(wedged, step)).toEqual({
      vi: 'Hệ thống không thể tiếp tục quy trình của hồ sơ này: Nondeterminism error: [TMPRL1100], lỗi từ 07/12/2026 16:58 (GMT+7) (bước “Xác minh người yêu cầu”, 3 lần thử không thành công)',
      en: "The engine cannot continue this dossier's workflow: Nondeterminism error: [TMPRL1100], failing since 07/12/2026 16:58 (GMT+7) (step “Verify the applicant”, 3 failed attempts)",
    });
    const ours = wedgedReason({ ...wedged, failure: { vi: 'tác vụ quy trình liên tục bị lỗi', en: 'its workflow task keeps failing' } }, step);
    expect(ours.vi).toContain('hồ sơ này: tác vụ quy trình liên tục bị lỗi, lỗi từ');
    expect(ours.en).toContain("workflow: its workflow task keeps failing, failing since");
  });
});
