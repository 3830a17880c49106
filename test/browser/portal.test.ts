import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { formatLocalTime } from '../../common/local-time';
import { identityProviderToken, launchBrowser, requireChromium, serve, testApi, type Claims, type TestBrowser } from '../support/browser';
import { pageWidth, seriousAxeFindings } from '../support/page-checks';
import { ensurePortalBuild } from '../support/console-build';
import { eventually } from '../support/http';
import { startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// The citizens' portal in Debian's Chromium, against the real system: API and worker on real
// Temporal, PostgreSQL and SMTP, the portal's production build served by the API at /portal/.
const ROOT = path.join(__dirname, '../..');
// CONSOLE_SCREENSHOTS=docs (npm run console:screenshots) writes the docs' pictures.
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS ? path.resolve(ROOT, process.env.CONSOLE_SCREENSHOTS) : undefined;
const UI_TIMEOUT_MS = 30_000;
const DESK = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const BAO = { pin: '079092009853', name: 'Phan Quốc Bảo' };
const AN = { pin: '079088004127', name: 'Nguyễn Văn An', plate: '51F-123.45' };
const CLERK = { sub: 'clerk.w-binh-thanh', role: 'clerk', unit: 'W-BINH-THANH' };
const POLICE = { sub: 'officer.hcmc-pc08', role: 'officer', unit: 'HCMC-PC08' };
const CAMERA = { sub: 'camera-gateway.hcmc-pc08', role: 'system' };
const MSC = 'marital-status-certificate';

interface DossierView {
  dossierId: string;
  status: string;
  dueAt: string;
  history: Array<{ at: string; outcome: string }>;
}
interface TaskRow {
  taskId: string;
  dossierId: string;
  step: string;
}

describe("citizens' portal in the browser", () => {
  let env: IntegrationEnv;
  let served: Awaited<ReturnType<typeof serve>>;
  let base: string;
  let browser: TestBrowser;
  let page: Page;
  /** The Accept-Language of each API call the portal made. */
  const apiLanguages: string[] = [];
  /** The certificate filed through the portal, and its verification code once issued. */
  let filed = '';
  let code = '';

  const { api, token } = testApi(() => base);
  const citizen = (pin: string): Claims => ({ sub: pin, role: 'citizen' });
  /** Whose each dossier is (the portal's citizen reads it as its owner does). */
  const owners = new Map<string, string>();
  const dossierOf = (id: string) => api<DossierView>('GET', `/dossiers/${id}`, citizen(owners.get(id) ?? BAO.pin));
  const waitForStatus = (id: string, status: string) => eventually(async () => ((await dossierOf(id)).status === status ? true : undefined), 60_000, 250);
  const waitForTask = (as: Claims, id: string, step: string) =>
    eventually(async () => (await api<TaskRow[]>('GET', '/tasks?limit=500', as)).find((t) => t.dossierId === id && t.step === step), 60_000, 250);
  async function decide(as: Claims, taskId: string, body: object) {
    await api('POST', `/tasks/${taskId}/claim`, as);
    await api('POST', `/tasks/${taskId}/complete`, as, body);
  }

  async function screenshot(name: string) {
    if (!SCREENSHOTS) return;
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
  }

  /** The portal's language, by its visible switch. */
  async function useLanguage(lang: 'vi' | 'en') {
    const current = await page.evaluate('document.documentElement.lang');
    if (current === lang) return;
    await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Tiếng Việt' }).click();
    await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
  }

  /**
   * The page as it is, in both languages, on a desk and on a phone: no critical or serious axe
   * violation, and nothing wider than the phone's 390 px. Ends in Vietnamese on the desk.
   */
  async function checkAccessible(what: string, ready: (lang: 'vi' | 'en') => Promise<unknown>) {
    for (const lang of ['vi', 'en'] as const) {
      await useLanguage(lang);
      for (const viewport of [DESK, PHONE]) {
        await page.setViewportSize(viewport);
        await ready(lang);
        expect({ page: what, lang, width: viewport.width, violations: await seriousAxeFindings(page) }).toEqual({ page: what, lang, width: viewport.width, violations: [] });
        if (viewport === PHONE) expect({ page: what, lang, fits: (await pageWidth(page)) <= PHONE.width }).toEqual({ page: what, lang, fits: true });
      }
    }
    await useLanguage('vi');
    await page.setViewportSize(DESK);
  }

  async function signIn(name: string) {
    await page.getByRole('button', { name }).click();
    await page.locator('[data-field="me"]').filter({ hasText: name }).waitFor();
  }
  async function signOut() {
    if (!page.url().startsWith(`${base}/portal/`)) await page.goto(`${base}/portal/`);
    await page.getByRole('button', { name: /Đăng xuất|Sign out/ }).click();
    await page.getByRole('heading', { name: /Đăng nhập|Sign in/ }).waitFor();
  }

  beforeAll(async () => {
    requireChromium();
    ensurePortalBuild();
    env = await startIntegrationEnv({ seed: true });
    await env.startWorker();
    served = await serve(env.createApi());
    base = served.base;
    browser = await launchBrowser({ viewport: DESK });
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('request', (req) => {
      if (req.url().startsWith(`${base}/api/v1/`)) apiLanguages.push(req.headers()['accept-language'] ?? '');
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await env?.stop();
  });

  afterEach(() => {
    // Everything the portal runs comes from its own origin, under its CSP.
    expect(browser.cspViolations).toEqual([]);
  });

  it('serves the build under its CSP, and index.html for every page path (deep links)', async () => {
    for (const url of ['/portal/', '/portal/dossiers', '/portal/dossiers/MSC-260101-ABC123', '/portal/procedures/marital-status-certificate']) {
      const res = await fetch(`${base}${url}`);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
      expect(await res.text()).toMatch(/<script type="module" crossorigin src="\/portal\/assets\//);
    }
    expect((await fetch(`${base}/portal/assets/nothing-here.js`)).status).toBe(404);
  });

  it('a citizen signs in, reads the catalog, files through the form (the API refuses a bad field, shown at it) and follows the dossier', async () => {
    await page.goto(`${base}/portal/`);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    // Citizens are named, never shown by their identification number.
    expect(await page.locator('main').textContent()).not.toContain(BAO.pin);
    await checkAccessible('sign-in', () => page.getByRole('button', { name: BAO.name }).waitFor());
    await signIn(BAO.name);

    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    const card = page.locator(`li[data-procedure="${MSC}"]`);
    await card.getByRole('heading', { name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).waitFor();
    expect(await card.locator('[data-field="deadline"]').textContent()).toBe('3 ngày làm việc');
    // Traffic fines are opened by the police, not filed.
    expect(await page.locator('li[data-procedure="traffic-fine"]').count()).toBe(0);
    await checkAccessible('catalog', (lang) => page.getByRole('heading', { name: lang === 'vi' ? 'Thủ tục hành chính' : 'Administrative procedures' }).waitFor());
    await screenshot('portal-catalog.png');

    await card.getByRole('link', { name: 'Nộp hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Nộp hồ sơ: Cấp Giấy xác nhận tình trạng hôn nhân' }).waitFor();
    await checkAccessible('filing form', (lang) => page.getByLabel(lang === 'vi' ? 'Nơi nộp hồ sơ' : 'Where to file').waitFor());
    expect(page.url()).toBe(`${base}/portal/procedures/${MSC}`);

    // No unit and a detail too short: the API's 400 names unitCode and data.purposeDetail; each shown at its field.
    await page.locator('#root_purpose').selectOption({ label: 'Mục đích khác' });
    await page.locator('#root_purposeDetail').fill('x');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.locator('.form-group:has(#root_purposeDetail) .error-detail').filter({ hasText: /3/ }).waitFor();
    await page.locator('#unitCode-error').waitFor();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('Hồ sơ chưa hợp lệ');
    expect(await summary.textContent()).toContain('Mục đích cụ thể');
    expect(await api<unknown[]>('GET', '/dossiers', citizen(BAO.pin))).toEqual([]);

    await page.getByLabel('Nơi nộp hồ sơ').selectOption('W-BINH-THANH');
    await page.locator('#root_purposeDetail').fill('Bổ túc hồ sơ vay vốn ngân hàng');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.waitForURL(/\/portal\/dossiers\/MSC-\d{6}-[0-9A-Z]{6}$/);
    filed = page.url().split('/').at(-1)!;
    owners.set(filed, BAO.pin);
    await page.getByRole('status').filter({ hasText: `Đã nộp hồ sơ ${filed}` }).waitFor();
    expect((await api<unknown[]>('GET', '/dossiers', citizen(BAO.pin))).length).toBe(1);

    // Working time used and left, as the API counts them; the due date in the city's time.
    const left = page.locator('[data-field="left"]');
    await left.waitFor();
    const clock = await api<{ dossier: { workingMinutesLeft: number; workingMinutesUsed: number } }>('GET', `/dossiers/${filed}/working-time`, citizen(BAO.pin));
    expect(Math.abs(Number(await left.getAttribute('data-minutes')) - clock.dossier.workingMinutesLeft)).toBeLessThanOrEqual(2);
    expect(Math.abs(Number(await page.locator('[data-field="used"]').getAttribute('data-minutes')) - clock.dossier.workingMinutesUsed)).toBeLessThanOrEqual(2);
    const dossier = await dossierOf(filed);
    expect(await page.locator('[data-field="due"]').textContent()).toContain(formatLocalTime(dossier.dueAt));

    await page.getByRole('link', { name: 'Hồ sơ của tôi' }).first().click();
    const row = page.locator(`li[data-dossier="${filed}"]`);
    await row.waitFor();
    expect(await row.locator('[data-field="due"]').textContent()).toContain(formatLocalTime(dossier.dueAt));
    expect(await row.getByRole('link').textContent()).toBe('Cấp Giấy xác nhận tình trạng hôn nhân');
    await checkAccessible('my dossiers', (lang) => page.getByRole('heading', { name: lang === 'vi' ? 'Hồ sơ của tôi' : 'My dossiers', level: 1 }).waitFor());
  });

  it('answers a supplement with only the fields asked for, then downloads the issued certificate and opens its verification page', async () => {
    const review = await waitForTask(CLERK, filed, 'review');
    const problem = 'Ghi rõ ngân hàng nào yêu cầu giấy xác nhận';
    await decide(CLERK, review.taskId, { outcome: 'request-supplement', data: { items: [{ field: 'purposeDetail', problem }] } });
    await waitForStatus(filed, 'awaiting-supplement');

    await page.goto(`${base}/portal/dossiers/${filed}`);
    const form = page.locator('section.supplement');
    await form.getByText(problem).waitFor();
    // Only what was asked: one field.
    expect(await form.locator('input, select, textarea').count()).toBe(1);
    await form.locator('#supplement_purposeDetail').fill('x');
    await form.getByRole('button', { name: 'Gửi bổ sung' }).click();
    await form.locator('.form-group:has(#supplement_purposeDetail) .error-detail').waitFor();
    await form.getByRole('alert').waitFor();
    await checkAccessible('dossier page (supplement)', () => page.locator('section.supplement').waitFor());
    await form.locator('#supplement_purposeDetail').fill('Vay vốn tại Ngân hàng Vietcombank chi nhánh Bình Thạnh');
    await form.getByRole('button', { name: 'Gửi bổ sung' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã gửi bổ sung' }).waitFor();

    const again = await waitForTask(CLERK, filed, 'review');
    expect(again.taskId).not.toBe(review.taskId);
    await decide(CLERK, again.taskId, { outcome: 'approve' });
    await waitForStatus(filed, 'issued');

    await page.reload();
    const codeField = page.locator('[data-field="code"]');
    await codeField.waitFor();
    code = (await codeField.textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.locator('[data-field="status"]').filter({ hasText: 'Đã cấp' }).waitFor();
    // The history in the city's local time.
    const history = (await dossierOf(filed)).history;
    await page.locator('.timeline time').filter({ hasText: formatLocalTime(history[0]!.at) }).first().waitFor();
    await checkAccessible('dossier page', () => page.locator('[data-field="code"]').waitFor());

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải bản PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`${code}.pdf`);
    const saved = await download.path();
    expect((await readFile(saved)).subarray(0, 5).toString()).toBe('%PDF-');

    await useLanguage('en');
    await page.getByRole('heading', { name: 'Processing time' }).waitFor();
    await page.locator('[data-field="status"]').filter({ hasText: 'Issued' }).waitFor();
    await screenshot('portal-dossier.png');
    // The API is asked in the portal's language.
    apiLanguages.length = 0;
    await page.reload();
    await page.locator('[data-field="code"]').waitFor();
    expect(apiLanguages.length).toBeGreaterThan(0);
    expect(new Set(apiLanguages)).toEqual(new Set(['en']));
    await useLanguage('vi');

    await page.getByRole('link', { name: 'Trang kiểm tra tính xác thực' }).click();
    await page.waitForURL(`${base}/verify/${code}?lang=vi`);
    expect(await page.locator('body').textContent()).toContain(code);
    expect(await page.locator('body').textContent()).not.toContain(BAO.pin);
  });

  it('the owner opens a traffic notice from its old mail link, signs in, lands on it and pays once for a double click', async () => {
    const captured = new Date(Date.now() - 3_600_000).toISOString();
    const evidence = {
      source: 'camera:BT-LL-NH-01',
      capturedAt: captured,
      location: { unitCode: 'W-BEN-THANH', description: 'Giao lộ Lê Lợi – Nguyễn Huệ' },
      plateNumber: AN.plate,
      violationCode: 'RED-LIGHT-CAR',
      evidence: [{ sha256: randomBytes(32).toString('hex') }],
    };
    const { dossierId } = await api<{ dossierId: string }>('POST', '/violations', CAMERA, evidence);
    owners.set(dossierId, AN.pin);
    await decide(POLICE, (await waitForTask(POLICE, dossierId, 'confirm')).taskId, { outcome: 'confirm' });
    await eventually(async () => ((await api<DossierView>('GET', `/dossiers/${dossierId}`, POLICE)).status === 'awaiting-response' ? true : undefined), 60_000, 250);

    await signOut();
    // The notice's mail linked to the API's respond address.
    await page.goto(`${base}/api/v1/dossiers/${dossierId}/respond`);
    expect(page.url()).toBe(`${base}/portal/dossiers/${dossierId}`);
    await signIn(AN.name);
    expect(page.url()).toBe(`${base}/portal/dossiers/${dossierId}`);
    const notice = page.locator('section.notice-card');
    await notice.locator('[data-field="balance"]').filter({ hasText: '19.000.000 ₫' }).waitFor();
    await checkAccessible('dossier page (traffic notice)', () => page.locator('section.notice-card [data-field="balance"]').waitFor());
    if (SCREENSHOTS) {
      await page.setViewportSize(PHONE);
      await screenshot('portal-phone.png');
      await page.setViewportSize(DESK);
    }

    await notice.getByRole('button', { name: 'Nộp 19.000.000 ₫' }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Đã nộp 19.000.000 ₫' }).waitFor();
    await eventually(async () => ((await api<DossierView>('GET', `/dossiers/${dossierId}`, POLICE)).status === 'paid' ? true : undefined), 60_000, 250);
    expect(await env.prisma.payment.count({ where: { dossierId } })).toBe(1);
  });

  it("old mail links to the API land a browser on the portal's pages; API clients get what they always got", async () => {
    const links: Array<[string, string]> = [
      [`/api/v1/dossiers/${filed}`, `/portal/dossiers/${filed}`],
      [`/api/v1/dossiers/${filed}/document`, `/portal/dossiers/${filed}`],
      [`/api/v1/dossiers/${filed}/respond`, `/portal/dossiers/${filed}`],
      [`/api/v1/documents/${code}/verify`, `/verify/${code}`],
    ];
    await signOut();
    await page.goto(`${base}${links[0]![0]}`);
    await signIn(BAO.name);
    await page.locator('[data-field="code"]').filter({ hasText: code }).waitFor();
    for (const [link, landing] of links) {
      await page.goto(`${base}${link}`);
      expect({ link, url: page.url() }).toEqual({ link, url: `${base}${landing}` });
      if (landing.startsWith('/portal/')) await page.getByRole('heading', { name: `Hồ sơ ${filed}` }).waitFor();
      else expect(await page.locator('body').textContent()).toContain(code);
    }

    // API clients: no redirect, whether they state no preference, ask for JSON, or send a token.
    const bearer = { authorization: `Bearer ${await token(citizen(BAO.pin))}` };
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const answers = async (url: string, headers: Record<string, string>) => (await fetch(`${base}${url}`, { headers, redirect: 'manual' })).status;
    expect(await answers(`/api/v1/dossiers/${filed}`, {})).toBe(401);
    expect(await answers(`/api/v1/dossiers/${filed}`, { ...html, ...bearer })).toBe(200);
    expect(await answers(`/api/v1/dossiers/${filed}/respond`, bearer)).toBe(405);
    expect(await answers(`/api/v1/dossiers/${filed}/document`, { accept: 'application/pdf', ...bearer })).toBe(200);
    const verify = await fetch(`${base}/api/v1/documents/${code}/verify`);
    expect(await verify.json()).toMatchObject({ valid: true, dossierId: filed });
    expect(await answers(`/api/v1/dossiers/${filed}`, html)).toBe(303);
  });

  it("production mode: no demo citizens; the identity provider's token is pasted, and the citizen is not shown by their number", async () => {
    const prod = await serve(env.createApi({ devMode: false }));
    try {
      const prodBase = prod.base;
      const idpToken = await identityProviderToken(env.config.auth.secret, AN.pin, { role: 'citizen' });
      await page.goto(`${prodBase}/portal/dossiers`);
      await page.getByLabel('Mã truy cập (token) do hệ thống định danh cấp').fill(idpToken);
      expect(await page.getByRole('button', { name: AN.name }).count()).toBe(0);
      await page.getByRole('button', { name: 'Dùng mã này' }).click();
      await page.locator('[data-field="me"]').filter({ hasText: `Công dân ••••${AN.pin.slice(-4)}` }).waitFor();
      // Landed where the address pointed: the citizen's dossiers (the fine paid above among them).
      await page.getByRole('heading', { name: 'Hồ sơ của tôi', level: 1 }).waitFor();
      await page.locator('li[data-dossier^="TFN-"]').first().waitFor();
      expect(await page.locator('body').textContent()).not.toContain(AN.pin);
    } finally {
      await prod.close();
    }
  });

  it('cancels a dossier once the citizen confirms', async () => {
    const demo = (await (await fetch(`${base}/api/v1/dev/demo`)).json()) as { examples: Record<string, { body: unknown }> };
    const { dossierId } = await api<{ dossierId: string }>('POST', '/dossiers', citizen(BAO.pin), demo.examples[MSC]!.body);
    await page.goto(`${base}/portal/dossiers/${dossierId}`);
    await page.getByRole('button', { name: 'Hủy hồ sơ…' }).click();
    await page.getByLabel('Lý do hủy (không bắt buộc)').fill('Đã nộp nhầm');
    await page.getByRole('button', { name: 'Xác nhận hủy hồ sơ' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã hủy hồ sơ.' }).waitFor();
    await waitForStatus(dossierId, 'cancelled');
    await page.locator('[data-field="status"]').filter({ hasText: 'Đã hủy' }).waitFor();
  });
});
