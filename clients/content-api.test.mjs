// The Content API through Ghost's official client, `@tryghost/content-api`, unmodified.
// scripts/client-tests starts Dateline with the shared Ghost fixture imported and passes the
// site URL and a content key in DATELINE_URL and DATELINE_CONTENT_KEY.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import GhostContentAPI from '@tryghost/content-api';

const api = new GhostContentAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_CONTENT_KEY,
    version: 'v5.0'
});

const SEED = 'pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner';

test('posts.browse pages through published posts with Ghost\'s meta', async () => {
    const posts = await api.posts.browse({limit: 3, include: 'tags,authors'});
    assert.equal(posts.length, 3);
    assert.equal(posts[0].slug, SEED);
    assert.equal(posts[0].primary_tag.slug, 'news');
    assert.equal(posts[0].primary_author.slug, 'the-new-region');
    assert.deepEqual(posts.meta.pagination, {page: 1, limit: 3, pages: 3, total: 8, next: 2, prev: null});
});

test('posts.read by slug and by id give the seed article', async () => {
    const bySlug = await api.posts.read({slug: SEED}, {include: 'tags,authors'});
    assert.equal(bySlug.title, 'PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner');
    assert.equal(bySlug.reading_time, 2);
    assert.equal(bySlug.feature_image_alt, 'Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner');
    const byId = await api.posts.read({id: bySlug.id});
    assert.equal(byId.slug, SEED);
});

test('filters, fields and formats', async () => {
    const news = await api.posts.browse({filter: 'tag:news', fields: 'slug'});
    assert.equal(news.length, 4);
    assert.deepEqual(Object.keys(news[0]), ['slug']);
    const plain = await api.posts.browse({formats: 'plaintext', limit: 1});
    assert.match(plain[0].plaintext, /^ERBIL, Kurdistan Region of Iraq/);
    assert.equal(plain[0].html, undefined);
});

test('pages, tags, authors and settings', async () => {
    const pages = await api.pages.browse();
    assert.deepEqual(pages.map((p) => p.slug), ['about']);
    const tags = await api.tags.browse({include: 'count.posts', limit: 'all'});
    assert.equal(tags.find((t) => t.slug === 'news').count.posts, 4);
    const authors = await api.authors.browse({include: 'count.posts'});
    assert.deepEqual(authors.map((a) => [a.slug, a.count.posts]), [['editorial-desk', 4], ['the-new-region', 5]]);
    const settings = await api.settings.browse();
    assert.equal(settings.title, 'The New Region');
    assert.equal(settings.timezone, 'Asia/Baghdad');
});

test('tags and authors take Ghost\'s order, offers are not found', async () => {
    const tags = await api.tags.browse({include: 'count.posts', order: 'count.posts desc, slug asc', limit: 3});
    assert.deepEqual(tags.map((t) => [t.slug, t.count.posts]), [['news', 4], ['politics', 3], ['world', 2]]);
    const byName = await api.tags.browse({order: 'name desc', limit: 1});
    assert.equal(byName[0].slug, 'world');
    const authors = await api.authors.browse({include: 'count.posts', order: 'count.posts desc'});
    assert.deepEqual(authors.map((a) => a.slug), ['the-new-region', 'editorial-desk']);
    await assert.rejects(api.offers.read({id: '0123456789abcdef01234567'}), (err) => {
        assert.equal(err.type, 'NotFoundError');
        return true;
    });
});

test('errors reach the caller as Ghost\'s errors', async () => {
    await assert.rejects(api.posts.read({slug: 'this-post-does-not-exist'}), (err) => {
        assert.equal(err.type, 'NotFoundError');
        return true;
    });
    const wrong = new GhostContentAPI({url: process.env.DATELINE_URL, key: '0123456789abcdef01234567ab', version: 'v5.0'});
    await assert.rejects(wrong.posts.browse(), (err) => {
        assert.equal(err.type, 'UnauthorizedError');
        return true;
    });
});
