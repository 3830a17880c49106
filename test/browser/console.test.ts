import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { receivedDossierRow } from '../../common/dossier-rows';
import { formatLocalTime } from '../../common/local-time';
import { PERSONS } from '../../prisma/seed-data';
import { identityProviderToken, launchBrowser, requireChromium, serve, testApi, type Claims, type TestBrowser } from '../support/browser';
import { ensureConsoleBuild } from '../support/console-build';
import { overflowing, pageWidth, seriousAxeFindings, useLanguage } from '../support/page-checks';
import { pngFrame, startEvidenceStore, type EvidenceStore } from '../support/evidence-store';
import { eventually } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// The staff console in Debian's Chromium, against the real system: API and worker on real Temporal,
// PostgreSQL and SMTP, the console's production build served by the API at /console/.
const ROOT = path.join(__dirname, '../..');
// CONSOLE_SCREENSHOTS=docs (npm run console:screenshots) writes the README's pictures.
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS ? path.resolve(ROOT, process.env.CONSOLE_SCREENSHOTS) : undefined;
const UI_TIMEOUT_MS = 30_000;

interface TaskRow {
  taskId: string;
  dossierId: string;
  status: string;
  assignee: string | null;
  unitCode: string;
}
interface StatsAnswer {
  rows: Array<{ unitCode: string; procedure: string; received: number; completed: number; onTime: number; late: number; open: number; overdue: number; onTimeRate: number | null }>;
}

