// The story editor in Firefox (Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core): the journalist's main path, as clients/admin-ui.browser.test.mjs walks it in
// Chromium. Sign in, write a story (headline, Markdown typed and pasted as rich text, standfirst,
// dateline, section), autosave and reload, preview, publish after the confirmation, a stale edit
// from a second tab refused, and the public page.
// scripts/browser-tests starts Dateline on a site of its own (its owner made by `dateline setup`)
// and passes DATELINE_FIREFOX_URL, DATELINE_OWNER_EMAIL, DATELINE_OWNER_PASSWORD and
// DATELINE_SCREENSHOTS. The tests run in order and share the story.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {after, before, test} from 'node:test';
import puppeteer from 'puppeteer-core';
import {OWNER, SHOTS} from './browser-support.mjs';

const SITE = process.env.DATELINE_FIREFOX_URL;
const STORY = {
    title: 'Oil exports resume through Ceyhan',
    dateline: 'ERBIL, Kurdistan Region of Iraq',
    standfirst: 'The pipeline carried its first crude in two years on Saturday.',
    section: 'Economy',
    typed: 'Crude began flowing again through the Kirkuk–Ceyhan pipeline on Saturday.',
    pasted: '<p>Officials called it <b>a turning point</b> for the <a href="https://example.com/budget">federal budget</a>.</p>',
};

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
    assert.equal(await reader.$eval('article a[href="https://example.com/budget"]', (e) => e.textContent), 'federal budget');
    await reader.screenshot({path: `${SHOTS}/public-story-firefox-1280.png`});
    await reader.close();
    assert.deepEqual(page.problems, []);
});
