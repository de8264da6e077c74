// A guest searches a city by dates and guests, sees the hotels with their prices, opens one and
// sees its offers: room types, plans, the nightly breakdown and the cancellation terms in plain
// words. Bad input gets the server's message next to the field.
import { base, check, isoDay, run, shot, withPage } from './browser.mjs';

await run('a guest searches a city and sees a hotel\'s offers', () => withPage(async (page) => {
  const response = await page.goto(`${base}/`);
  check(response.status() === 200, `GET / answered ${response.status()}`);
  await page.getByLabel('City').fill('Lisbon');
  await page.getByLabel('Check-in').fill(isoDay(30));
  await page.getByLabel('Check-out').fill(isoDay(32));
  await page.getByLabel('Guests').fill('2');
  await page.getByRole('button', { name: 'Search' }).click();

  const card = page.locator('li.hotel', { hasText: 'Casa do Tejo' });
  await card.waitFor();
  const price = await card.locator('.price').textContent();
  check(/\d/.test(price || ''), `the hotel shows a price (${price})`);
  await shot(page, 'guest-search');

  await card.getByRole('link', { name: 'Casa do Tejo' }).click();
  await page.getByRole('heading', { name: 'Casa do Tejo' }).waitFor();
  const types = page.locator('section.room-type');
  await types.first().waitFor();
  check(await types.count() >= 1, 'the hotel offers room types');
  const terms = await page.locator('.terms').allTextContents();
  check(terms.some((t) => t.startsWith('Free cancellation until')),
    `a flexible plan says until when it is free (${terms.join(' | ')})`);
  check(terms.some((t) => t.startsWith('Non-refundable')),
    `a non-refundable plan says so (${terms.join(' | ')})`);
  const nightly = await page.locator('.nightly').first().textContent();
  check((nightly || '').includes(isoDay(30)), `the nightly breakdown names the nights (${nightly})`);
  await shot(page, 'guest-offers');
}));

await run('a bad search shows the server\'s message next to the field', () => withPage(async (page) => {
  await page.goto(`${base}/#/search?city=Lisbon&check_in=${isoDay(30)}&check_out=${isoDay(29)}&guests=2`);
  const error = page.locator('#check_out-error');
  await page.locator('.problem').waitFor();
  const text = await error.textContent();
  check((text || '').length > 0, 'the check-out field shows the server\'s message');
}));
