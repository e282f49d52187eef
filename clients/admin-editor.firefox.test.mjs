// The story editor in Firefox (Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core): the journalist's main path, as clients/admin-ui.browser.test.mjs walks it in
// Chromium. Sign in, write a story (headline, Markdown typed and pasted as rich text, standfirst,
// dateline, section), autosave and reload, preview, publish after the confirmation, a stale edit
// from a second tab refused, and the public page. Then what Firefox does its own way: an image
// dropped into the text, the feature image with its alt text and credit, the editor
// and the stories list on a phone; and the ways journalists break editors: a 1 MB paste, and a
// session ended from another tab while typing.
// scripts/browser-tests starts Dateline on a site of its own (its owner made by `dateline setup`)
// and passes DATELINE_FIREFOX_URL, DATELINE_OWNER_EMAIL, DATELINE_OWNER_PASSWORD,
// DATELINE_FIXTURE_IMAGE (a JPEG) and DATELINE_SCREENSHOTS. The tests run in order and share the
// story.
import assert from 'node:assert/strict';
import {mkdirSync, readFileSync} from 'node:fs';
import {after, before, test} from 'node:test';
import puppeteer from 'puppeteer-core';
import {OWNER, PHONE, SHOTS, noHorizontalOverflow} from './browser-support.mjs';

const SITE = process.env.DATELINE_FIREFOX_URL;
const IMAGE = process.env.DATELINE_FIXTURE_IMAGE;
const STORY = {
    title: 'Oil exports resume through Ceyhan',
    dateline: 'ERBIL, Kurdistan Region of Iraq',
    standfirst: 'The pipeline carried its first crude in two years on Saturday.',
    section: 'Economy',
    typed: 'Crude began flowing again through the Kirkuk–Ceyhan pipeline on Saturday.',
    pasted: '<p>Officials called it <b>a turning point</b> for the <a href="https://example.com/budget">federal budget</a>.</p>',
    alt: 'Tankers moored off Ceyhan',
    caption: 'Photo: Dateline / Karwan Ali',
};
/** A body image line, as the editor writes one when an upload is done. */
const IMAGE_LINE = /^!\[\]\(http[^)]*\/content\/images\/[^)]+\)$/gm;

let browser;
let page; // the journalist's tab
let storyUrl;
before(async () => {
    mkdirSync(SHOTS, {recursive: true});
    browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
        headless: true,
        // No first-run pages, telemetry or update checks: nothing leaves the machine.
        extraPrefsFirefox: {
            'browser.shell.checkDefaultBrowser': false,
            'datareporting.policy.dataSubmissionEnabled': false,
            'app.update.enabled': false,
        },
    });
});
after(async () => browser?.close());

/** A tab that records script errors in `problems`, so a broken script cannot pass quietly. */
async function tab() {
    const opened = await browser.newPage();
    await opened.setViewport({width: 1280, height: 900});
    opened.problems = [];
    opened.on('pageerror', (e) => opened.problems.push(`page error: ${e.message}`));
    return opened;
}

const text = (p, selector) => p.$eval(selector, (e) => e.innerText);
const value = (p, selector) => p.$eval(selector, (e) => e.value);
const saved = (p) => p.waitForFunction(() => /^Saved/.test(document.getElementById('save-state').textContent));
const badge = (p, status) => p.waitForFunction(
    (s) => document.getElementById('status-badge').textContent.trim() === s, {}, status);

/** Types `more` at the end of the field `selector` (focus alone leaves Firefox's caret at the start). */
async function typeAtEnd(p, selector, more) {
    await p.$eval(selector, (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });
    await p.keyboard.type(more);
}

/** Presses Ctrl+V in the focused field. */
async function pasteKeys(p) {
    await p.keyboard.down('Control');
    await p.keyboard.press('v');
    await p.keyboard.up('Control');
}

/** Puts the caret at the end of the body. */
const caretAtEnd = (p) => p.$eval('#body', (e) => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); });

