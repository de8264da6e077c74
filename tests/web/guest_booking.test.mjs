// A guest books through the pages: from a hotel's offers to signing up on the way, confirming,
// seeing the booking in "My bookings", then cancelling it with the fee shown before confirming.
// A reload keeps the session (the refresh cookie), and the front desk is not for guests.
import { base, check, isoDay, run, shot, withPage } from './browser.mjs';

await run('a guest books, sees the booking, cancels it and sees the fee', () => withPage(async (page) => {
  // Tomorrow, inside the flexible plan's 48 h: cancelling will cost the first night.
  await page.goto(`${base}/#/search?city=Lisbon&check_in=${isoDay(1)}&check_out=${isoDay(3)}&guests=2`);
  await page.locator('li.hotel', { hasText: 'Casa do Tejo' })
    .getByRole('link', { name: 'Casa do Tejo' }).click();
  await page.getByRole('link', { name: 'Book Standard Double, Flexible' }).click();

  // Not signed in: the sign-in page, where a new guest creates an account.
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const email = `guest-${Date.now()}@example.com`;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByLabel('Your name (new account)').fill('Ana Guest');
  await page.getByRole('button', { name: 'Create an account' }).click();

  await page.getByRole('heading', { name: 'Confirm your booking' }).waitFor();
  const total = await page.locator('.card .price').textContent();
  await shot(page, 'guest-confirm');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.locator('.status', { hasText: 'Confirmed' }).waitFor();
  check((await page.locator('.card .price').textContent()) === total,
    `the booking costs what was offered (${total})`);

  // A reload keeps the session: the refresh token is in an HttpOnly cookie, the access token
  // only in memory.
  await page.reload();
  await page.locator('.status', { hasText: 'Confirmed' }).waitFor();
  const stored = await page.evaluate(() => JSON.stringify(localStorage) + document.cookie);
  check(!stored.includes('eyJ') && !stored.includes('hotel_refresh'),
    'no token is readable by scripts or kept in localStorage');

  await page.getByRole('link', { name: 'My bookings' }).click();
  const item = page.locator('li.booking', { hasText: isoDay(1) });
  await item.waitFor();
  check((await item.textContent()).includes('Confirmed'), 'My bookings lists it as confirmed');
  await item.getByRole('link').click();

  // New dates: the new price is shown before the change is confirmed.
  await page.getByLabel('New check-out').fill(isoDay(4));
  await page.getByRole('button', { name: 'See the new price' }).click();
  const newPrice = await page.locator('.new-price').textContent();
  check(/The new dates cost .*\d/.test(newPrice), `the new price is shown first (${newPrice})`);
  const quoted = newPrice.match(/cost (.*) \(now/)[1];
  await page.getByRole('button', { name: 'Confirm the change' }).click();
  await page.waitForFunction((text) =>
    document.querySelector('.card .price')?.textContent === text, quoted);
  check((await page.locator('main').textContent()).includes(`${isoDay(1)} → ${isoDay(4)}`),
    'the booking has its new dates');

  await page.getByRole('button', { name: 'Cancel booking' }).click();
  const warning = page.locator('.confirm-fee');
  await warning.waitFor();
  const said = await warning.textContent();
  check(/Cancelling now costs .*\d/.test(said || ''), `the fee is shown before confirming (${said})`);
  await shot(page, 'guest-cancel');
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await page.locator('.status', { hasText: 'Cancelled' }).waitFor();
  const shown = (said || '').replace(/^Cancelling now costs /, '').replace(/\.$/, '');
  const fee = await page.locator('.fee').textContent();
  check(fee === `Cancellation fee charged: ${shown}`,
    `the fee charged is the one shown (${fee} / ${said})`);
}));

await run('a guest who is not signed in is sent to sign in from My bookings', () => withPage(async (page) => {
  await page.goto(`${base}/#/bookings`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('wrong password 123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.problem').waitFor();
}));
