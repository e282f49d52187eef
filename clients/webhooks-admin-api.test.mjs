// Webhooks through Ghost's official client, `@tryghost/admin-api`, unmodified: add, edit and
// delete a webhook, and check that Dateline's worker (started by `dateline serve`) POSTs a
// change to a real HTTP server here, signed as Ghost signs it. scripts/client-tests passes
// DATELINE_URL and DATELINE_ADMIN_KEY.
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {createServer} from 'node:http';
import {test} from 'node:test';
import GhostAdminAPI from '@tryghost/admin-api';

const admin = new GhostAdminAPI({
    url: process.env.DATELINE_URL,
    key: process.env.DATELINE_ADMIN_KEY,
    version: 'v5.0'
});

/** A receiver on a free port; `next()` resolves with the next request it gets. */
async function receiver() {
    const waiting = [];
    const got = [];
    const server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
            body += chunk;
        });
        req.on('end', () => {
            res.writeHead(200).end();
            const hit = {path: req.url, headers: req.headers, body};
            const wake = waiting.shift();
            if (wake) {
                wake(hit);
            } else {
                got.push(hit);
            }
        });
    });
    await new Promise((resolve) => {
        server.listen(0, '127.0.0.1', resolve);
    });
    return {
        url: `http://127.0.0.1:${server.address().port}`,
        next: (ms = 15000) => (got.length ? Promise.resolve(got.shift()) : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no webhook arrived')), ms);
            waiting.push((hit) => {
                clearTimeout(timer);
                resolve(hit);
            });
        })),
        close: () => server.close()
    };
}

test('a webhook is added, fires signed, is edited and deleted', async () => {
    const hooks = await receiver();
    const secret = 'client-test-secret';
    const hook = await admin.webhooks.add({
        event: 'tag.added',
        target_url: `${hooks.url}/tags`,
        name: 'Tag feed',
        secret
    });
    let tag;
    try {
        assert.equal(hook.event, 'tag.added');
        assert.equal(hook.target_url, `${hooks.url}/tags`);
        assert.equal(hook.name, 'Tag feed');
        assert.match(hook.integration_id, /^[0-9a-f]{24}$/);

        tag = await admin.tags.add({name: 'Webhook Client Test'});
        const hit = await hooks.next();
        assert.equal(hit.path, '/tags');
        const payload = JSON.parse(hit.body);
        assert.equal(payload.tag.current.slug, tag.slug);
        assert.deepEqual(payload.tag.previous, {});
        const [, sig, ts] = hit.headers['x-ghost-signature'].match(/^sha256=([0-9a-f]{64}), t=(\d+)$/);
        assert.equal(sig, createHmac('sha256', secret).update(`${hit.body}${ts}`).digest('hex'));
        assert.match(hit.headers['user-agent'], /^Dateline\//);

        // The worker records the answer just after the receiver gave it.
        let edited;
        for (let i = 0; i < 50; i++) {
            edited = await admin.webhooks.edit({id: hook.id, name: 'Tags, renamed', target_url: `${hooks.url}/renamed`});
            if (edited.last_triggered_status) {
                break;
            }
            await new Promise((resolve) => {
                setTimeout(resolve, 100);
            });
        }
        assert.equal(edited.name, 'Tags, renamed');
        assert.equal(edited.target_url, `${hooks.url}/renamed`);
        assert.equal(edited.last_triggered_status, '200');

        await assert.rejects(
            admin.webhooks.add({event: 'tag.exploded', target_url: hooks.url}),
            (err) => err.type === 'ValidationError'
        );
        await assert.rejects(
            admin.webhooks.edit({id: hook.id, target_url: 'not a url'}),
            (err) => err.type === 'ValidationError'
        );
    } finally {
        await admin.webhooks.delete({id: hook.id});
        if (tag) {
            await admin.tags.delete({id: tag.id});
        }
        hooks.close();
    }
    await assert.rejects(admin.webhooks.delete({id: hook.id}), (err) => err.type === 'NotFoundError');
});