describe('staff console in the browser', () => {
  let env: IntegrationEnv;
  let served: Awaited<ReturnType<typeof serve>>;
  let base: string;
  let browser: TestBrowser;
  let page: Page;
  let store: EvidenceStore;
  const { api } = testApi(() => base);
  // The city's supervisor sees every unit's tasks and dossiers.
  const CITY: Claims = { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' };

  /** Files the procedure's demo example and waits for its first task. */
  async function fileExample(procedure: string): Promise<TaskRow> {
    const demo = await api<{ examples: Record<string, { as: Claims; body: unknown }> }>('GET', '/dev/demo', null);
    const example = demo.examples[procedure]!;
    const { dossierId } = await api<{ dossierId: string }>('POST', '/dossiers', example.as, example.body);
    return eventually(async () => (await api<TaskRow[]>('GET', '/tasks', CITY)).find((t) => t.dossierId === dossierId), 60_000, 200);
  }

  /**
   * Dossiers closed earlier this year, some on time and some late, at a few units: the figures the
   * chart and its table show (straight into the database, as if the workflows had closed them).
   */
  async function closedDossiers() {
    const day = 86_400_000;
    const now = Date.now();
    const yearStart = Date.UTC(new Date(now).getUTCFullYear(), 0, 1, 1);
    const plan = [
      ['CSE', 'civil-status-extract', 'W-BEN-THANH', 'issued', [true, true, true, false]],
      ['CSE', 'civil-status-extract', 'W-SAI-GON', 'issued', [true, false, false]],
      ['BRG', 'business-registration', 'HCMC-DOF', 'registered', [true, true, true, true, false]],
    ] as const;
    let n = 0;
    for (const [prefix, procedure, unitCode, status, onTime] of plan) {
      for (const inTime of onTime) {
        n += 1;
        const receivedAt = new Date(Math.max(yearStart, now - (10 + n) * day));
        const dueAt = new Date(receivedAt.getTime() + 3 * day);
        const closedAt = new Date(dueAt.getTime() + (inTime ? -day : day));
        const dossierId = `${prefix}-260101-HIST${String(n).padStart(2, '0')}`;
        await env.prisma.dossier.createMany({
          data: { ...receivedDossierRow({ dossierId, procedure, unitCode, applicantPin: null, ownerPins: [], request: {}, receivedAt, dueAt }), status, currentStep: 'closed', closedAt },
        });
      }
    }
  }

  async function signIn(unit: string, sub: string) {
    // Whoever signed in before is signed out: the token lives in the tab's sessionStorage.
    if (page.url().startsWith(base)) await page.evaluate('sessionStorage.clear()');
    await page.goto(`${base}/console/`);
    const units = page.locator('select[name="unit"]');
    await page.locator('.members button').first().waitFor();
    await units.selectOption(unit);
    await page.locator(`button[data-sub="${sub}"]`).click();
    // On a phone the identity is inside the header's menu: present, not necessarily shown.
    await page.locator('[data-field="me"]').filter({ hasText: sub }).waitFor({ state: 'attached' });
  }

  async function screenshot(name: string) {
    if (!SCREENSHOTS) return;
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
  }

  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuild();
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    await closedDossiers();
    // The cameras' image store the API may read evidence from.
    store = await startEvidenceStore();
    served = await serve(env.createApi({ evidence: { origins: [store.origin] } }));
    base = served.base;
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await store?.close();
    await env?.stop();
  });

  afterEach(() => {
    // Everything the console runs comes from its own origin, under its CSP.
    expect(browser.cspViolations).toEqual([]);
  });

  it("production mode: no demo identities; the identity provider's token is pasted, or arrives in the address", async () => {
    // The API as production runs it (no dev endpoints), verifying the IdP's tokens with its secret.
    const prod = await serve(env.createApi({ devMode: false }));
    try {
      const prodBase = prod.base;
      const idpToken = await identityProviderToken(env.config.auth.secret, 'clerk.w-sai-gon', { role: 'clerk', unit: 'W-SAI-GON' });
      if (page.url().startsWith(base)) await page.evaluate('sessionStorage.clear()');
      await page.goto(`${prodBase}/console/`);
      await page.getByLabel('Mã truy cập (token) do hệ thống định danh cấp').fill(idpToken);
      expect(await page.locator('select[name="unit"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Dùng mã này' }).click();
      await page.locator('[data-field="me"]').filter({ hasText: 'clerk.w-sai-gon' }).waitFor();

      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      // As the IdP's redirect arrives: a new page load with the token in the fragment.
      await page.goto('about:blank');
      await page.goto(`${prodBase}/console/#token=${idpToken}`);
      await page.locator('[data-field="me"]').filter({ hasText: 'clerk.w-sai-gon' }).waitFor();
      expect(page.url()).not.toContain(idpToken);
    } finally {
      await prod.close();
    }
  });

  it('serves the build with a CSP that allows only its own origin', async () => {
    const res = await fetch(`${base}/console/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*src="\/console\/assets\/)/);
  });

  it('a clerk signs in, claims a task, sees the API refuse a bad entry at its field, and completes it', async () => {
    const task = await fileExample('civil-status-extract');
    const clerk = 'clerk.w-ben-thanh';
    expect(task.unitCode).toBe('W-BEN-THANH');
    await signIn('W-BEN-THANH', clerk);

    // Vietnamese by default.
    await page.getByRole('heading', { name: 'Hộp việc' }).waitFor();
    const row = page.locator(`tr[data-task="${task.taskId}"]`);
    await row.getByRole('button', { name: 'Nhận việc' }).click();
    await page.getByRole('status').filter({ hasText: `Đã nhận việc ${task.taskId}` }).waitFor();
    expect((await api<TaskRow[]>('GET', '/tasks?assignee=me', { sub: clerk, role: 'clerk', unit: 'W-BEN-THANH' })).map((t) => t.taskId)).toContain(task.taskId);

    await page.getByRole('tab', { name: 'Của tôi' }).click();
    await row.getByRole('button', { name: 'Xử lý' }).click();
    const form = page.locator('.task-form');
    // What the clerk signs on: the record's content and the applicant as the population data knows them, labelled.
    const an = PERSONS.find((p) => p.pin === '079088004127')!;
    const applicant = form.locator('[data-shown="applicant"]');
    await applicant.locator('[data-line="fullName"] dd').filter({ hasText: an.fullName }).waitFor();
    await applicant.locator('[data-line="dateOfBirth"] dd').filter({ hasText: '14/03/1988' }).waitFor();
    expect(await applicant.locator('[data-line="fullName"] dt').textContent()).toBe('Họ và tên');
    const record = form.locator('[data-shown="record"]');
    await record.locator('[data-line="childName"] dd').filter({ hasText: 'Nguyễn Minh Khang' }).waitFor();
    await record.locator('[data-line="registeredAt"] dd').filter({ hasText: 'Phường Bến Thành' }).waitFor();
    const contextText = (await form.locator('.context').textContent()) ?? '';
    expect(contextText).not.toContain(an.pin);
    expect(contextText).toContain(an.pin.slice(-4));
    expect(contextText).not.toMatch(/[{}"]/);
    await form.getByLabel('Từ chối').check();
    await form.locator('#root_reason').fill('ab');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    // The API's 400 names data.reason; the console asks the API in its own language and shows the
    // API's Vietnamese message at the reason field.
    await form.locator('.form-group:has(#root_reason) .error-detail').filter({ hasText: 'phải có ít nhất 3 ký tự' }).waitFor();
    await form.getByRole('alert').waitFor();
    expect((await api<TaskRow[]>('GET', '/tasks?assignee=me', { sub: clerk, role: 'clerk', unit: 'W-BEN-THANH' })).map((t) => t.taskId)).toContain(task.taskId);
    await screenshot('console-inbox.png');

    await form.getByLabel('Phê duyệt').check();
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByRole('status').filter({ hasText: `Đã hoàn thành việc ${task.taskId}` }).waitFor();
    const done = await api<TaskRow[]>('GET', '/tasks?status=done', CITY);
    expect(done.find((t) => t.taskId === task.taskId)).toMatchObject({ status: 'done' });
  });

  it('builds array and nested forms from the outcome schema, and puts the API\'s messages at nested fields', async () => {
    const task = await fileExample('business-registration');
    await signIn('HCMC-DOF', 'clerk.hcmc-dof');
    await page.locator(`tr[data-task="${task.taskId}"]`).getByRole('button', { name: 'Xử lý' }).click();
    const form = page.locator('.task-form');
    await form.getByLabel('Yêu cầu bổ sung').check();
    // The schema asks for at least one item: the form starts with one, labelled in Vietnamese.
    await form.getByRole('button', { name: 'Thêm' }).waitFor();
    await form.locator('#root_items_0_field').selectOption({ label: 'Tên dự kiến' });
    await form.locator('#root_items_0_problem').fill('x');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await form.locator('.form-group:has(#root_items_0_problem) .error-detail').filter({ hasText: /3/ }).waitFor();
    await form.locator('#root_items_0_problem').fill('Tên trùng với doanh nghiệp đã đăng ký');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByRole('status').filter({ hasText: `Đã hoàn thành việc ${task.taskId}` }).waitFor();
    expect((await api<{ status: string }>('GET', `/dossiers/${task.dossierId}`, CITY)).status).toBe('awaiting-supplement');
  });

  it('shows a dossier with its current step, working-time countdown, history and open tasks, in English by the switch', async () => {
    const task = await fileExample('civil-status-extract');
    await signIn('W-BEN-THANH', 'clerk.w-ben-thanh');
    await page.goto(`${base}/console/#/dossiers/${task.dossierId}`);
    const countdown = page.locator('[data-field="countdown"]');
    await countdown.waitFor();
    const clock = await api<{ dossier: { workingMinutesLeft: number } }>('GET', `/dossiers/${task.dossierId}/working-time`, CITY);
    const shown = Number(await countdown.getAttribute('data-minutes'));
    expect(Math.abs(shown - clock.dossier.workingMinutesLeft)).toBeLessThanOrEqual(2);
    await page.locator('[data-field="currentStep"]').filter({ hasText: 'Kiểm tra và ký' }).waitFor();
    await page.locator('.open-tasks li').filter({ hasText: task.taskId }).waitFor();
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(1);
    // Times in the city's zone (UTC+07:00), whatever the browser's: the due time is 17:00 local.
    const dossier = await api<{ dueAt: string }>('GET', `/dossiers/${task.dossierId}`, CITY);
    const local = new Date(Date.parse(dossier.dueAt) + 7 * 3600_000).toISOString();
    await page.locator('dd').filter({ hasText: `${local.slice(11, 16)}` }).first().waitFor();
    await screenshot('console-dossier.png');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Working time left' }).waitFor();
    await page.locator('[data-field="currentStep"]').filter({ hasText: 'Verify and sign' }).waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('a supervisor sees an overdue dossier with its reason, reassigns and escalates it, reads the on-time figures the API gives, and cancels it in bulk', async () => {
    const task = await fileExample('business-registration');
    expect(task.unitCode).toBe('HCMC-DOF');
    const lateSince = new Date(Date.now() - 3 * 3600_000);
    await env.prisma.task.update({ where: { id: task.taskId }, data: { dueAt: lateSince } });
    await env.prisma.dossier.update({ where: { id: task.dossierId }, data: { dueAt: lateSince } });
    const supervisor: Claims = { sub: 'supervisor.hcmc-dof', role: 'supervisor', unit: 'HCMC-DOF' };

    await signIn('HCMC-DOF', supervisor.sub);
    await page.getByRole('link', { name: 'Giám sát' }).click();
    const item = page.locator(`[data-list="overdue"] li[data-dossier="${task.dossierId}"]`);
    await item.waitFor();
    // The reason in the console's language (Vietnamese), with the task, its step and unit by name and
    // how late it is; its instants in local time.
    const reason = (await item.locator('.reason').textContent()) ?? '';
    expect(reason).toContain(`Công việc “Thẩm định hồ sơ đăng ký kinh doanh” (${task.taskId}) tại Sở Tài chính — Phòng Đăng ký kinh doanh`);
    expect(reason).toMatch(/trễ hạn 3 giờ \d+ phút/);
    expect(reason).toContain(`hạn ${formatLocalTime(lateSince)}`);
    expect(reason).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);

    await item.getByRole('button', { name: 'Giao lại' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('select[name="taskId"]').selectOption(task.taskId);
    await dialog.locator('select[name="assignTo"]').selectOption('person:clerk-2.hcmc-dof');
    await dialog.getByRole('button', { name: 'Thực hiện' }).click();
    await page.getByRole('status').filter({ hasText: `Đã giao lại việc ${task.taskId}` }).waitFor();
    const reassigned = (await api<TaskRow[]>('GET', '/tasks', supervisor)).find((t) => t.taskId === task.taskId);
    expect(reassigned?.assignee).toBe('clerk-2.hcmc-dof');

    // Escalated by hand with a note: in the dossier's history.
    await item.getByRole('button', { name: 'Chuyển cấp trên' }).click();
    await page.getByRole('dialog').locator('textarea[name="note"]').fill('Hồ sơ trễ 3 giờ, đề nghị lãnh đạo Sở chỉ đạo');
    await page.getByRole('dialog').getByRole('button', { name: 'Thực hiện' }).click();
    await page.getByRole('status').filter({ hasText: `Đã chuyển hồ sơ ${task.dossierId} lên cấp trên` }).waitFor();
    const history = (await api<{ history: Array<{ outcome: string; note: string | null }> }>('GET', `/dossiers/${task.dossierId}`, CITY)).history;
    expect(history.map((h) => h.outcome)).toContain('escalated-by-hand');

    // The city's supervisor reads the figures of the whole tree: beside the chart, the API's, row by row.
    const city: Claims = { sub: 'supervisor.hcmc', role: 'supervisor', unit: 'HCMC' };
    await signIn('HCMC', city.sub);
    await page.getByRole('link', { name: 'Giám sát' }).click();
    const stats = await api<StatsAnswer>('GET', '/supervision/stats', city);
    expect(stats.rows.filter((r) => r.completed > 0).length).toBeGreaterThan(2);
    const table = page.locator('table.figures');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(stats.rows.length);
    for (const row of stats.rows) {
      const tr = table.locator(`tr[data-row="${row.unitCode}|${row.procedure}"]`);
      for (const figure of ['received', 'completed', 'onTime', 'late', 'open', 'overdue'] as const) {
        expect(await tr.locator(`[data-figure="${figure}"]`).textContent()).toBe(String(row[figure]));
      }
      expect(await tr.locator('[data-figure="onTimeRate"]').getAttribute('data-value')).toBe(row.onTimeRate === null ? '' : String(row.onTimeRate));
    }
    // The chart draws the same rates, in percent (the arrays it was given are on its canvas).
    const canvas = page.locator('.chart canvas');
    expect(JSON.parse((await canvas.getAttribute('data-labels')) ?? '[]')).toEqual(stats.rows.map((r) => `${r.unitCode}|${r.procedure}`));
    expect(JSON.parse((await canvas.getAttribute('data-rates')) ?? '[]')).toEqual(stats.rows.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10)));
    await page.locator(`[data-list="overdue"] li[data-dossier="${task.dossierId}"]`).waitFor();
    await screenshot('console-dashboard.png');

    // A bulk action on the selection answers per item: the overdue dossier cancelled with a reason.
    await page.locator(`[data-list="overdue"] li[data-dossier="${task.dossierId}"] input[type="checkbox"]`).check();
    const bulk = page.getByRole('form', { name: 'Thao tác hàng loạt' });
    await bulk.locator('select[name="bulkAction"]').selectOption('cancel');
    await bulk.locator('input[name="reason"]').fill('Người nộp đã rút hồ sơ tại quầy');
    await bulk.getByRole('button', { name: 'Thực hiện' }).click();
    await page.getByRole('status').filter({ hasText: 'Kết quả: 1 thành công, 0 không thực hiện được' }).waitFor();
    await eventually(async () => ((await api<{ status: string }>('GET', `/dossiers/${task.dossierId}`, CITY)).status === 'cancelled' ? true : undefined), 30_000, 200);
  });
  /** Evidence of a red light, its plate unread: the traffic police's officers read it from the images. */
  async function unreadPlate(): Promise<{ task: TaskRow; capturedAt: Date }> {
    const n = Math.floor(Math.random() * 1e9);
    const frame = store.put(`frame-${n}`, pngFrame(96, 64, [200, 40, 40]));
    const capturedAt = new Date(Date.now() - 2 * 3600_000);
    const opened = await api<{ dossierId: string }>('POST', '/violations', { sub: 'camera-gateway.hcmc-pc08', role: 'system' }, {
      source: 'camera:BT-LL-NH-01',
      capturedAt: capturedAt.toISOString(),
      location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
      violationCode: 'RED-LIGHT-CAR',
      evidence: [frame],
    });
    const task = await eventually(async () => (await api<TaskRow[]>('GET', '/tasks', CITY)).find((t) => t.dossierId === opened.dossierId), 60_000, 200);
    return { task, capturedAt };
  }

  it("an officer reads the plate from the evidence's images, with the place, time, violation and fine in words", async () => {
    const { task, capturedAt } = await unreadPlate();
    await signIn('HCMC-PC08', 'officer.hcmc-pc08');
    await page.locator(`tr[data-task="${task.taskId}"]`).getByRole('button', { name: 'Xử lý' }).click();
    const form = page.locator('.task-form');
    const image = form.locator('[data-shown="evidence"] img').first();
    await image.waitFor();
    await eventually(async () => ((await image.evaluate((img) => ('complete' in img && img.complete === true && 'naturalWidth' in img && typeof img.naturalWidth === 'number' ? img.naturalWidth : 0))) === 96 ? true : undefined), 10_000, 100);
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await form.locator('[data-shown="location"] dd').filter({ hasText: 'Giao lộ Lê Lợi – Nguyễn Huệ, Phường Bến Thành' }).waitFor();
    await form.locator('[data-shown="capturedAt"] dd').filter({ hasText: formatLocalTime(capturedAt) }).waitFor();
    await form.locator('[data-shown="violation"] dd').filter({ hasText: 'Ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông' }).waitFor();
    await form.locator('[data-shown="fineAmount"] dd').filter({ hasText: '19.000.000 ₫' }).waitFor();
    expect(await form.locator('.context').textContent()).not.toContain('RED-LIGHT-CAR');
    await screenshot('console-evidence.png');
  });

  it('every page passes axe (nothing critical or serious) in Vietnamese and English, on a desktop and on a 390 px phone, which never scrolls sideways', async () => {
    const cse = await fileExample('civil-status-extract');
    const { task: plate } = await unreadPlate();
    interface Check {
      page: string;
      /** Brings the page up (after a load in the language under test) and resolves when it is drawn. */
      open(lang: 'vi' | 'en'): Promise<void>;
    }
    const row = (taskId: string) => page.locator(`tr[data-task="${taskId}"]`);
    const checks: Check[] = [
      { page: 'sign-in', open: async () => void (await page.locator('.members button').first().waitFor()) },
      { page: 'inbox', open: async () => void (await row(cse.taskId).waitFor()) },
      {
        page: 'task',
        open: async () => {
          await row(cse.taskId).locator('button.primary').click();
          await page.locator('.task-form [data-shown="record"]').waitFor();
        },
      },
      { page: 'dossier', open: async () => void (await page.locator('.timeline li').first().waitFor()) },
      {
        page: 'evidence',
        open: async () => {
          await row(plate.taskId).locator('button.primary').click();
          await page.locator('.task-form [data-shown="evidence"] img').first().waitFor();
        },
      },
      { page: 'dashboard', open: async () => void (await page.locator('table.figures').waitFor()) },
    ];
    const at: Record<string, { url: string; as?: [string, string] }> = {
      'sign-in': { url: `${base}/console/` },
      inbox: { url: `${base}/console/#/inbox`, as: ['W-BEN-THANH', 'clerk.w-ben-thanh'] },
      task: { url: `${base}/console/#/inbox`, as: ['W-BEN-THANH', 'clerk.w-ben-thanh'] },
      dossier: { url: `${base}/console/#/dossiers/${cse.dossierId}`, as: ['W-BEN-THANH', 'clerk.w-ben-thanh'] },
      evidence: { url: `${base}/console/#/inbox`, as: ['HCMC-PC08', 'officer.hcmc-pc08'] },
      dashboard: { url: `${base}/console/#/dashboard`, as: ['HCMC', 'supervisor.hcmc'] },
    };
    const findings: string[] = [];
    let signedInAs: string | null = null;
    for (const check of checks) {
      const where = at[check.page]!;
      const who = where.as?.join('/') ?? '';
      if (who !== signedInAs) {
        await page.setViewportSize({ width: 1366, height: 900 });
        if (where.as) await signIn(...where.as);
        else if (page.url().startsWith(base)) await page.evaluate('sessionStorage.clear()');
        signedInAs = who;
      }
      for (const width of [1366, 390]) {
        for (const lang of ['vi', 'en'] as const) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(where.url);
          await useLanguage(page, lang);
          await check.open(lang);
          for (const f of await seriousAxeFindings(page)) findings.push(`${check.page} ${lang} ${width}px: ${f.impact} ${f.id} (${f.help}) at ${f.nodes.join(', ')}`);
          if (width === 390) {
            const wide = await pageWidth(page);
            if (wide > 390) findings.push(`${check.page} ${lang} 390px: the page is ${wide}px wide (${(await overflowing(page)).join(', ')})`);
            // The header stays one compact row: its name, the menu and signing out.
            const header = (await page.locator('header.top').boundingBox())?.height ?? 0;
            if (header >= 90) findings.push(`${check.page} ${lang} 390px: the header is ${header}px high`);
          }
          if (lang === 'en' && width === 1366) await screenshot(`console-${check.page}-en.png`);
          if (lang === 'vi' && width === 390) await screenshot(`console-${check.page}-phone.png`);
        }
      }
    }
    expect(findings).toEqual([]);
    // On a phone the pages are behind the menu, and signing out stays in the header.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${base}/console/#/dashboard`);
    await useLanguage(page, 'vi');
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    expect(await page.getByRole('link', { name: 'Hộp việc' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Trình đơn' }).click();
    await page.getByRole('link', { name: 'Hộp việc' }).click();
    await page.getByRole('heading', { name: 'Hộp việc' }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
  });
});
