// Newsletters and tiers through Ghost's official client, `@tryghost/content-api`, unmodified:
// a newsletter added through `@tryghost/admin-api` is offered to readers, an archived one is
// not, and the free tier is the one tier. scripts/client-tests passes DATELINE_URL,
// DATELINE_CONTENT_KEY and DATELINE_ADMIN_KEY.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import GhostAdminAPI from '@tryghost/admin-api';
import GhostContentAPI from '@tryghost/content-api';

const content = new GhostContentAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_CONTENT_KEY,
    version: 'v5.0'
});
const admin = new GhostAdminAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_ADMIN_KEY,
    version: 'v5.0'
});

const FIELDS = ['id', 'uuid', 'name', 'description', 'slug', 'subscribe_on_signup', 'visibility', 'sort_order', 'created_at', 'updated_at'];

test('newsletters.browse offers the active newsletters in Ghost\'s public fields', async () => {
    const suffix = Date.now().toString(36);
    const offered = await admin.newsletters.add({name: `Client Alerts ${suffix}`, description: 'When it matters'});
    await admin.newsletters.add({name: `Client Briefing ${suffix}`});
    const archived = await admin.newsletters.add({name: `Client Archive ${suffix}`});
    await admin.newsletters.edit({id: archived.id, status: 'archived'});

    const all = await content.newsletters.browse({limit: 'all'});
    assert.deepEqual(Object.keys(all[0]), FIELDS);
    const slugs = all.map((n) => n.slug);
    assert.ok(slugs.includes(offered.slug), slugs.join(','));
    assert.ok(!slugs.includes(archived.slug), slugs.join(','));
    assert.equal(all.meta.pagination.total, all.length);

    const [found] = await content.newsletters.browse({filter: `slug:${offered.slug}`});
    assert.equal(found.name, `Client Alerts ${suffix}`);
    assert.equal(found.description, 'When it matters');
    assert.equal(found.visibility, 'members');
    assert.equal(found.sender_email, undefined);

    const one = await content.newsletters.browse({limit: 1, page: 2, fields: 'name,slug'});
    assert.equal(one.length, 1);
    assert.deepEqual(Object.keys(one[0]), ['name', 'slug']);
    assert.equal(one.meta.pagination.prev, 1);
});

test('tiers.browse gives the tiers imported from Ghost, the paid one with its prices', async () => {
    const tiers = await content.tiers.browse();
    assert.deepEqual(tiers.map((t) => t.slug), ['free', 'default-product']);
    const [free, paid] = tiers;
    assert.equal(free.type, 'free');
    assert.equal(free.name, 'Free');
    assert.equal(free.visibility, 'public');
    assert.equal(free.active, true);
    assert.equal(free.monthly_price, undefined);
    assert.equal(paid.type, 'paid');
    assert.equal(paid.name, 'The New Region');
    assert.equal(paid.currency, 'USD');
    assert.equal(paid.monthly_price, 500);
    assert.equal(paid.yearly_price, 5000);
    assert.deepEqual(tiers.meta.pagination, {page: 1, limit: 15, pages: 1, total: 2, next: null, prev: null});
    const onlyPaid = await content.tiers.browse({filter: 'type:paid'});
    assert.deepEqual(onlyPaid.map((t) => t.slug), ['default-product']);
});
