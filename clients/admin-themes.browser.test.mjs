// The themes page in a real browser (Debian's Chromium through playwright-core), as an
// administrator uses it: upload a theme's zip (with the progress bar), see what the check
// found, activate it after confirming, and the public site in the new theme; a broken theme is
// refused with its file and line. Screenshots admin-themes-1280.png and admin-themes-390.png.
// scripts/browser-tests starts Dateline on a site of its own (an owner made by `dateline
// setup`) and passes DATELINE_THEMES_URL, DATELINE_SCREENSHOTS, DATELINE_OWNER_EMAIL,
// DATELINE_OWNER_PASSWORD, DATELINE_THEME_ZIP (Casper) and DATELINE_BROKEN_ZIP. The tests run in
// order and share the site.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {DESKTOP, OWNER, PHONE, SHOTS, launchBrowser, noHorizontalOverflow, pageIn, signIn} from './browser-support.mjs';

const SITE = process.env.DATELINE_THEMES_URL;

let browser;
let page;
before(async () => {
    browser = await launchBrowser();
    page = await pageIn(await browser.newContext({viewport: DESKTOP}));
});
after(async () => browser?.close());

test('the owner signs in and finds Themes in the navigation', async () => {
    await signIn(page, SITE, OWNER);
    await page.getByRole('link', {name: 'Themes', exact: true}).click();
    await page.waitForURL('**/admin/themes/');
    assert.ok(await page.getByText('Dateline (built in)').isVisible());
});

test('a broken theme is refused with its file and line, in place', async () => {
    await page.getByLabel('Theme file').setInputFiles(process.env.DATELINE_BROKEN_ZIP);
    await page.getByRole('button', {name: 'Upload'}).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /was not installed/);
    assert.match(await alert.textContent(), /index\.hbs, line 3/);
    // The script put the answer in place: the address is still the list's.
    assert.match(page.url(), /\/admin\/themes\/$/);
});

test('uploading Casper shows progress, then the theme, and activating it asks first', async () => {
    await page.getByLabel('Theme file').setInputFiles(process.env.DATELINE_THEME_ZIP);
    const progress = page.locator('.upload-progress');
    await page.getByRole('button', {name: 'Upload'}).click();
    assert.ok(await progress.isVisible() || await page.getByText('Installed the theme “casper”').isVisible());
    await page.getByText('Installed the theme “casper”').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'theme-outcome',
        'the outcome gets the focus, so a screen reader reads it');
    assert.ok(await page.getByText(/version 5\./).isVisible());
    await page.screenshot({path: `${SHOTS}/admin-themes-1280.png`, fullPage: true});
    await noHorizontalOverflow(page);

    await page.locator('.theme-row', {hasText: 'casper'}).getByRole('link', {name: 'Activate'}).click();
    await page.waitForURL('**/admin/themes/casper/activate/');
    assert.match(await page.locator('h1').textContent(), /Make “casper” the site’s theme\?/);
    await page.getByRole('button', {name: 'Activate theme'}).click();
    await page.waitForURL(/\/admin\/themes\/\?activated=casper$/);
    assert.ok(await page.getByText('“casper” is now the site\'s theme.').isVisible());
    const active = page.locator('.theme-row', {hasText: 'casper'});
    assert.ok(await active.getByText('Active').isVisible());
    assert.equal(await active.getByRole('link', {name: 'Delete'}).count(), 0, 'the active theme cannot be deleted');

    const home = await (await fetch(`${SITE}/`)).text();
    assert.match(home, /\/assets\/built\/screen\.css/, 'the public site renders with Casper');
});

test('the themes page at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${SITE}/admin/themes/`);
    await noHorizontalOverflow(page);
    await page.screenshot({path: `${SHOTS}/admin-themes-390.png`, fullPage: true});
    assert.deepEqual(page.problems, []);
});
