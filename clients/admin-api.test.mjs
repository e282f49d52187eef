// The Admin API through Ghost's official client, `@tryghost/admin-api`, unmodified: it signs its
// own short-lived JWTs with the integration's admin key. scripts/client-tests starts Dateline
// with the shared Ghost fixture imported and passes DATELINE_URL, DATELINE_ADMIN_KEY and
// DATELINE_CONTENT_KEY. The post it publishes is deleted again before the Content API's tests run
// (the script runs the files one at a time), so they see the fixture as it was.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import GhostAdminAPI from '@tryghost/admin-api';
import GhostContentAPI from '@tryghost/content-api';

const admin = new GhostAdminAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_ADMIN_KEY,
    version: 'v5.0'
});

const content = new GhostContentAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_CONTENT_KEY,
    version: 'v5.0'
});

test('a post goes from draft to published to deleted', async () => {
    const html = '<p>ERBIL — The regional cabinet <strong>approved</strong> the budget.</p>';
    const draft = await admin.posts.add(
        {title: 'Cabinet approves budget', html, tags: [{name: 'Budget 2026'}, {name: '#wire'}]},
        {source: 'html', formats: 'html'}
    );
    try {
        assert.equal(draft.status, 'draft');
        assert.equal(draft.html, html);
        assert.deepEqual(draft.tags.map((t) => t.slug), ['budget-2026', 'hash-wire']);
        await assert.rejects(content.posts.read({slug: draft.slug}), (err) => err.type === 'NotFoundError');

        const edited = await admin.posts.edit({id: draft.id, updated_at: draft.updated_at, title: 'Cabinet approves 2026 budget'});
        assert.equal(edited.title, 'Cabinet approves 2026 budget');
        assert.equal(edited.slug, draft.slug);

        const published = await admin.posts.edit({id: draft.id, updated_at: edited.updated_at, status: 'published'});
        assert.equal(published.status, 'published');
        const live = await content.posts.read({slug: draft.slug}, {include: 'tags'});
        assert.equal(live.title, 'Cabinet approves 2026 budget');
        assert.equal(live.primary_tag.slug, 'budget-2026');

        await assert.rejects(
            admin.posts.edit({id: draft.id, updated_at: '2020-01-01T00:00:00.000Z', title: 'Stale'}),
            (err) => err.type === 'UpdateCollisionError'
        );
    } finally {
        await admin.posts.delete({id: draft.id});
    }
    await assert.rejects(admin.posts.read({id: draft.id}), (err) => err.type === 'NotFoundError');
    await assert.rejects(content.posts.read({slug: draft.slug}), (err) => err.type === 'NotFoundError');
});

test('staff see drafts and scheduled posts; readers do not', async () => {
    const drafts = await admin.posts.browse({filter: 'status:draft', fields: 'slug,status'});
    assert.deepEqual(drafts.map((p) => p.slug), ['notes-on-the-water-sharing-talks']);
    const bySlug = await admin.posts.read({slug: 'preview-iraqs-2027-budget-debate'});
    assert.equal(bySlug.status, 'scheduled');
    assert.equal(bySlug.primary_author.slug, 'editorial-desk');
});

test('tags browse, with counts', async () => {
    const tags = await admin.tags.browse({limit: 'all', include: 'count.posts'});
    const news = tags.find((t) => t.slug === 'news');
    assert.equal(news.name, 'News');
    assert.equal(news.count.posts, 4);
    assert.ok(tags.some((t) => t.slug === 'hash-internal' && t.visibility === 'internal'));
    assert.equal(tags.meta.pagination.limit, 'all');
});

test('users browse and a wrong key is refused as Ghost refuses it', async () => {
    const users = await admin.users.browse();
    assert.deepEqual(users.map((u) => u.slug).sort(), ['editorial-desk', 'the-new-region']);
    const stranger = new GhostAdminAPI({
        url: process.env.DATELINE_URL,
        key: `${'a'.repeat(24)}:${'b'.repeat(64)}`,
        version: 'v5.0'
    });
    await assert.rejects(stranger.posts.browse(), (err) => {
        assert.equal(err.type, 'UnauthorizedError');
        assert.equal(err.code, 'UNKNOWN_ADMIN_API_KEY');
        return true;
    });
});

test('a migration tool copies a post by its Lexical document and reads back the same document', async () => {
    const seed = await admin.posts.read({slug: 'pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner'});
    assert.equal(seed.mobiledoc, null);
    assert.equal(JSON.parse(seed.lexical).root.type, 'root');
    const copy = await admin.posts.add({title: `${seed.title} (copy)`, lexical: seed.lexical});
    try {
        assert.equal(copy.lexical, seed.lexical);
        const read = await admin.posts.read({id: copy.id}, {formats: 'lexical,html'});
        assert.equal(read.lexical, seed.lexical);
        assert.match(read.html, /^<p>ERBIL, Kurdistan Region of Iraq/);
    } finally {
        await admin.posts.delete({id: copy.id});
    }
});
