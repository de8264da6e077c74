// Users through the admin's pages: an admin creates a staff user for a hotel, who can then sign
// in and sees that hotel's front desk; bad input gets the server's message beside its field;
// a user's role and hotels change in a dialog that Escape closes; the list filters by role and
// email and comes a page at a time.
import { adminApi, base, check, demoLisbon, run, shot, signIn, withPage } from './browser.mjs';

const api = await adminApi();
const { hotel: lisbon } = await demoLisbon(api);
const stamp = Date.now();

// The message of the control labelled `label` (the element its aria-describedby names).
async function messageOf(page, label) {
  const id = await page.getByLabel(label, { exact: true }).first().getAttribute('aria-describedby');
  return (await page.locator(`[id="${id}"]`).textContent()).trim();
}

async function openUsers(page) {
  await signIn(page, 'admin@example.com', 'web-tests-admin-123');
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
}

await run('an admin creates a staff user who signs in and sees the front desk',
  () => withPage(async (page) => {
    const email = `desk-${stamp}@example.com`;
    await openUsers(page);
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Email', { exact: true }).fill(email);
    await form.getByLabel('Name', { exact: true }).fill('Dora Desk');
    await form.getByLabel('Password (10 characters or more)').fill('desk password 123');
    await form.getByLabel('Role', { exact: true }).selectOption('staff');
    await form.getByLabel('Casa do Tejo', { exact: true }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.locator('.users-status', { hasText: `Created ${email}.` }).waitFor();
    const row = page.locator('tr', { hasText: email });
    check((await row.textContent()).includes('Casa do Tejo'), 'the list shows the hotel');
    await shot(page, 'admin-users');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await signIn(page, email, 'desk password 123');
    check(await page.getByRole('link', { name: 'Users', exact: true }).count() === 0,
      'staff do not get the users screen');
    const nav = await page.locator('#nav').textContent();
    check(!nav.includes('null'), `the header holds only the staff's links (${nav})`);
    await page.getByRole('link', { name: 'Front desk' }).click();
    await page.getByRole('heading', { name: /^Front desk/ }).waitFor();
    check(await page.getByLabel('Hotel', { exact: true }).inputValue() === lisbon.id,
      'the front desk of the hotel the admin chose');
  }));

await run('bad input gets the server\'s message beside its field', () => withPage(async (page) => {
  await openUsers(page);
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Email', { exact: true }).fill(`short-${stamp}@example.com`);
  await form.getByLabel('Name', { exact: true }).fill('Short Password');
  await form.getByLabel('Password (10 characters or more)').fill('short');
  await form.getByLabel('Role', { exact: true }).selectOption('staff');
  await form.getByRole('button', { name: 'Create user' }).click();
  await page.locator('.problem').waitFor();
  const message = await messageOf(form, 'Password (10 characters or more)');
  check(message === 'must be 10 to 256 characters', `the password's message (${message})`);

  // A taken email: the 409's field error beside the email.
  await form.getByLabel('Email', { exact: true }).fill('admin@example.com');
  await form.getByLabel('Password (10 characters or more)').fill('long enough password');
  await form.getByRole('button', { name: 'Create user' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.field-error')]
    .some((e) => e.textContent.includes('already exists')));
  const taken = await messageOf(form, 'Email');
  check(taken === 'a user with this email already exists', `the email's message (${taken})`);
  check(await messageOf(form, 'Password (10 characters or more)') === '',
    'the earlier message is gone');
}));

await run('a user\'s role and hotels change in a dialog; Escape closes it',
  () => withPage(async (page) => {
    const email = `promote-${stamp}@example.com`;
    const created = await api('POST', '/v1/users', { email, password: 'long enough password',
      name: 'Pat Promoted', role: 'guest' });
    check(created.status === 201, `user created (${created.status})`);
    await openUsers(page);
    await page.getByLabel('Email starts with').fill(`promote-${stamp}`);
    await page.getByLabel('Email starts with').press('Enter');
    // The filter leaves one user.
    await page.waitForFunction((e) => location.hash.includes('email=') &&
      document.querySelectorAll('tbody tr').length === 1 &&
      document.querySelector('tbody tr').textContent.includes(e), email);

    // Escape closes the dialog without a change.
    await page.getByRole('button', { name: `Change ${email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    check(await page.evaluate(() => document.activeElement.getAttribute('aria-label')) ===
      `Change ${email}`, 'focus goes back to the button that opened it');

    // A guest becomes a manager of a hotel.
    await page.getByRole('button', { name: `Change ${email}` }).click();
    await dialog.getByLabel('Casa do Tejo', { exact: true }).check();
    await dialog.getByLabel('Role', { exact: true }).selectOption('manager');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.users-status', { hasText: `Saved ${email}.` }).waitFor();
    const after = (await api('GET', `/v1/users?email=${encodeURIComponent(email)}`)).body.items[0];
    check(after.role === 'manager' && after.hotel_ids.includes(lisbon.id),
      `the API shows the change (${JSON.stringify(after)})`);
    check((await page.locator('tr', { hasText: email }).textContent()).includes('Manager'),
      'the list shows the new role');

    // Role filter through the form.
    await page.getByLabel('Email starts with').fill('');
    await page.getByLabel('Role', { exact: true }).first().selectOption('admin');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The admins, and the new manager not among them.
    await page.waitForFunction((e) => {
      const rows = [...document.querySelectorAll('tbody tr')].map((r) => r.textContent);
      return location.hash.includes('role=admin') && !location.hash.includes('email=') &&
        rows.some((r) => r.includes('admin@example.com')) && !rows.some((r) => r.includes(e));
    }, email);
  }));

await run('more users come a page at a time', () => withPage(async (page) => {
  // 51 users under one prefix: a page of 50, then one more.
  const prefix = `many-${stamp}-`;
  for (let batch = 0; batch < 51; batch += 6) {
    const numbers = [...Array(Math.min(6, 51 - batch)).keys()].map((i) => batch + i);
    const made = await Promise.all(numbers.map((n) => api('POST', '/v1/users', {
      email: `${prefix}${String(n).padStart(2, '0')}@example.com`,
      password: 'long enough password', name: 'Many', role: 'guest' })));
    check(made.every((r) => r.status === 201), 'users created');
  }
  await openUsers(page);
  await page.getByLabel('Email starts with').fill(prefix);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForFunction(() => location.hash.includes('email=') &&
    document.querySelectorAll('tbody tr').length === 50);
  await page.getByRole('button', { name: 'More users' }).click();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 51);
  const emails = await page.locator('tbody tr td:first-child').allTextContents();
  check(new Set(emails).size === 51 && emails[50] === `${prefix}50@example.com`,
    'every user once, in email order');
  check(await page.getByRole('button', { name: 'More users' }).isHidden(), 'no more after that');
}));
