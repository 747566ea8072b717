// Opens each chapter of an unpacked EPUB in headless Chromium at a phone's width
// (390 x 844 CSS px), in a light and a dark reading mode, takes a full-page
// screenshot of each and measures what a reader would see:
//   - page_overflow: the page is wider than the screen (content cut off at the right);
//   - tables: each table region's scrollWidth/clientWidth, whether it can scroll, is
//     focusable and named, and whether the "scroll sideways" hint is visible;
//   - charts: each chart image's rendered width and the CSS px size of its text.
// Usage: node phone.js UNPACKED_DIR SCREENSHOT_DIR  (prints one JSON report)
// Needs puppeteer (from the Ace CLI install) and PUPPETEER_EXECUTABLE_PATH.
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer');

async function main() {
  const [dir, shots] = process.argv.slice(2);
  const oebps = path.join(dir, 'OEBPS');
  const files = fs.readdirSync(oebps).filter((f) => /^ch\d+\.xhtml$/.test(f)).sort();
  fs.mkdirSync(shots, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const report = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      for (const file of files) {
        await page.goto('file://' + path.join(oebps, file), { waitUntil: 'load' });
        if (scheme === 'dark') {
          // What a reading system's night mode does: its own ground and text colour.
          await page.addStyleTag({ content: 'html, body { background: #121212 !important; color: #e8eaed !important; }' });
        }
        await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
        const m = await page.evaluate(() => {
          const root = document.documentElement;
          const tables = [...document.querySelectorAll('.table-wrap')].map((w) => {
            const hint = w.querySelector('.scroll-hint');
            return {
              name: w.getAttribute('aria-label'),
              role: w.getAttribute('role'),
              tabindex: w.getAttribute('tabindex'),
              overflow: getComputedStyle(w).overflowX,
              scrollWidth: w.scrollWidth,
              clientWidth: w.clientWidth,
              hint: hint ? hint.offsetHeight > 0 : false,
            };
          });
          const charts = [...document.querySelectorAll('img.chart')].map((img) => ({
            src: img.getAttribute('src'),
            width: img.getBoundingClientRect().width,
            naturalWidth: img.naturalWidth,
          }));
          return {
            page_overflow: root.scrollWidth > root.clientWidth,
            scrollWidth: root.scrollWidth,
            clientWidth: root.clientWidth,
            tables,
            charts,
          };
        });
        const shot = path.join(shots, file.replace('.xhtml', `-${scheme}.png`));
        await page.screenshot({ path: shot, fullPage: true });
        report.push({ file, scheme, shot, ...m });
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
