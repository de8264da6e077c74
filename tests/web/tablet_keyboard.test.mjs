// A tablet at the desk and the keyboard: at 768 × 1024 no staff screen makes the page scroll
// sideways (the tape chart scrolls inside its own box); Tab reaches the controls in order, each
// with a visible focus ring; Enter submits a form; Escape closes a dialog and focus returns.
import { adminApi, base, check, run, shot, signIn, withPage } from './browser.mjs';

const api = await adminApi();
const lisbon = (await api('GET', '/v1/hotels?city=Lisbon')).body.items
  .find((h) => h.name === 'Casa do Tejo');

// Waits until the screen has drawn: its heading starts with `title`, and nothing is loading.
async function settled(page, title = '') {
  await page.waitForFunction((start) => {
    const view = document.getElementById('view');
    const h1 = view.querySelector('h1');
    return h1 && h1.textContent.startsWith(start) && !view.textContent.includes('Loading…');
  }, title);
}

// What has the focus: its accessible-ish name and whether a focus ring shows.
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const label = e.labels && e.labels[0] ? e.labels[0].textContent : '';
    return {
      name: (e.getAttribute('aria-label') || label || e.textContent || '').trim(),
      tag: e.tagName.toLowerCase(),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

await run('at 768 px no staff screen scrolls the page sideways', () => withPage(async (page) => {
  await signIn(page, 'admin@example.com', 'web-tests-admin-123');
  const nav = await page.locator('#nav').textContent();
  check(!nav.includes('null'), `the header holds only links (${nav})`);
  const wide = [];
  for (const [screen, title] of [['desk', 'Front desk'], ['chart', 'Tape chart'],
    ['housekeeping', 'Housekeeping'], ['rates', 'Rates'], ['report', 'Occupancy'],
    ['catalogue', 'Catalogue'], ['users', 'Users'], ['bookings', 'My bookings']]) {
    await page.goto(`${base}/#/${screen}?hotel=${lisbon.id}`);
    await settled(page, title);
    // Past the window's right edge: the page's width, and anything in the header or the screen
    // that sticks out of it.
    const over = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const page = document.documentElement.scrollWidth - width;
      const parts = [...document.querySelectorAll('header *, #view > *')]
        .map((e) => e.getBoundingClientRect().right - width);
      return Math.max(page, ...parts);
    });
    if (over > 0.5) wide.push(`${screen} by ${Math.round(over)} px`);
    if (screen === 'chart') await shot(page, 'tape-chart-768');
  }
  check(wide.length === 0, `screens wider than the page: ${wide.join(', ')}`);
}, { width: 768, height: 1024 }));

await run('Tab reaches the controls with a visible focus; Enter submits; Escape closes',
  () => withPage(async (page) => {
    // Sign in with the keyboard only.
    await page.goto(`${base}/#/login`);
    await settled(page);
    const order = [];
    for (let i = 0; i < 8 && !order.includes('Email'); i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      check(f.ring, `a focus ring on ${f.tag} "${f.name}"`);
      order.push(f.name);
    }
    check(order.includes('Email'), `Tab reaches the email (${order.join(' → ')})`);
    await page.keyboard.type('admin@example.com');
    await page.keyboard.press('Tab');
    check((await focused(page)).name === 'Password', 'then the password');
    await page.keyboard.type('web-tests-admin-123');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'My bookings' }).waitFor();

    // The users screen, in the order it reads: the filters, each user's button, the new
    // user's form; every stop shows its focus.
    // (One user listed, whatever other tests have added.)
    await page.goto(`${base}/#/users?email=admin%40example.com`);
    await settled(page);
    // Tab goes on from where one last clicked: the heading.
    await page.getByRole('heading', { name: 'Users', exact: true }).click();
    const stops = [];
    for (let i = 0; i < 40 && !stops.includes('Create user'); i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      check(f.ring, `a focus ring on ${f.tag} "${f.name}"`);
      stops.push(f.name);
    }
    const at = (name) => stops.indexOf(name);
    check(at('Role') === 0 && at('Filter') > at('Role') &&
      at('Change admin@example.com') > at('Filter') && at('Create user') > at('Email'),
    `the tab order follows the screen (${stops.join(' → ')})`);

    // Enter on a focused button opens its dialog; focus moves into it; Escape closes it and
    // gives the focus back.
    await page.getByRole('button', { name: 'Change admin@example.com' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    check(await page.evaluate(() => !!document.activeElement.closest('dialog')),
      'the focus is in the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    check((await focused(page)).name === 'Change admin@example.com', 'focus is back');

    // Enter in a filter field applies the filter.
    await page.getByLabel('Email starts with').fill('');
    await page.getByLabel('Email starts with').focus();
    await page.keyboard.type('desk');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('email=desk'));
  }));
