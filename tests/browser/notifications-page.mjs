// Opens the live-notifications page in headless chromium, says when its stream is connected, then prints the first
// event the page shows. Usage: node notifications-page.mjs <page url>
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'connected', null, { timeout: 60000 });
  console.log('CONNECTED');
  const item = await page.waitForSelector('#events li', { timeout: 60000 });
  console.log('EVENT ' + JSON.stringify({ id: await item.getAttribute('data-event-id'), text: await item.textContent() }));
} finally {
  await browser.close();
}
