import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Checks the browser tests make on every page of the console and the portal: axe-core's
 * accessibility rules, and that a phone's width needs no sideways scrolling of the page.
 */

// axe-core's source, evaluated in the page through the DevTools protocol: not a script the page
// loads, so the app's CSP (no inline script) stays as it is, and its violations stay meaningful.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** The critical and serious findings of axe-core on the page as it stands. */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate<AxeFinding[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`);
  return findings.filter((f) => f.impact === 'critical' || f.impact === 'serious');
}

/** How wide the page is laid out: more than the viewport means the page scrolls sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');
}

/** The elements that reach past the viewport's right edge (the innermost few), to say what overflows. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')`);
}

/** The console's language, as the switch stores it, for the next load. */
export async function useLanguage(page: Page, lang: 'vi' | 'en'): Promise<void> {
  await page.evaluate(`localStorage.setItem('console.lang', ${JSON.stringify(lang)})`);
  await page.reload();
}
