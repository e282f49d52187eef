// The admin in a real browser (Debian's Chromium through playwright-core), as a new newsroom
// meets it: first-run setup, signing in, writing a story with everything a news story carries,
// a reload in the middle of writing, preview, schedule, publish, and the public page; then what
// must be refused: a contributor publishing, a stale edit, a double click on Publish, password
// guessing.
// scripts/browser-tests starts Dateline on an empty site (one imported contributor, no owner)
// and passes DATELINE_ADMIN_URL, DATELINE_FIXTURE_IMAGE and DATELINE_SCREENSHOTS.
// The tests run in order and share the site.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {PHONE, SHOTS, launchBrowser, noHorizontalOverflow, pageIn, signIn} from './browser-support.mjs';

const SITE = process.env.DATELINE_ADMIN_URL;
const IMAGE = process.env.DATELINE_FIXTURE_IMAGE;
const OWNER = {name: 'Editorial Desk', email: 'desk@example.com', password: 'a long enough password'};
const CONTRIBUTOR = {email: 'thenewregion@example.com', password: 'TheNewRegion!2025pw'};
const DESKTOP = {width: 1280, height: 800};
const STORY = {
    title: 'Dam talks resume in Erbil',
    dateline: 'ERBIL, Kurdistan Region of Iraq',
    standfirst: 'Baghdad and Erbil negotiators met for the first time since spring.',
    section: 'Politics',
    alt: 'Negotiators at the table',
    caption: 'Photo: Dateline / Lana Aziz',
    body: 'Negotiators from Baghdad and Erbil sat down on Monday to discuss the water of the Greater Zab.',
    more: 'Both sides said the talks would continue next week.',
    correction: 'An earlier version of this story misnamed the river.',
};

let browser;
let desk; // the owner's browser context, signed in by the setup page
let storyUrl; // the editor's address of the story
before(async () => {
    browser = await launchBrowser();
});
after(async () => browser?.close());

/** A new page in `context`, signed in as `who`. */
async function signedInPage(context, who) {
    const page = await pageIn(context);
    await signIn(page, SITE, who);
    return page;
}

const savedState = (page) => page.waitForFunction(() => /^Saved/.test(document.getElementById('save-state').textContent));

test('first-run setup creates the owner and signs them in', async () => {
    desk = await browser.newContext({viewport: DESKTOP});
    const page = await pageIn(desk);
    await page.goto(`${SITE}/ghost/`);
    assert.match(page.url(), /\/admin\/setup\/$/, 'Ghost’s admin address leads to setup on an empty site');
    await page.fill('input[name=site_title]', 'The New Region');
    await page.fill('input[name=name]', OWNER.name);
    await page.fill('input[name=email]', OWNER.email);
    await page.fill('input[name=password]', OWNER.password);
    // An impatient double click posts the form once and signs the owner in.
    await page.dblclick('button[type=submit]');
    await page.waitForURL('**/admin/posts/');
    assert.match(await page.locator('.topbar .who').innerText(), /Editorial Desk/);
    // Setup is gone once there is an owner.
    await page.goto(`${SITE}/admin/setup/`);
    assert.match(page.url(), /\/admin\/login\/$/);
    assert.deepEqual(page.problems, []);
});

test('signing out and in again', async () => {
    const page = await pageIn(desk);
    await page.goto(`${SITE}/admin/posts/`);
    await page.click('.signout button');
    await page.waitForURL('**/admin/login/');
    await page.goto(`${SITE}/admin/posts/`);
    assert.match(page.url(), /\/admin\/login\/\?next=/, 'signed out');
    await page.close();
    (await signedInPage(desk, OWNER)).close();
});

