import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, for the browser tests: launched headless with its own
 * profile, every Content Security Policy violation recorded, and axe-core's accessibility checks.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** What the CSP refused, as the page reported it (`securitypolicyviolation`) or the console said. */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function launchBrowser(options: { viewport: { width: number; height: number } }): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport,
    // The browser's own zone is not the city's: pages must show Asia/Ho_Chi_Minh anyway.
    timezoneId: 'UTC',
    locale: 'en-US',
    acceptDownloads: true,
  });
  const cspViolations: string[] = [];
  // Through the DevTools protocol, not a script tag: the page's CSP does not govern it.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (/CSP violation|Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

/**
 * axe-core's violations of impact critical or serious on the page as it is now. axe is evaluated
 * through the DevTools protocol (the CSP allows no inline script tag).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations: AxeViolation[] = await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))',
  );
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** How wide the page's content is (wider than the viewport: it scrolls sideways). */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth');
}
