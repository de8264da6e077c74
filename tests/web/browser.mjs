// What every browser test shares: Debian's chromium, headless, through playwright-core; a
// bounded wait; a check that fails the test with a message; screenshots by name.
import { chromium } from 'playwright-core';

export const base = process.argv[2];
export const screenshots = process.argv[3];

// `viewport` defaults to a laptop's; the tablet test passes 768 × 1024.
export async function withPage(fn, viewport = { width: 1280, height: 800 }) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    // A script error or a Content-Security-Policy violation fails the test.
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The browser logs every 4xx as an error: the API's are answers the app shows; any other
    // (a missing file of the app) is a failure.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        problems.push(`console error: ${m.text()}`);
      }
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/v1/')) {
        problems.push(`${r.status()} for ${r.url()}`);
      }
    });
    await fn(page);
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await browser.close();
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// A date counted from today in Lisbon, where the hotels of the tests are (the hotel's today,
// which is not UTC's for an hour around midnight in summer).
export function isoDay(daysFromToday) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + daysFromToday);
  return d.toISOString().slice(0, 10);
}

export async function shot(page, name) {
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

export async function run(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.error(`FAIL ${name}: ${e.stack || e}`);
    process.exitCode = 1;
  }
}

// The demo's Lisbon hotel with its STD room type and FLEX plan, read through `api` (adminApi).
export async function demoLisbon(api) {
  const hotel = (await api('GET', '/v1/hotels?city=Lisbon')).body.items
    .find((h) => h.name === 'Casa do Tejo');
  const std = (await api('GET', `/v1/hotels/${hotel.id}/room-types`)).body.items
    .find((t) => t.code === 'STD');
  const flex = (await api('GET', `/v1/hotels/${hotel.id}/rate-plans`)).body.items
    .find((p) => p.code === 'FLEX');
  return { hotel, std, flex };
}

// The API as the demo admin, for a test's set-up (the flows themselves go through the pages).
export async function adminApi() {
  const login = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: 'web-tests-admin-123' }),
  });
  const { access_token: token } = await login.json();
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

export async function signIn(page, email, password) {
  await page.goto(`${base}/#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name: 'My bookings' }).waitFor();
}