/** Counts the upload rows with a progress bar that the editor shows, from now on. */
const watchUploads = (p) => p.evaluate(() => {
    window.progressRows = 0;
    new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
        if (n.querySelector && n.querySelector('progress')) window.progressRows += 1;
    }))).observe(document.getElementById('uploads'), {childList: true});
});

/** Waits until the body holds `count` finished image lines and no upload is running. */
const imageLines = (p, count) => p.waitForFunction((n, source) => {
    const body = document.getElementById('body').value;
    return !body.includes('Uploading') && (body.match(new RegExp(source, 'gm')) || []).length === n
        && !document.querySelector('#uploads progress');
}, {}, count, IMAGE_LINE.source);

/** Confirms the editor's dialog, once it is open, and waits for the page it reloads to. */
async function confirmAndReload(p) {
    await p.waitForSelector('#confirm[open]');
    await Promise.all([p.waitForNavigation(), p.click('#confirm-ok')]);
}

test('signing in', async () => {
    page = await tab();
    await page.goto(`${SITE}/admin/login/`);
    await page.type('input[name=email]', OWNER.email);
    await page.type('input[name=password]', OWNER.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.match(page.url(), /\/admin\/posts\/$/);
});

test('writing a story: typed and pasted text, standfirst, dateline, section; autosave and reload', async () => {
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.type('#title', STORY.title);
    await page.type('input[name=dateline]', STORY.dateline);
    await page.type('textarea[name=custom_excerpt]', STORY.standfirst);
    await page.type('input[name=section]', STORY.section);
    await page.click('#body');
    await page.type('#body', `${STORY.typed}\n\n`);
    // Rich text through Firefox's own clipboard and Ctrl+V: the editor asks the server for
    // Markdown and puts it where the caret is.
    await page.evaluate(async (html) => {
        const item = new ClipboardItem({
            'text/html': new Blob([html], {type: 'text/html'}),
            'text/plain': new Blob(['pasted'], {type: 'text/plain'}),
        });
        await navigator.clipboard.write([item]);
    }, STORY.pasted);
    await page.focus('#body');
    await page.keyboard.down('Control');
    await page.keyboard.press('v');
    await page.keyboard.up('Control');
    await page.waitForFunction(() => document.getElementById('body').value.includes('turning point'));
    const body = await value(page, '#body');
    assert.ok(body.startsWith(STORY.typed), body);
    assert.match(body, /\*\*a turning point\*\*/, 'bold came as Markdown');
    assert.match(body, /\[federal budget\]\(https:\/\/example\.com\/budget\)/, 'the link came as Markdown');

    // Autosave (the first save gives the story its address), then a reload from the server
    // alone: this browser's kept copy is dropped first, so the text must come from the save.
    await saved(page);
    await page.waitForFunction(() => /\/admin\/posts\/[0-9a-f]{24}\/$/.test(location.pathname));
    storyUrl = page.url();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.equal(await value(page, '#title'), STORY.title);
    assert.equal(await value(page, '#body'), body);
    assert.equal(await value(page, 'input[name=dateline]'), STORY.dateline);
    assert.equal(await value(page, 'textarea[name=custom_excerpt]'), STORY.standfirst);
    assert.equal(await value(page, 'input[name=section]'), STORY.section);
    await page.waitForFunction(() => /words$/.test(document.getElementById('word-count').textContent)
        && document.getElementById('word-count').textContent !== '0 words');

    // Text typed and not yet saved survives a reload too (kept in this browser).
    await typeAtEnd(page, '#body', '\n\nTankers are waiting offshore.');
    await page.reload();
    assert.match(await value(page, '#body'), /Tankers are waiting offshore\.$/);
    assert.match(await text(page, '#notice'), /Restored text from this browser/);
    await saved(page);
    await page.screenshot({path: `${SHOTS}/admin-editor-firefox-1280.png`});
    assert.deepEqual(page.problems, []);
});

test('an image dropped into the text uploads with progress and becomes an image line', async () => {
    const jpeg = readFileSync(IMAGE).toString('base64');
    await watchUploads(page);
    await caretAtEnd(page);
    // A file dropped from the desktop: the drop event as Firefox delivers it, its DataTransfer
    // holding the file (WebDriver BiDi cannot drag files from outside the page).
    await page.evaluate((data) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const files = new DataTransfer();
        files.items.add(new File([bytes], 'tankers.jpg', {type: 'image/jpeg'}));
        const body = document.getElementById('body');
        const over = new DragEvent('dragover', {dataTransfer: files, bubbles: true, cancelable: true});
        body.dispatchEvent(over);
        if (!over.defaultPrevented) throw new Error('the body does not accept dropped files');
        body.dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));
    }, jpeg);
    await imageLines(page, 1);

    // (A pasted image is checked in Chromium, admin-ui.browser.test.mjs: headless Firefox's
    // clipboard takes no image, and it empties the clipboardData of a paste event a script
    // dispatches.)
    assert.equal(await page.evaluate(() => window.progressRows), 1, 'the upload showed its progress');
    const body = await value(page, '#body');
    assert.ok(body.startsWith(STORY.typed), 'the text before the images is untouched');
    assert.match(body, /[^\n]\n\n!\[\]\(/, 'the image is a paragraph of its own, not inside the one before');
    for (const src of body.match(IMAGE_LINE)) {
        const url = src.slice(4, -1);
        const res = await page.evaluate(async (u) => (await fetch(u)).status, url);
        assert.equal(res, 200, url);
    }
    await saved(page);
    assert.deepEqual(page.problems, []);
});

