import { formatLocalTime } from '../../common/local-time';
import type { SentMail } from '../support/fake-activities';
import {
  complete,
  definitionOf,
  dossierId,
  environmentPerTest,
  envNow,
  inputOf,
  plannedFrom,
  plus,
  requestSupplement,
  resultOf,
  sleepUntil,
  waitFor,
  waitForTask,
  withDossier,
  world,
  type Filing,
} from './defined-procedure-helpers';

// The shared machinery's texts in the applicant's language: what a Vietnamese filer and an English
// filer read of a supplement request, its reminder, the lapse and a refusal, and the history's notes
// in both languages. A certificate of marital status (a procedure published as data) carries them.

const marital = definitionOf('marital-status-certificate');
const WARD = 'W-BINH-THANH';
const APPLICANT = '079092009853';
const CLERK = 'clerk.w-binh-thanh';
const FILING = { purpose: 'OTHER', purposeDetail: 'Vay vốn ngân hàng', contactEmail: 'phan.quoc.bao@example.com' };
const filing: Filing = { procedure: marital, data: FILING, applicantPin: APPLICANT };
const ITEM = { field: 'purposeDetail', problem: 'ghi rõ ngân hàng nào yêu cầu' };

const only = (mails: SentMail[]): SentMail => {
  expect(mails).toHaveLength(1);
  return mails[0]!;
};

describe('lifecycle texts in the applicant language', () => {
  environmentPerTest();

  const expected = {
    vi: {
      subject: (id: string) => `Hồ sơ ${id}: đề nghị bổ sung`,
      request: `Bổ sung hồ sơ: Mục đích cụ thể (${ITEM.problem}).`,
      answerBy: (due: string) => `Vui lòng trả lời trước ${due}; sau thời hạn này hồ sơ hết hiệu lực.`,
      reminderSubject: (id: string) => `Nhắc nhở: Hồ sơ ${id}: đề nghị bổ sung`,
      lapsedSubject: (id: string) => `Hồ sơ ${id} đã hết hiệu lực`,
      lapse: (due: string) => `Không nhận được trả lời cho yêu cầu bổ sung hồ sơ (lần 1) trước ${due}.`,
    },
    en: {
      subject: (id: string) => `Dossier ${id}: please supplement your application`,
      request: `Supplement: Purpose in detail (${ITEM.problem}).`,
      answerBy: (due: string) => `Please answer by ${due}; after that the dossier lapses.`,
      reminderSubject: (id: string) => `Reminder: Dossier ${id}: please supplement your application`,
      lapsedSubject: (id: string) => `Dossier ${id} lapsed`,
      lapse: (due: string) => `No answer to the supplement request (round 1) by ${due}.`,
    },
  } as const;

  it.each(['vi', 'en'] as const)('a supplement request, its reminder and the lapse, for a filer who reads %s', async (language) => {
    const id = dossierId('MSC', `texts-${language}`);
    const { fake } = world();
    const words = expected[language];

    const result = await withDossier(fake, inputOf(marital, id, await envNow(), FILING, WARD, language), filing, async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      const { awaiting } = await requestSupplement(handle, `${id}-T1`, CLERK, [ITEM]);
      const dueAt = new Date(awaiting!.dueAt);
      await waitFor(() => fake.mailsTo(`${id}/supplement-1`).length === 1, 'the supplement request');
      await sleepUntil(plus(dueAt, 1));
      return { outcome: await resultOf(handle), dueAt };
    });

    const due = formatLocalTime(result.dueAt);
    expect(plannedFrom(fake, 'supplement')).toHaveLength(1);
    const request = only(fake.mailsTo(`${id}/supplement-1`).filter((m) => !m.idempotencyKey.endsWith('/reminder')));
    expect(request.subject).toBe(words.subject(id));
    expect(request.text).toBe(`${words.request}\n${words.answerBy(due)}`);
    expect(only(fake.mailsTo(`${id}/supplement-1/reminder`)).subject).toBe(words.reminderSubject(id));
    const lapsed = only(fake.mailsTo(`${id}/lapsed`));
    expect(lapsed.subject).toBe(words.lapsedSubject(id));
    expect(lapsed.text).toContain(words.lapse(due));
    expect(result.outcome).toEqual({ dossierId: id, status: 'lapsed', reason: words.lapse(due) });
    expect(fake.dossiers.get(id)!.result).toEqual({ lapsed: true, reason: words.lapse(due) });

    // The history keeps both languages whichever the filer reads: Vietnamese, and English apart.
    const requested = fake.history(id).find((e) => e.outcome === 'supplement-requested')!;
    expect(requested).toMatchObject({ note: `${expected.vi.request} Hạn trả lời: ${due}.`, noteEn: `${expected.en.request} Answer by ${due}.` });
    expect(fake.history(id).find((e) => e.outcome === 'lapsed')).toMatchObject({ note: expected.vi.lapse(due), noteEn: expected.en.lapse(due) });
    expect(fake.history(id).find((e) => e.outcome === 'reminder-sent' && e.step === 'supplement')).toMatchObject({
      note: `Hạn trả lời ${due}`,
      noteEn: `Answer due ${due}`,
    });
  });

  it.each([
    ['vi', (id: string, reason: string) => ({ subject: `Hồ sơ ${id}: từ chối giải quyết`, text: `Hồ sơ ${id} của bạn bị từ chối giải quyết.\nLý do: ${reason}` })],
    ['en', (id: string, reason: string) => ({ subject: `Dossier ${id}: request refused`, text: `Your dossier ${id} was refused.\nReason: ${reason}` })],
  ] as const)("a refusal with the clerk's reason, for a filer who reads %s", async (language, mail) => {
    const id = dossierId('MSC', `refused-${language}`);
    const { fake } = world();
    const reason = 'Người yêu cầu không cư trú tại phường Bình Thạnh.';

    await withDossier(fake, inputOf(marital, id, await envNow(), FILING, WARD, language), filing, async (handle) => {
      await waitForTask(handle, fake, `${id}-T1`);
      await complete(handle, `${id}-T1`, 'refuse', CLERK, { reason });
      return resultOf(handle);
    });

    expect(only(fake.mailsTo(`${id}/result`))).toMatchObject(mail(id, reason));
    // The task's opening line names the step in each language.
    expect(fake.history(id).find((e) => e.outcome === 'task-opened')).toMatchObject({
      note: expect.stringMatching(new RegExp(`^${marital.labels.vi.review} tại ${WARD}, hạn \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\(GMT\\+7\\)$`)),
      noteEn: expect.stringMatching(new RegExp(`^${marital.labels.en.review} at ${WARD}, due \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\(GMT\\+7\\)$`)),
    });
  });
});
