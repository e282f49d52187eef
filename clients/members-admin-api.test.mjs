// Members and newsletters through Ghost's official client, `@tryghost/admin-api`, unmodified:
// browse newsletters, add a member with labels and a newsletter, find them by filter and
// search, edit, refuse a duplicate, delete. scripts/client-tests passes DATELINE_URL and
// DATELINE_ADMIN_KEY.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import GhostAdminAPI from '@tryghost/admin-api';

const admin = new GhostAdminAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_ADMIN_KEY,
    version: 'v5.0'
});

test('newsletters.browse lists the site newsletters', async () => {
    const newsletters = await admin.newsletters.browse({limit: 'all'});
    assert.ok(newsletters.length >= 1);
    const first = newsletters[0];
    assert.equal(typeof first.id, 'string');
    assert.equal(first.status, 'active');
    assert.equal(typeof first.subscribe_on_signup, 'boolean');
    assert.equal(newsletters.meta.pagination.page, 1);
});

test('members.add, browse, edit and delete', async () => {
    const [newsletter] = await admin.newsletters.browse({limit: 1});
    const email = `client-${Date.now()}@example.com`;
    const added = await admin.members.add({
        email,
        name: 'Client Reader',
        labels: ['client-test', {name: 'Press'}],
        newsletters: [{id: newsletter.id}]
    });
    assert.equal(added.email, email);
    assert.equal(added.subscribed, true);
    assert.deepEqual(added.labels.map(l => l.slug), ['client-test', 'press']);
    assert.deepEqual(added.newsletters.map(n => n.id), [newsletter.id]);

    const found = await admin.members.browse({filter: 'label:client-test', limit: 5});
    assert.deepEqual(found.map(m => m.email), [email]);
    assert.equal(found.meta.pagination.total, 1);
    const searched = await admin.members.browse({search: 'client reader'});
    assert.ok(searched.some(m => m.id === added.id));

    const read = await admin.members.read({id: added.id});
    assert.equal(read.name, 'Client Reader');

    const edited = await admin.members.edit({id: added.id, name: 'Edited Reader', note: 'via the client', newsletters: []});
    assert.equal(edited.name, 'Edited Reader');
    assert.equal(edited.note, 'via the client');
    assert.equal(edited.subscribed, false);

    await assert.rejects(admin.members.add({email}), (err) => {
        assert.equal(err.type, 'ValidationError');
        assert.match(err.message, /Member already exists/);
        return true;
    });
    await assert.rejects(admin.members.add({email: 'not an address'}), (err) => {
        assert.equal(err.type, 'ValidationError');
        return true;
    });

    await admin.members.delete({id: added.id});
    await assert.rejects(admin.members.read({id: added.id}), (err) => {
        assert.equal(err.type, 'NotFoundError');
        return true;
    });
});
