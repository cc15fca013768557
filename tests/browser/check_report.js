// Opens a genrelab HTML report in headless Chromium from a file:// URL and
// fails unless every chart drew marks, nothing was logged as an error and no
// request left the file system. Saves a full-page PNG screenshot.
//   node tests/browser/check_report.js REPORT.html SCREENSHOT.png
// Chromium is Debian's (/usr/bin/chromium, or $GENRELAB_CHROMIUM); playwright-core
// only drives it over the DevTools protocol and never downloads a browser.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [report, screenshot] = process.argv.slice(2);
  if (!report || !screenshot) throw new Error('usage: check_report.js REPORT.html SCREENSHOT.png');
  const executablePath = process.env.GENRELAB_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`${executablePath} not found: install Debian's chromium (scripts/install-deps.sh --browser)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'genrelab-chromium-'));
  const problems = [];
  const warnings = [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      else if (msg.type() === 'warning') warnings.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
    // The report must be self-contained: anything but the file itself is a failure.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      problems.push(`network request: ${url}`);
      return route.abort();
    });
    const url = 'file://' + path.resolve(report);
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => {
      const boxes = [...document.querySelectorAll('div.chart')];
      return boxes.length > 0 && boxes.every((b) => b.dataset.rendered === 'true' || b.classList.contains('chart-error'));
    }, null, { timeout: 90000 });
    const charts = await page.evaluate(() => [...document.querySelectorAll('div.chart')].map((box) => {
      const svg = box.querySelector('svg');
      const canvas = box.querySelector('canvas');
      const title = box.querySelector('.role-title-text');
      return {
        id: box.id,
        rendered: box.dataset.rendered === 'true',
        error: box.classList.contains('chart-error') ? box.textContent : '',
        surface: svg ? 'svg' : (canvas ? 'canvas' : 'none'),
        // Vega puts data marks under role-mark groups; axes and legends have other roles.
        marks: svg ? svg.querySelectorAll('g.role-mark > *').length : (canvas ? canvas.width * canvas.height : 0),
        title: title ? title.textContent : '',
      };
    }));
    for (const c of charts) {
      if (!c.rendered) problems.push(`${c.id}: not rendered ${c.error}`);
      else if (c.surface === 'none') problems.push(`${c.id}: no svg or canvas`);
      else if (c.marks === 0) problems.push(`${c.id} (${c.title}): drew no marks`);
    }
    const sections = await page.evaluate(() => [...document.querySelectorAll('main section h2')].map((h) => h.textContent));
    fs.mkdirSync(path.dirname(path.resolve(screenshot)), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    // One picture per section as well: the full page is too tall to look at.
    const ids = await page.evaluate(() => [...document.querySelectorAll('main section')].map((s) => s.id));
    for (const id of ids) {
      await page.locator(`section#${id}`).screenshot({ path: screenshot.replace(/\.png$/, '') + `-${id}.png` });
    }
    const summary = { report: url, seconds: (Date.now() - started) / 1000, sections, charts: charts.length,
                      marks: charts.map((c) => c.marks), warnings, problems, screenshot };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(`FAILED: ${problems.length} problem(s):\n  ` + problems.join('\n  '));
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(`FAILED: ${err.stack || err}`);
  process.exit(1);
});
