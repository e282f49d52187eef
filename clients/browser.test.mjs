// The public site in a real browser (Debian's Chromium through playwright-core): the seed
// article at phone and desktop widths and an Arabic article laid out right to left.
// scripts/browser-tests starts Dateline with the shared fixture, its images and an Arabic story,
// and passes DATELINE_URL and DATELINE_SCREENSHOTS (where the screenshots go).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {SHOTS, launchBrowser, noHorizontalOverflow} from './browser-support.mjs';

const SITE = process.env.DATELINE_URL;
const SEED = '/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/';
const ARABIC = '/arabic-seed-story/';
const VIEWPORTS = [{width: 390, height: 844}, {width: 1280, height: 800}];

let browser;
before(async () => {
    browser = await launchBrowser();
});
after(async () => browser?.close());

/** Opens `path` and collects console errors and failed requests while it loads. */
async function open(path, viewport) {
    const page = await browser.newPage({viewport});
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
    const response = await page.goto(SITE + path, {waitUntil: 'networkidle'});
    assert.equal(response.status(), 200);
    return {page, problems};
}

/** Every image of the article reserves its box before it loads, and the browser picked a
 *  `srcset` candidate that loaded: nothing moves while the page fills in. */
async function noLayoutShift(page) {
    const unsized = await page.locator('article img').evaluateAll((images) => images
        .filter((img) => !(img.getAttribute('width') > 0 && img.getAttribute('height') > 0))
        .map((img) => img.outerHTML));
    assert.deepEqual(unsized, [], 'images without width and height');
    const feature = page.locator('.article-image img');
    assert.ok(await feature.evaluate((img) => img.currentSrc.includes('/content/images/')), 'a srcset candidate');
    // Scroll through so lazy images load, then read the layout-shift entries the page recorded.
    await page.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 400) {
            window.scrollTo(0, y);
            await new Promise((r) => setTimeout(r, 20));
        }
    });
    const shift = await page.evaluate(() => new Promise((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntries()
            .filter((e) => !e.hadRecentInput)
            .reduce((sum, e) => sum + e.value, 0))).observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve(0), 500);
    }));
    assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
}

for (const viewport of VIEWPORTS) {
    test(`seed article at ${viewport.width}x${viewport.height}`, async () => {
        const {page, problems} = await open(SEED, viewport);
        const visibleText = async (selector) => {
            const element = page.locator(selector).first();
            assert.ok(await element.isVisible(), `${selector} is visible`);
            return (await element.innerText()).trim();
        };
        // The label is set in capitals by CSS; the text itself is the tag's name.
        assert.equal((await visibleText('.section-label a')).toLowerCase(), 'news');
        assert.equal(await visibleText('h1'), 'PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner');
        assert.match(await visibleText('.standfirst'), /^Iraqi Prime Minister Mohammed Shia' al-Sudani told the North Atlantic Council/);
        assert.equal(await visibleText('.byline a[rel="author"]'), 'The New Region');
        assert.equal(await page.locator('time').first().getAttribute('datetime'), '2025-09-08T13:30:00+03:00');
        assert.match(await visibleText('.byline'), /Sep 8, 2025\s*•\s*2 min read/);
        const image = page.locator('figure img').first();
        assert.ok(await image.isVisible());
        assert.equal(await image.getAttribute('alt'), 'Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner');
        assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the feature image loaded');
        assert.match(await visibleText('figcaption'), /Photo: Iraqi PMO$/);
        assert.equal(await visibleText('.dateline'), 'ERBIL, Kurdistan Region of Iraq -');
        assert.equal(await page.locator('.author-card img').getAttribute('alt'), 'Profile picture of The New Region');
        assert.ok(await page.locator('.author-card').isVisible());
        assert.match(await visibleText('.newsletter'), /Get the latest updates delivered to your inbox\./);
        assert.ok(await page.locator('.newsletter input[type="email"]').isVisible());
        assert.ok(await page.locator('.related').isVisible(), 'related stories');
        await noLayoutShift(page);
        await noHorizontalOverflow(page);
        await page.screenshot({path: `${SHOTS}/article-${viewport.width}.png`, fullPage: true});
        assert.deepEqual(problems, []);
        await page.close();
    });
}

test('an Arabic article is laid out right to left', async () => {
    const {page, problems} = await open(ARABIC, {width: 390, height: 844});
    const root = page.locator('html');
    assert.equal(await root.getAttribute('dir'), 'rtl');
    assert.equal(await root.getAttribute('lang'), 'ar');
    const direction = await page.locator('h1').evaluate((h) => getComputedStyle(h).direction);
    assert.equal(direction, 'rtl');
    // The theme's own words are Arabic too.
    assert.equal((await page.locator('.skip-link').textContent()).trim(), 'انتقل إلى المحتوى');
    assert.match(await page.locator('.byline').innerText(), /بقلم/);
    assert.equal((await page.locator('.newsletter button').innerText()).trim(), 'اشترك');
    // Mirrored: the section label hangs from the right edge of the column, not the left.
    const label = await page.locator('.section-label').boundingBox();
    const title = await page.locator('h1').boundingBox();
    const labelText = await page.locator('.section-label a').boundingBox();
    assert.ok(Math.abs((labelText.x + labelText.width) - (title.x + title.width)) < 2, 'label text starts at the right');
    assert.ok(labelText.x > label.x + 20, 'and is not at the left');
    await page.screenshot({path: `${SHOTS}/article-arabic-390.png`, fullPage: true});
    await noHorizontalOverflow(page);
    assert.deepEqual(problems, []);
    await page.close();
});

test('home page at both widths', async () => {
    for (const viewport of VIEWPORTS) {
        const {page, problems} = await open('/', viewport);
        assert.ok(await page.locator('main').isVisible());
        await noHorizontalOverflow(page);
        await page.screenshot({path: `${SHOTS}/home-${viewport.width}.png`, fullPage: true});
        assert.deepEqual(problems, []);
        await page.close();
    }
});
