// What every browser test under clients/ does the same way: start Debian's Chromium, open pages
// that record script errors, sign in to the admin, and check a page fits its viewport. Kept here
// so a change to how the browser is started (a flag, another binary) is made once.
// Not a test file itself: `node --test` picks up only the `*.test.mjs` files.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {chromium} from 'playwright-core';

/** Where the screenshots go (scripts/browser-tests passes target/screenshots). */
export const SHOTS = process.env.DATELINE_SCREENSHOTS;
export const DESKTOP = {width: 1280, height: 900};
export const PHONE = {width: 390, height: 844};

/** The site's owner that scripts/browser-tests made with `dateline setup`. */
export const OWNER = {email: process.env.DATELINE_OWNER_EMAIL, password: process.env.DATELINE_OWNER_PASSWORD};

/** Starts Chromium (`CHROMIUM` overrides Debian's path) without the background traffic a
 *  first run makes, so nothing leaves the machine, and makes the screenshot folder. */
export async function launchBrowser() {
    mkdirSync(SHOTS, {recursive: true});
    return chromium.launch({
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync']
    });
}

/** A page that records script errors in `page.problems`, so a broken script cannot pass quietly. */
export async function pageIn(context) {
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    return page;
}

/** Signs `who` in through the admin's sign-in form on `site` and waits for the stories list. */
export async function signIn(page, site, who) {
    await page.goto(`${site}/admin/login/`);
    await page.fill('input[name=email]', who.email);
    await page.fill('input[name=password]', who.password);
    await page.click('button[type=submit]');
    await page.waitForURL('**/admin/posts/');
}

/** The page scrolls only vertically; a failure names the first elements that stick out. */
export async function noHorizontalOverflow(page) {
    const [scroll, viewport, culprits] = await page.evaluate(() => {
        const width = window.innerWidth;
        const wide = [...document.querySelectorAll('body *')]
            .filter((e) => { const r = e.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; })
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
        return [document.documentElement.scrollWidth, width, wide];
    });
    assert.ok(scroll <= viewport, `page is ${scroll}px wide in a ${viewport}px viewport; too wide: ${culprits.join(', ')}`);
}
