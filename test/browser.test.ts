import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNightly } from '../pipelines/run.js';
import { RAW, sink, tempDir } from './helpers.js';

/**
 * The report as a steward sees it: report.html of the bundled corpus opened in headless Chromium (Debian's
 * `chromium`, driven by playwright-core without a browser download; .ci/run installs it when missing).
 * On a machine without Chromium these tests fail in CI and are skipped elsewhere, saying why.
 */
function chromiumPath(): string | null {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return null;
}

const executable = chromiumPath();
const inCi = process.env['CI'] === 'true';
if (!executable && !inCi) console.warn('test/browser.test.ts: no Chromium on PATH (apt-get install chromium): browser tests skipped');

let warehouse = '';
let reportPath = '';
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

describe.skipIf(!executable && !inCi)('report.html in a real browser', () => {
  beforeAll(async () => {
    expect(executable, 'Chromium is needed for the browser tests (apt-get install chromium)').not.toBeNull();
    warehouse = await tempDir('browser');
    const result = await runNightly({ rawDir: RAW, warehouseDir: warehouse, failOn: 'never', log: sink().log, clock: () => new Date('2026-01-01T02:00:00Z') });
    expect(result.exitCode).toBe(0);
    reportPath = join(warehouse, 'reports', 'latest', 'report.html');
    browser = await chromium.launch({ executablePath: executable!, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(reportPath).href);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (warehouse) await rm(warehouse, { recursive: true, force: true });
  });

  it('loads with no script error, shows the filter bar and counts the findings shown', async () => {
    expect(consoleErrors).toEqual([]);
    expect(await page.isVisible('#filters')).toBe(true);
    const cards = await page.locator('article.finding').count();
    expect(cards).toBeGreaterThan(0);
    expect(await page.locator('#shown').textContent()).toContain(`of ${cards}`);
  });

  it('filters by severity, by check and by text, and the live count follows', async () => {
    const all = await page.locator('article.finding').count();
    const errors = await page.locator('article.finding[data-severity="error"]').count();
    await page.locator('input[data-sev="warning"]').uncheck();
    await page.locator('input[data-sev="info"]').uncheck();
    expect(await page.locator('article.finding:visible').count()).toBe(errors);
    expect(await page.locator('#shown').textContent()).toContain(`Showing ${errors} of ${all}`);
    await page.locator('input[data-sev="warning"]').check();
    await page.locator('input[data-sev="info"]').check();
    await page.locator('#filters select').selectOption('restated-figure');
    const restated = await page.locator('article.finding:visible').count();
    expect(restated).toBeGreaterThan(0);
    expect(await page.locator('article.finding:visible:not([data-check="restated-figure"])').count()).toBe(0);
    await page.locator('#filters select').selectOption('');
    await page.locator('#filters input[type=search]').fill('99,467');
    const hits = await page.locator('article.finding:visible').count();
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(all);
    await page.locator('#filters input[type=search]').fill('');
    expect(await page.locator('article.finding:visible').count()).toBe(all);
  });

  it('links every locator to a file that exists, and every in-page link to an element of the page', async () => {
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.protocol === 'file:') {
        const path = fileURLToPath(url);
        if (path === reportPath) {
          if (url.hash) expect(await page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`).count(), href).toBe(1);
        } else expect(existsSync(path), href).toBe(true);
      } else expect(['http:', 'https:'].includes(url.protocol) ? 'external' : url.protocol, href).not.toBe('external');
    }
  });

  it('renders its charts: every inline SVG has a size and a text alternative', async () => {
    const svgs = page.locator('svg');
    const n = await svgs.count();
    for (let i = 0; i < n; i++) {
      const svg = svgs.nth(i);
      const box = await svg.boundingBox();
      if (!(await svg.isVisible())) continue;
      expect(box && box.width > 0 && box.height > 0).toBe(true);
      const named = await svg.evaluate((el) => el.getAttribute('aria-label') ?? el.querySelector('title')?.textContent ?? el.getAttribute('aria-labelledby'));
      expect(named, `svg ${i} has a text alternative`).toBeTruthy();
    }
  });

  it('passes an automated accessibility check (axe-core): no serious or critical violation', async () => {
    const axe = await readFile(join(import.meta.dirname, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    await page.addScriptTag({ content: axe });
    const result = (await page.evaluate(async () => {
      const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } };
      return w.axe.run(document, { resultTypes: ['violations'] });
    })) as { violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> };
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
    expect(serious).toEqual([]);
  });
});

/**
 * Screenshots of a fixture report (checks/fixtures/merge/editions: one table printed in an article and its
 * appendix, one merged finding) kept as golden images in test/reference/screenshots/. A screenshot may differ
 * from its golden in at most 0.5% of its pixels (anti-aliasing); a missing golden, or UPDATE_SCREENSHOTS=1,
 * writes it. Only what is the same on every run is shot: the top 640 pixels of a finding card and of the checks
 * table, not the run block.
 */
const SCREENSHOTS = join(import.meta.dirname, 'reference', 'screenshots');
const FIXTURE = join(import.meta.dirname, '..', 'checks', 'fixtures', 'merge', 'editions');
const MAX_DIFFERENT = 0.005;

describe.skipIf(!executable && !inCi)('report.html screenshots against golden images', () => {
  let fixtureWarehouse = '';
  let shotBrowser: Browser;
  let shotPage: Page;

  beforeAll(async () => {
    fixtureWarehouse = await tempDir('screens');
    const result = await runNightly({ rawDir: FIXTURE, warehouseDir: fixtureWarehouse, failOn: 'never', log: sink().log, clock: () => new Date('2026-01-01T02:00:00Z') });
    expect(result.run.findings).toBeGreaterThan(0);
    shotBrowser = await chromium.launch({ executablePath: executable!, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
    shotPage = await shotBrowser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    await shotPage.goto(pathToFileURL(join(fixtureWarehouse, 'reports', 'latest', 'report.html')).href);
  }, 300_000);

  afterAll(async () => {
    await shotBrowser?.close();
    if (fixtureWarehouse) await rm(fixtureWarehouse, { recursive: true, force: true });
  });

  for (const [name, selector] of [
    ['finding-card', 'article.finding >> nth=0'],
    ['checks-table', 'table.checks >> nth=0'],
  ] as const) {
    it(`${name} looks as it did (within ${MAX_DIFFERENT * 100}% of pixels)`, async () => {
      const target = shotPage.locator(selector);
      expect(await target.count(), `${selector} is on the page`).toBeGreaterThan(0);
      // the sticky filter bar would be drawn over the element as it is scrolled into view; the top of it is enough
      await shotPage.addStyleTag({ content: '#filters{display:none!important}' });
      const shot = topOf(PNG.sync.read(await target.first().screenshot({ animations: 'disabled' })), 640);
      const goldenPath = join(SCREENSHOTS, `${name}.png`);
      if (!existsSync(goldenPath) || process.env['UPDATE_SCREENSHOTS'] === '1') {
        await mkdir(SCREENSHOTS, { recursive: true });
        await writeFile(goldenPath, PNG.sync.write(shot));
        return;
      }
      const golden = PNG.sync.read(await readFile(goldenPath));
      expect([shot.width, shot.height], 'the same size as the golden image').toEqual([golden.width, golden.height]);
      const different = pixelmatch(shot.data, golden.data, undefined, shot.width, shot.height, { threshold: 0.1 });
      expect(different / (shot.width * shot.height)).toBeLessThanOrEqual(MAX_DIFFERENT);
    });
  }
});

/** The top `height` rows of an image (all of it when shorter). */
function topOf(image: PNG, height: number): PNG {
  if (image.height <= height) return image;
  const out = new PNG({ width: image.width, height });
  image.data.copy(out.data, 0, 0, image.width * height * 4);
  return out;
}