test('the feature image with its alt text and caption and credit', async () => {
    const input = await page.$('#feature-file');
    await input.uploadFile(IMAGE);
    await page.waitForSelector('#feature-preview[src*="/content/images/"]:not([hidden])');
    await page.type('input[name=feature_image_alt]', STORY.alt);
    await page.type('input[name=feature_image_caption]', STORY.caption);
    await page.click('#title');
    await saved(page);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.match(await page.$eval('#feature-preview', (e) => e.src), /\/content\/images\//);
    assert.equal(await value(page, 'input[name=feature_image_alt]'), STORY.alt);
    assert.equal(await value(page, 'input[name=feature_image_caption]'), STORY.caption);
    assert.deepEqual(page.problems, []);
});

test('the editor and the stories list on a phone (390 px): no sideways scrolling, tools in reach', async () => {
    await page.setViewport(PHONE);
    await page.goto(storyUrl);
    await noHorizontalOverflow(page);
    // Every formatting button and the story's actions are on the screen and on top when
    // scrolled to: a tap reaches them, not what is over or beside them.
    const blocked = await page.evaluate(() => [...document.querySelectorAll('.toolbar button, .toolbar .upload-button, .editor-bar .actions > *')]
        .filter((e) => {
            e.scrollIntoView({block: 'center'});
            const r = e.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return r.left < 0 || r.right > window.innerWidth || !(hit && (hit === e || e.contains(hit)));
        })
        .map((e) => e.getAttribute('aria-label') || e.textContent.trim()));
    assert.deepEqual(blocked, []);
    await page.click('#toggle-preview');
    assert.equal(await page.$eval('#toggle-preview', (e) => e.getAttribute('aria-pressed')), 'false');
    assert.equal(await page.$eval('#live-preview', (e) => e.hidden), true);
    await page.click('#toggle-preview');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({path: `${SHOTS}/editor-firefox-390.png`, fullPage: true});

    await page.goto(`${SITE}/admin/posts/`);
    assert.equal((await text(page, '.story-title')).trim(), STORY.title);
    await noHorizontalOverflow(page);
    await page.screenshot({path: `${SHOTS}/stories-firefox-390.png`, fullPage: true});
    await page.setViewport({width: 1280, height: 900});
    await page.goto(storyUrl);
    assert.deepEqual(page.problems, []);
});

test('preview opens the draft as its page in the theme', async () => {
    const popup = new Promise((resolve) => page.once('popup', resolve));
    await page.click('#preview-link');
    const preview = await popup;
    await preview.waitForSelector('h1');
    assert.match(preview.url(), /\/preview\/$/);
    assert.equal((await text(preview, 'h1')).trim(), STORY.title);
    assert.match(await text(preview, '.dateline'), /ERBIL/);
    assert.match(await text(preview, 'article'), /turning point/);
    await preview.close();
});

test('publishing asks first, then the story is live', async () => {
    await page.click('[data-action=publish]');
    await page.waitForSelector('#confirm[open]');
    assert.match(await text(page, '#confirm-text'), /will appear on the site at once/);
    await confirmAndReload(page);
    await badge(page, 'Published');
});

test('a stale edit from a second tab is refused with the conflict message', async () => {
    // Both tabs open the published story; the second saves first, within the same second as
    // the first tab's save as often as not: the check must not depend on the clock.
    const other = await tab();
    await other.goto(storyUrl);
    await page.goto(storyUrl);
    await typeAtEnd(other, 'textarea[name=custom_excerpt]', ' Shipments start on Monday.');
    await other.click('[data-action=update]');
    await confirmAndReload(other);

    await typeAtEnd(page, 'textarea[name=custom_excerpt]', ' A stale change.');
    await page.click('[data-action=update]');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await text(page, '#notice'), /Someone else saved this story after you opened it/);
    assert.match(await value(page, 'textarea[name=custom_excerpt]'), /A stale change\.$/, 'the text stays');
    assert.equal(await text(page, '#save-state'), 'Not saved');
    await other.reload();
    assert.match(await value(other, 'textarea[name=custom_excerpt]'), /Shipments start on Monday\.$/, 'nothing was overwritten');
    assert.deepEqual(other.problems, []);
    await other.close();
});

