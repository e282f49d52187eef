// The members pages in a real browser (Debian's Chromium through playwright-core), as an
// administrator uses them: add a member, find them by search, give them a label, and the list
// at desktop and phone widths (screenshots admin-members-1280.png and admin-members-390.png).
// scripts/browser-tests starts Dateline on a site of its own (an owner made by `dateline setup`
// and 130 members imported from a CSV) and passes DATELINE_MEMBERS_URL, DATELINE_SCREENSHOTS,
// DATELINE_OWNER_EMAIL and DATELINE_OWNER_PASSWORD. The tests run in order and share the site.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {DESKTOP, OWNER, PHONE, SHOTS, launchBrowser, noHorizontalOverflow, pageIn, signIn} from './browser-support.mjs';

const SITE = process.env.DATELINE_MEMBERS_URL;

let browser;
let page;
before(async () => {
    browser = await launchBrowser();
    page = await pageIn(await browser.newContext({viewport: DESKTOP}));
});
after(async () => browser?.close());

test('the owner signs in and finds Members in the navigation', async () => {
    await signIn(page, SITE, OWNER);
    await page.getByRole('link', {name: 'Members', exact: true}).click();
    await page.waitForURL('**/admin/members/');
    assert.match(await page.locator('h1').textContent(), /130 members/);
    assert.equal(await page.locator('li.member').count(), 50);
});

test('adding a member, with the keyboard, and a duplicate refused in place', async () => {
    await page.getByRole('link', {name: 'New member'}).click();
    await page.waitForURL('**/admin/members/new/');
    await page.getByLabel('Name', {exact: true}).fill('Dilan Rashid');
    await page.getByLabel('Email').fill('dilan.rashid@example.org');
    await page.getByLabel('New labels').fill('Press');
    await page.getByLabel('New labels').press('Enter');
    await page.waitForURL(/\/admin\/members\/[0-9a-f]{24}\/\?saved=1$/);
    assert.ok(await page.getByText('Saved.').isVisible());

    await page.goto(`${SITE}/admin/members/new/`);
    await page.getByLabel('Email').fill('DILAN.RASHID@example.org');
    await page.getByRole('button', {name: 'Add member'}).click();
    const alert = page.getByRole('alert');
    assert.match(await alert.textContent(), /dilan\.rashid@example\.org is already a member/);
    await alert.getByRole('link', {name: 'Open their page'}).click();
    await page.waitForURL(/\/admin\/members\/[0-9a-f]{24}\/$/);
    assert.equal(await page.getByLabel('Email').inputValue(), 'dilan.rashid@example.org');
});

test('search finds the member, and a label is changed from their page', async () => {
    await page.goto(`${SITE}/admin/members/`);
    await page.getByRole('searchbox').fill('rashid');
    await page.getByRole('button', {name: 'Show'}).click();
    await page.waitForURL(/q=rashid/);
    assert.match(await page.locator('h1').textContent(), /1 of 131 members/);
    await page.getByRole('link', {name: 'Dilan Rashid'}).click();
    await page.getByLabel('Press').uncheck();
    await page.getByLabel('VIP').check();
    await page.getByRole('button', {name: 'Save'}).click();
    await page.waitForURL(/\?saved=1$/);
    assert.equal(await page.getByLabel('VIP').isChecked(), true);
    assert.equal(await page.getByLabel('Press').isChecked(), false);

    await page.goto(`${SITE}/admin/members/?label=vip&q=rashid`);
    const row = page.locator('li.member');
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /VIP/);
    assert.doesNotMatch(await row.textContent(), /Press/);
});

test('the list at 1280 and 390 pixels', async () => {
    await page.goto(`${SITE}/admin/members/?label=vip`);
    assert.match(await page.locator('h1').textContent(), /of 131 members/);
    await noHorizontalOverflow(page);
    await page.screenshot({path: `${SHOTS}/admin-members-1280.png`});

    await page.setViewportSize(PHONE);
    await page.goto(`${SITE}/admin/members/`);
    await noHorizontalOverflow(page);
    await page.screenshot({path: `${SHOTS}/admin-members-390.png`});
    // The pager stays usable on a phone: page 2 is one tap away.
    await page.getByRole('link', {name: 'Page 2'}).click();
    await page.waitForURL(/page=2/);
    assert.equal(await page.locator('li.member').count(), 50);
    assert.deepEqual(page.problems, []);
});