test('writing a story: feature image, caption, dateline, section; a reload keeps the text', async () => {
    const page = await pageIn(desk);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.fill('#title', STORY.title);
    await page.fill('input[name=dateline]', STORY.dateline);
    await page.fill('textarea[name=custom_excerpt]', STORY.standfirst);
    await page.fill('input[name=section]', STORY.section);
    await page.setInputFiles('#feature-file', IMAGE);
    await page.locator('#feature-preview[src*="/content/images/"]').waitFor();
    await page.fill('input[name=feature_image_alt]', STORY.alt);
    await page.fill('input[name=feature_image_caption]', STORY.caption);
    await page.fill('#body', STORY.body);
    await page.locator('#body').blur();
    await savedState(page);
    await page.waitForURL(/\/admin\/posts\/[0-9a-f]{24}\/$/);
    storyUrl = page.url();
    await page.waitForFunction(() => /^1[0-9] words$/.test(document.getElementById('word-count').textContent));
    assert.equal(await page.locator('#reading-time').innerText(), '1 min read');

    // Bold with the keyboard, then more text, and a reload before the autosave runs.
    await page.locator('#body').focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\n');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Monday');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n\n${STORY.more}`);
    await page.reload();
    const body = await page.locator('#body').inputValue();
    assert.ok(body.includes(STORY.more), 'the unsaved paragraph came back after the reload');
    assert.ok(body.includes('**Monday**'), 'Ctrl+B made bold Markdown');
    assert.match(await page.locator('#notice').innerText(), /Restored text from this browser/);
    await savedState(page);
    assert.match(await page.frameLocator('#live-preview').locator('body').innerText(), /Both sides said/);

    for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize(viewport);
        await noHorizontalOverflow(page);
        await page.screenshot({path: `${SHOTS}/admin-editor-${viewport.width}.png`, fullPage: viewport === PHONE});
    }
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('preview renders the draft as its page in the theme', async () => {
    const page = await pageIn(desk);
    await page.goto(storyUrl);
    const [preview] = await Promise.all([desk.waitForEvent('page'), page.click('#preview-link')]);
    await preview.waitForLoadState();
    assert.match(preview.url(), /\/preview\/$/);
    assert.equal((await preview.locator('h1').first().innerText()).trim(), STORY.title);
    assert.match(await preview.locator('.dateline').innerText(), /ERBIL/);
    assert.match(await preview.locator('figcaption').first().innerText(), /Lana Aziz/);
    await preview.close();
    await page.close();
});

test('schedule, then publish; the public page shows all of it', async () => {
    const page = await pageIn(desk);
    await page.goto(storyUrl);
    await page.click('[data-action=schedule]');
    assert.ok(await page.locator('#confirm').isVisible(), 'scheduling asks first');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => document.getElementById('status-badge').textContent.trim() === 'Scheduled');
    await page.goto(`${SITE}/admin/posts/?status=scheduled`);
    assert.equal(await page.locator('.story-title').innerText(), STORY.title);
    assert.match(await page.locator('.story-meta').innerText(), /Scheduled for/);

    await page.goto(storyUrl);
    await page.click('[data-action=publish]');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => document.getElementById('status-badge').textContent.trim() === 'Published');
    const href = await page.locator('a', {hasText: 'View published story'}).getAttribute('href');

    // A correction, dated today, added to the published story.
    await page.locator('summary', {hasText: 'Corrections'}).click();
    await page.fill('textarea[name=new_correction]', STORY.correction);
    await page.click('[data-action=update]');
    assert.match(await page.locator('#confirm-text').innerText(), /appear on the site at once/);
    await page.click('#confirm-ok');
    await page.locator('#corrections li').waitFor();
    assert.match(await page.locator('#corrections li').innerText(), new RegExp(STORY.correction));

    const reader = await pageIn(await browser.newContext({viewport: PHONE}));
    const response = await reader.goto(href);
    assert.equal(response.status(), 200);
    assert.equal((await reader.locator('h1').first().innerText()).trim(), STORY.title);
    assert.match(await reader.locator('.dateline').innerText(), /^ERBIL, Kurdistan Region of Iraq/);
    assert.equal((await reader.locator('.standfirst').innerText()).trim(), STORY.standfirst);
    assert.equal((await reader.locator('.section-label a').innerText()).toLowerCase(), 'politics');
    assert.match(await reader.locator('figcaption').first().innerText(), /Photo: Dateline \/ Lana Aziz/);
    const image = reader.locator('figure img').first();
    assert.equal(await image.getAttribute('alt'), STORY.alt);
    assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the feature image loaded');
    const text = await reader.locator('article').first().innerText();
    assert.ok(text.includes('Greater Zab') && text.includes(STORY.more), 'the whole body');
    assert.equal(await reader.locator('strong', {hasText: 'Monday'}).count(), 1);
    assert.match(await reader.locator('.corrections').innerText(), new RegExp(STORY.correction));
    await reader.context().close();
});

test('a stale edit is refused with the conflict message and keeps the text', async () => {
    const page = await pageIn(desk);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.fill('#title', 'Two tabs');
    await page.fill('#body', 'First version.');
    await page.locator('#body').blur();
    await savedState(page);
    const url = page.url();

    // Another tab saves after this one loaded (timestamps are whole seconds).
    await page.waitForTimeout(1100);
    const other = await pageIn(desk);
    await other.goto(url);
    await other.fill('#body', 'The other tab’s version.');
    await other.locator('#body').blur();
    await savedState(other);

    await page.fill('#body', 'This tab’s version.');
    await page.locator('#body').blur();
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await page.locator('#notice').innerText(), /Someone else saved this story/);
    assert.equal(await page.locator('#body').inputValue(), 'This tab’s version.');
    // The other tab shows what the server has, and offers this browser's unsaved copy.
    await other.reload();
    assert.equal(await other.locator('#body').inputValue(), 'The other tab’s version.', 'nothing was overwritten');
    assert.match(await other.locator('#notice').innerText(), /never saved/);
    await other.click('#use-kept');
    assert.equal(await other.locator('#body').inputValue(), 'This tab’s version.', 'the kept text is one click away');
    await page.close();
    await other.close();
});

test('an expired session while typing loses nothing', async () => {
    const context = await browser.newContext({viewport: DESKTOP});
    const page = await signedInPage(context, OWNER);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.fill('#title', 'Session test');
    await page.fill('#body', 'Saved before the session ended.');
    await page.locator('#body').blur();
    await savedState(page);
    await context.clearCookies();
    await page.fill('#body', 'Typed after the session ended.');
    await page.locator('#body').blur();
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await page.locator('#notice').innerText(), /Your session has ended/);
    assert.equal(await page.locator('#body').inputValue(), 'Typed after the session ended.');
    // Signing in again in another tab, then reloading, brings the text back and saves it.
    (await signedInPage(context, OWNER)).close();
    await page.reload();
    assert.equal(await page.locator('#body').inputValue(), 'Typed after the session ended.');
    await savedState(page);
    await page.reload();
    assert.equal(await page.locator('#body').inputValue(), 'Typed after the session ended.', 'saved on the server');
    await context.close();
});

test('the stories list at desktop and phone widths', async () => {
    const page = await pageIn(desk);
    for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize(viewport);
        await page.goto(`${SITE}/admin/posts/`);
        assert.equal(await page.locator('.story').count(), 3);
        await page.fill('input[name=q]', 'dam');
        await page.click('.filters button');
        await page.waitForURL(/q=dam/);
        assert.equal(await page.locator('.story-title').innerText(), STORY.title);
        await page.goto(`${SITE}/admin/posts/`);
        await noHorizontalOverflow(page);
        await page.screenshot({path: `${SHOTS}/admin-stories-${viewport.width}.png`, fullPage: true});
    }
    await page.close();
});

test('a pasted image uploads and becomes an image line; a double click on Publish and on Confirm publishes once', async () => {
    const page = await pageIn(desk);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.fill('#title', 'Impatient publish');
    await page.fill('#body', 'Published by a double click.');
    // A screenshot pasted (the paste event as the browser delivers it, holding image.png).
    await page.locator('#body').evaluate(async (body) => {
        const canvas = document.createElement('canvas');
        canvas.width = 320;
        canvas.height = 200;
        canvas.getContext('2d').fillRect(0, 0, 320, 200);
        const png = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
        const clipboard = new DataTransfer();
        clipboard.items.add(new File([png], 'image.png', {type: 'image/png'}));
        body.setSelectionRange(body.value.length, body.value.length);
        body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: clipboard, bubbles: true, cancelable: true}));
    });
    await page.waitForFunction(() => /\n!\[\]\([^)]*\/content\/images\/[^)]+\.png\)\n/.test(document.getElementById('body').value));
    await page.locator('#body').blur();
    await savedState(page);
    const url = page.url();
    const saves = [];
    page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/admin/api/posts/')) saves.push(r.url()); });
    await page.dblclick('[data-action=publish]');
    await page.locator('#confirm[open]').waitFor();
    await Promise.all([page.waitForNavigation(), page.dblclick('#confirm-ok')]);
    await page.waitForFunction(() => document.getElementById('status-badge').textContent.trim() === 'Published');
    assert.equal(saves.length, 1, 'one publishing save was sent');
    assert.equal(await page.locator('#notice').isVisible(), false, 'no collision with itself');
    // The history has the draft and one publish.
    await page.goto(`${url}history/`);
    assert.deepEqual(await page.locator('.revision .status').allInnerTexts(), ['PUBLISHED', 'DRAFT']);
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('a contributor writes drafts, cannot publish, and submits for review', async () => {
    const context = await browser.newContext({viewport: DESKTOP});
    const page = await signedInPage(context, CONTRIBUTOR);
    await page.goto(`${SITE}/admin/posts/new/`);
    assert.equal(await page.locator('[data-action=publish]').count(), 0, 'no publish button');
    assert.equal(await page.locator('[data-action=schedule]').count(), 0);
    await page.fill('#title', 'A contributor’s draft');
    await page.fill('#body', 'Filed from the field.');
    await page.locator('#body').blur();
    await savedState(page);
    // Asking the server directly is refused too.
    const status = await page.evaluate(async () => {
        const id = location.pathname.split('/')[3];
        const read = await fetch(`/ghost/api/admin/posts/${id}/`);
        const {posts: [post]} = await read.json();
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const res = await fetch(`/admin/api/posts/${id}/`, {
            method: 'PUT',
            headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
            body: JSON.stringify({posts: [{status: 'published', updated_at: post.updated_at}]}),
        });
        return res.status;
    });
    assert.equal(status, 403, 'publishing as a contributor is refused');

    // The review step: the contributor hands the draft over, and the editors' queue shows it.
    await page.reload();
    await page.click('[data-action=review]');
    await page.click('#confirm-ok');
    await page.locator('#in-review').waitFor();
    assert.match(await page.locator('#in-review').innerText(), /Submitted for review by The New Region/);
    await context.close();
    const editor = await pageIn(desk);
    await editor.goto(`${SITE}/admin/review/`);
    assert.equal(await editor.locator('.story-title').innerText(), 'A contributor’s draft');
    await editor.close();
});

test('wrong passwords are rate-limited', async () => {
    const context = await browser.newContext({viewport: PHONE});
    const page = await pageIn(context);
    let last;
    for (let i = 0; i < 6; i++) {
        await page.goto(`${SITE}/admin/login/`);
        await page.fill('input[name=email]', CONTRIBUTOR.email);
        await page.fill('input[name=password]', `wrong guess ${i}`);
        [last] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type=submit]')]);
    }
    assert.equal(last.status(), 429);
    assert.ok(Number(last.headers()['retry-after']) > 0);
    assert.match(await page.locator('.error').innerText(), /Too many sign-in attempts/);
    await context.close();
});