test('the public page shows the story', async () => {
    const href = await page.evaluate(() => {
        const link = [...document.querySelectorAll('a')].find((a) => /View published story/.test(a.textContent));
        return link && link.href;
    });
    assert.ok(href, 'the editor links the published story');
    const reader = await tab();
    const response = await reader.goto(href);
    assert.equal(response.status(), 200);
    assert.equal((await text(reader, 'h1')).trim(), STORY.title);
    assert.match(await text(reader, '.dateline'), /^ERBIL, Kurdistan Region of Iraq/);
    assert.match(await text(reader, '.standfirst'), /Shipments start on Monday\.$/);
    assert.equal((await text(reader, '.section-label a')).toLowerCase(), STORY.section.toLowerCase());
    const article = await text(reader, 'article');
    assert.ok(article.includes('Kirkuk–Ceyhan') && article.includes('Tankers are waiting offshore.'), article);
    assert.equal(await reader.$eval('article strong', (e) => e.textContent), 'a turning point');
    // The pasted link, tagged with the site's host on its way out as Ghost tags outbound links.
    const link = await reader.$eval('article a[href^="https://example.com/budget"]', (e) => [e.textContent, e.getAttribute('href')]);
    assert.equal(link[0], 'federal budget');
    assert.match(link[1], /^https:\/\/example\.com\/budget\?ref=/);
    // The feature image with its alt text and credit, loaded, and the body's image.
    assert.match(await text(reader, 'figure figcaption'), /Photo: Dateline \/ Karwan Ali/);
    const feature = await reader.$eval('figure img', (img) => ({alt: img.alt, loaded: img.complete && img.naturalWidth > 0}));
    assert.deepEqual(feature, {alt: STORY.alt, loaded: true});
    const inBody = await reader.$$eval('.article-body img', (all) => all.map((img) => img.getAttribute('src')));
    assert.equal(inBody.length, 1, JSON.stringify(inBody));
    assert.ok(inBody.every((src) => src.includes('/content/images/')), JSON.stringify(inBody));
    await reader.screenshot({path: `${SHOTS}/public-story-firefox-1280.png`});
    await reader.close();
    assert.deepEqual(page.problems, []);
});

