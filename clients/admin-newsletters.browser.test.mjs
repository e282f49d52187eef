// Sending a story as a newsletter in a real browser (Debian's Chromium through playwright-core):
// the owner writes a story, opens Publish, chooses the VIP segment of the newsletter, sees how
// many subscribers that reaches, sends a test copy, publishes and sends, and watches the
// progress reach 100 % (screenshots admin-send-1280.png and admin-send-390.png).
// scripts/browser-tests starts Dateline on a site of its own (an owner made by `dateline setup`,
// 40 members imported from a CSV, every fourth a VIP) mailing to an aiosmtpd sink, and passes
// DATELINE_NEWSLETTERS_URL, DATELINE_SCREENSHOTS, DATELINE_OWNER_EMAIL,
// DATELINE_OWNER_PASSWORD and DATELINE_MAIL_DIR (the folder the sink writes each message to).
// The tests run in order and share the site.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {readdirSync, readFileSync} from 'node:fs';
import {DESKTOP, OWNER, PHONE, SHOTS, launchBrowser, noHorizontalOverflow, pageIn, signIn} from './browser-support.mjs';

const SITE = process.env.DATELINE_NEWSLETTERS_URL;
const MAIL = process.env.DATELINE_MAIL_DIR;
const TITLE = 'Parliament approves the water budget';

let browser;
let page;
before(async () => {
    browser = await launchBrowser();
    page = await pageIn(await browser.newContext({viewport: DESKTOP}));
});
after(async () => browser?.close());

/** The messages the sink has received, as it wrote them. */
const received = () => readdirSync(MAIL).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${MAIL}/${f}`, 'utf8')));

test('the owner writes a story and sees the send choices in the Publish dialog', async () => {
    await signIn(page, SITE, OWNER);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.fill('#title', TITLE);
    await page.fill('#body', 'The vote was close, and the dams get their repairs this year.');
    await page.waitForFunction(() => /^Saved/.test(document.getElementById('save-state').textContent));

    await page.getByRole('button', {name: 'Publish…'}).click();
    const dialog = page.locator('#confirm');
    assert.ok(await dialog.locator('#confirm-send').isVisible());
    await page.waitForFunction(() => /^Send to 40 subscribers of Daily Briefing/.test(document.getElementById('send-count').textContent));
    assert.equal(await page.locator('#confirm-ok').textContent(), 'Publish and send');

    // Choosing the VIP segment recounts; Publish only hides the email choices.
    await page.selectOption('#send-segment', 'label:vip');
    await page.waitForFunction(() => /^Send to 10 members labelled vip of Daily Briefing/.test(document.getElementById('send-count').textContent));
    await page.getByLabel('Publish only').check();
    assert.equal(await page.locator('#confirm-ok').textContent(), 'Publish');
    assert.ok(!(await page.locator('.send-target').isVisible()));
    await page.getByLabel('Publish and send').check();
    assert.ok(await page.locator('.send-target').isVisible());
    await page.screenshot({path: `${SHOTS}/admin-send-dialog-1280.png`});
});

test('a test copy goes to one address, and the server says so in place', async () => {
    await page.fill('#send-test-to', 'desk-test@example.com');
    await page.click('#send-test');
    await page.waitForFunction(() => /Test email sent/.test(document.getElementById('send-test-result').textContent));
    const tests = received().filter((m) => m.rcpt_to.includes('desk-test@example.com'));
    assert.equal(tests.length, 1);
    assert.equal(tests[0].headers.Subject ?? tests[0].headers.subject, `[Test] ${TITLE}`);
});

test('publish and send: the progress reaches 100 % and each VIP gets one copy', async () => {
    await page.click('#confirm-ok');
    await page.waitForSelector('.send-progress');
    assert.match(await page.locator('.send-progress h2').textContent(), /members labelled vip of Daily Briefing/);
    await page.waitForFunction(() => document.querySelector('.send-progress [data-field="percent"]').textContent === '100', null, {timeout: 30000});
    assert.equal(await page.locator('.send-progress [data-field="sent"]').textContent(), '10');
    assert.equal(await page.locator('.send-progress [data-field="status-text"]').textContent(), 'Sent');
    assert.equal(await page.locator('.send-cancel').count(), 0, 'no Cancel once sent');
    const issue = received().filter((m) => (m.headers.Subject ?? m.headers.subject) === TITLE);
    const to = issue.flatMap((m) => m.rcpt_to).sort();
    assert.equal(to.length, 10);
    assert.equal(new Set(to).size, 10, 'nobody got two');
    await page.screenshot({path: `${SHOTS}/admin-send-1280.png`, fullPage: false});
    assert.deepEqual(page.problems, []);
});

test('the send page and the list work at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.locator('.send-progress a[data-field="refresh"]').click();
    await page.waitForURL(/\/admin\/emails\/[0-9a-f]{24}\/$/);
    assert.equal(await page.locator('[data-field="sent"]').textContent(), '10');
    await noHorizontalOverflow(page);
    await page.screenshot({path: `${SHOTS}/admin-send-390.png`, fullPage: true});
    await page.goto(`${SITE}/admin/emails/`);
    assert.ok(await page.getByRole('link', {name: TITLE}).isVisible());
    await noHorizontalOverflow(page);
    assert.deepEqual(page.problems, []);
});
