import { WorkflowUpdateFailedError, type WorkflowExecutionStatusName } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { issueMessage } from '../../api/issue-messages';
import { render, requestLanguage } from '../../api/language';
import { HttpProblem } from '../../api/problem';
import { viaUpdate, type UpdateTarget } from '../../api/temporal-errors';
import { PROCEDURES } from '../../procedures';
import { FailureTypes } from '../../workflows/shared/messages';

/** The language each Accept-Language gets, as the API negotiates it. */
async function negotiated(acceptLanguage: string | undefined): Promise<string> {
  const app = express().get('/', (req, res) => void res.send(requestLanguage(req)));
  const req = request(app).get('/');
  return (await (acceptLanguage === undefined ? req : req.set('Accept-Language', acceptLanguage))).text;
}

describe('the language of an answer', () => {
  it('is English only when the client asks for it, q-values weighed', async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'vi'],
      ['en', 'en'],
      ['en-US,en;q=0.9', 'en'],
      ['en-GB', 'en'],
      ['vi;q=0.5, en', 'en'],
      ['vi', 'vi'],
      ['vi-VN, en;q=0.8', 'vi'],
      ['fr', 'vi'],
      ['*', 'vi'],
      ['en;q=0, vi', 'vi'],
    ];
    for (const [header, language] of cases) expect([header, await negotiated(header)]).toEqual([header, language]);
  });
});

describe('zod issues in both languages', () => {
  const Schema = z
    .object({
      name: z.string().min(3).max(5),
      age: z.number().int().min(0),
      kind: z.enum(['A', 'B']),
      email: z.email(),
      day: z.iso.date(),
      code: z.string().regex(/^X$/, 'must be X'),
      pin: z.string().regex(/^\d{12}$/, 'must be a 12-digit personal identification number'),
    })
    .strict();
  const messages = (value: unknown) => {
    const parsed = Schema.safeParse(value, { reportInput: true });
    return Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [issue.path.join('.'), issueMessage(issue)]));
  };

  it("writes Vietnamese from the issue's kind and keeps zod's English", () => {
    const said = messages({ name: 'ab', age: 1.5, kind: 'C', email: 'nope', day: '2026-02-30', code: 'X', pin: '079088004127' });
    expect(said).toEqual({
      name: { vi: 'phải có ít nhất 3 ký tự', en: 'Too small: expected string to have >=3 characters' },
      age: { vi: 'phải là một số nguyên', en: 'Invalid input: expected int, received number' },
      kind: { vi: 'phải là một trong: "A", "B"', en: 'Invalid option: expected one of "A"|"B"' },
      email: { vi: 'phải là một địa chỉ email hợp lệ', en: 'Invalid email address' },
      day: { vi: 'phải là một ngày có thật, dạng YYYY-MM-DD', en: 'Invalid ISO date' },
    });
  });

  it('says a missing field is required, whatever its schema, and translates the known messages of schemas', () => {
    const said = messages({ name: 'abcdef', age: -1, code: 'Y', pin: '12' });
    expect(said).toMatchObject({
      name: { vi: 'không được dài quá 5 ký tự' },
      age: { vi: 'phải lớn hơn hoặc bằng 0' },
      kind: { vi: 'là trường bắt buộc' },
      email: { vi: 'là trường bắt buộc' },
      code: { vi: 'không đúng định dạng', en: 'must be X' },
      pin: { vi: 'phải là số định danh cá nhân gồm 12 chữ số', en: 'must be a 12-digit personal identification number' },
    });
  });
});

describe("a workflow's refusal of an Update, in the request's language", () => {
  const target: UpdateTarget = { client: { withDeadline: (_deadline, fn) => fn() }, describe: async () => ({ status: { name: 'RUNNING' as WorkflowExecutionStatusName } }) };
  const refused = async (type: string, message: string) => {
    const failure = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message }));
    const thrown = await viaUpdate(() => Promise.reject(failure), target, PROCEDURES.get('traffic-fine')).catch((e: unknown) => e);
    if (!(thrown instanceof HttpProblem)) throw new Error(`not a problem: ${String(thrown)}`);
    return { status: thrown.status, vi: thrown.detailIn('vi'), en: thrown.detailIn('en'), title: thrown.toBody('vi').title };
  };

  it("keeps the workflow's English and says it in Vietnamese, with the data in it", async () => {
    expect(await refused(FailureTypes.dossierDecided, 'Dossier TFN-261201-ABCDEF has been decided and can no longer be cancelled')).toEqual({
      status: 409,
      title: 'Xung đột với trạng thái hiện tại',
      vi: 'Hồ sơ TFN-261201-ABCDEF đã có quyết định, không thể hủy được nữa',
      en: 'Dossier TFN-261201-ABCDEF has been decided and can no longer be cancelled',
    });
    expect((await refused(FailureTypes.dossierClosed, 'Case TFN-261201-ABCDEF is already paid')).vi).toBe('Hồ sơ TFN-261201-ABCDEF đã ở trạng thái “Đã nộp phạt”');
    expect((await refused(FailureTypes.dossierClosed, 'Dossier TFN-261201-ABCDEF is cancelled')).vi).toBe('Hồ sơ TFN-261201-ABCDEF đã ở trạng thái “Đã hủy”');
  });

  it("renders an invalid answer's reason: dates day first, amounts in đồng, each field's message", async () => {
    const payBy = await refused(FailureTypes.invalidAnswer, 'payBy must be between 2026-12-01 and 2026-12-31');
    expect(payBy).toMatchObject({ status: 422, vi: 'payBy phải trong khoảng từ 01/12/2026 đến 31/12/2026' });
    expect((await refused(FailureTypes.invalidAnswer, 'The amount 100 VND is not the balance 19000000 VND')).vi).toBe(
      'Số tiền 100 ₫ không bằng số tiền phạt còn phải nộp 19.000.000 ₫',
    );
    const fields = await refused(FailureTypes.invalidAnswer, 'reason: Too small: expected string to have >=3 characters; x: was not asked for (asked: reason)');
    expect(fields.vi).toBe('Câu trả lời không hợp lệ: reason: phải có ít nhất 3 ký tự; x: không thuộc các trường được yêu cầu (reason)');
  });

  it('says words it does not know in the Vietnamese of their failure type', async () => {
    expect(await refused(FailureTypes.taskNotOpen, 'Something new happened to the task')).toMatchObject({ status: 409, vi: 'Công việc không còn mở' });
    expect(await refused('UnprocessedUpdate', 'x')).toMatchObject({ status: 503, vi: 'Hệ thống xử lý chưa nhận yêu cầu; vui lòng thử lại sau ít phút' });
  });

  it('leaves English words nobody translated as they are rather than inventing', () => {
    expect(render('Some words from elsewhere', 'vi')).toBe('Some words from elsewhere');
    expect(render('must not contain control characters', 'vi')).toBe('không được chứa ký tự điều khiển');
  });
});