test('a 1 MB paste is saved whole', async () => {
    // A long document pasted as plain text: about 1 MB, in paragraphs.
    const paragraph = 'The ministry published the full text of the agreement, clause by clause, with annexes. ';
    const big = Array.from({length: 1200}, (_, i) => `${i + 1}. ${paragraph.repeat(10)}`).join('\n\n');
    assert.ok(big.length > 1_000_000, `${big.length}`);
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.type('#title', 'The whole agreement');
    await page.evaluate((t) => navigator.clipboard.writeText(t), big);
    await page.click('#body');
    await pasteKeys(page);
    await page.waitForFunction((n) => document.getElementById('body').value.length === n, {}, big.length);
    await saved(page);
    await page.waitForFunction(() => /\/admin\/posts\/[0-9a-f]{24}\/$/.test(location.pathname));
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.equal(await value(page, '#body'), big, 'the server has all of it');
    assert.equal(await page.$eval('#notice', (e) => e.hidden), true);
    assert.deepEqual(page.problems, []);
});

test('a paste too long to save is refused with a clear message, and the text stays', async () => {
    // Over the server's 2 MB: Sorani text is two bytes a letter.
    const paragraph = 'وەزارەت دەقی تەواوی ڕێککەوتنەکەی بڵاوکردەوە، بڕگە بە بڕگە، لەگەڵ پاشکۆکان. ';
    const huge = Array.from({length: 1500}, (_, i) => `${i + 1}. ${paragraph.repeat(10)}`).join('\n\n');
    await page.evaluate((t) => navigator.clipboard.writeText(t), huge);
    await caretAtEnd(page);
    await pasteKeys(page);
    await page.waitForFunction(() => /too long to save/.test(document.getElementById('notice').textContent));
    assert.match(await text(page, '#notice'), /server takes up to 2 MB\. Your text is still here/);
    assert.equal(await text(page, '#save-state'), 'Not saved');
    const body = await value(page, '#body');
    assert.ok(body.endsWith(huge), 'the pasted text stays in the editor');
    // Kept in this browser, too: a reload brings it back.
    await page.reload();
    assert.match(await text(page, '#notice'), /Restored text from this browser/);
    assert.ok((await value(page, '#body')).endsWith(huge));
    await page.evaluate(() => localStorage.clear());
});

test('a session ended in another tab while typing: the text is kept, said plainly, and saved after signing in', async () => {
    await page.goto(`${SITE}/admin/posts/new/`);
    await page.type('#title', 'Curfew lifted in Kirkuk');
    await page.click('#body');
    await page.type('#body', 'Saved before the session ended.');
    await page.click('#title');
    await saved(page);
    const url = await page.url();

    // Signing out in another tab ends the session on the server.
    const other = await tab();
    await other.goto(`${SITE}/admin/posts/`);
    await Promise.all([other.waitForNavigation(), other.click('.signout button')]);
    assert.match(other.url(), /\/admin\/login\/$/);

    await typeAtEnd(page, '#body', ' Typed after it ended.');
    await page.click('#title');
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await text(page, '#notice'), /Your session has ended, so your latest changes are not saved yet\. They are kept in this browser\./);
    assert.match(await text(page, '#notice'), /Sign in again in a new tab, then come back here: the story is saved as soon as you are signed in/);
    assert.equal(await text(page, '#save-state'), 'Not saved');
    assert.match(await value(page, '#body'), /Typed after it ended\.$/);
    const kept = await page.evaluate((u) => JSON.parse(localStorage.getItem(`dateline:story:${u.split('/')[5]}`)), url);
    assert.equal(kept.snap.markdown, 'Saved before the session ended. Typed after it ended.', 'kept in this browser');

    // Signing in again in the other tab, then back to this one: the text saves without a
    // reload (the editor takes the new session's token).
    await other.type('input[name=email]', OWNER.email);
    await other.type('input[name=password]', OWNER.password);
    await Promise.all([other.waitForNavigation(), other.click('button[type=submit]')]);
    await other.close();
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await saved(page);
    assert.equal(await page.$eval('#notice', (e) => e.hidden), true, 'the notice is gone once saved');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    assert.equal(await value(page, '#body'), 'Saved before the session ended. Typed after it ended.', 'saved on the server');
    assert.deepEqual(page.problems, []);
});
