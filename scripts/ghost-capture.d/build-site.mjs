// Builds the deterministic test site of `scripts/ghost-capture` ("The New Region") through
// Ghost's Admin API. Run it against a FRESH Ghost 5.130.6 (empty SQLite database); the entry
// script does that. Fixed PRNG seeds, dates and texts: two runs differ only in ids, uuids, keys
// and timestamps.
//
// Env (all required): GHOST_URL (http://localhost:2368), GHOST_DIR (Ghost's package folder, for
// its `sharp` and `sqlite3`), GHOST_DB (the SQLite file, read for invite tokens since mail is
// stubbed), OUT (the capture folder: writes keys.json, build-manifest.json, generated-images/).
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';

function env(name) {
    const v = process.env[name];
    if (!v) {
        console.error(`build-site.mjs: set ${name}`);
        process.exit(2);
    }
    return v;
}
const GHOST = env('GHOST_URL');
const GHOST_DIR = env('GHOST_DIR');
const DB = env('GHOST_DB');
const OUT = env('OUT');
const ghostRequire = createRequire(path.join(GHOST_DIR, 'package.json'));
const sharp = ghostRequire('sharp');
const sqlite3 = ghostRequire('sqlite3');

const ADMIN = `${GHOST}/ghost/api/admin`;
const OWNER = {name: 'Editorial Desk', email: 'editor@example.com', password: 'EditorialDesk!2025pw'};
let cookie = '';

// ---------- HTTP helpers ----------
async function api(method, p, body, {form} = {}) {
    const headers = {Origin: GHOST, 'Accept-Version': 'v5.130'};
    if (cookie) {
        headers.Cookie = cookie;
    }
    let payload;
    if (form) {
        payload = form;
    } else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
    }
    const res = await fetch(ADMIN + p, {method, headers, body: payload});
    const sc = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
    for (const c of sc) {
        if (c.startsWith('ghost-admin-api-session=')) {
            cookie = c.split(';')[0];
        }
    }
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`${method} ${p} -> ${res.status}: ${text.slice(0, 800)}`);
    }
    try {
        return text ? JSON.parse(text) : {};
    } catch (e) {
        return {text};
    }
}

// ---------- deterministic PRNG ----------
function mulberry32(a) {
    return function () {
        a |= 0; a = a + 0x6D2B79F5 | 0;
        let t = Math.imul(a ^ a >>> 15, 1 | a);
        t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
        return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
}

// ---------- placeholder images ----------
async function makeImage(file, w, h, seed, fmt) {
    const rnd = mulberry32(seed);
    const c1 = [rnd() * 255, rnd() * 255, rnd() * 255];
    const c2 = [rnd() * 255, rnd() * 255, rnd() * 255];
    const buf = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
            const t = (x / w + y / h) / 2;
            const stripe = ((Math.floor(x / 40) + Math.floor(y / 40)) % 2) ? 12 : 0;
            const i = (y * w + x) * 3;
            for (let k = 0; k < 3; k++) {
                buf[i + k] = Math.max(0, Math.min(255, Math.round(c1[k] * (1 - t) + c2[k] * t + stripe)));
            }
        }
    }
    let img = sharp(buf, {raw: {width: w, height: h, channels: 3}});
    img = fmt === 'png' ? img.png({compressionLevel: 9}) : img.jpeg({quality: 70});
    const out = path.join(OUT, 'generated-images', file);
    await img.toFile(out);
    return out;
}

async function upload(localFile, purpose) {
    const form = new FormData();
    const data = fs.readFileSync(localFile);
    const type = localFile.endsWith('.png') ? 'image/png' : 'image/jpeg';
    form.append('file', new Blob([data], {type}), path.basename(localFile));
    form.append('purpose', purpose || 'image');
    form.append('ref', path.basename(localFile));
    const r = await api('POST', '/images/upload/', undefined, {form});
    return r.images[0].url;
}

// ---------- text ----------
const SENTENCES = [
    'Officials said the talks would continue next week, with both sides expected to bring revised proposals.',
    'Residents in the eastern districts described long queues at fuel stations and intermittent power cuts.',
    'The ministry published a statement on its website late on Tuesday, but declined to give further details.',
    'Analysts cautioned that the timetable was ambitious and depended on parliament approving the budget in time.',
    'Traders in the old market said prices had risen sharply since the start of the month.',
    'A spokesperson for the provincial council told reporters that the plan had broad support among local leaders.',
    'Engineers have been working around the clock to repair the damaged section of the line.',
    'The committee is due to present its findings to the cabinet before the end of the quarter.',
    'Farmers along the river said water levels were the lowest they could remember.',
    'Several international organisations welcomed the announcement and offered technical assistance.',
    'The governor said new schools would open in three districts before the autumn term.',
    'Opposition lawmakers questioned how the project would be financed and asked for a public hearing.',
    'Local journalists were allowed to visit the site for the first time since construction began.',
    'Students and teachers gathered outside the university gates to hear the results read aloud.',
    'The central bank said the exchange rate had remained stable throughout the period under review.',
    'Hospital staff reported a steady increase in patients during the hottest weeks of the summer.',
    'The delegation also met representatives of civil society groups and the chamber of commerce.',
    'According to the latest figures, exports rose for the third consecutive month.',
    'Organisers said more than two hundred volunteers had helped prepare the venue.',
    'The agreement still needs to be ratified by the relevant authorities in both capitals.',
    'Young entrepreneurs said access to credit remained the biggest obstacle to growing their businesses.',
    'The coach praised the squad for its discipline and said the team was improving with every match.',
    'Archaeologists described the find as one of the most significant in the region in a decade.',
    'Municipal workers cleared drainage channels ahead of the first rains of the season.',
    'The report recommended a review of procurement rules and greater transparency in public tenders.',
    'Diplomats from neighbouring countries attended the ceremony, which was broadcast live on television.',
    'Many families said they had returned to their villages only recently after years of displacement.',
    'The new timetable will add evening services on the busiest routes from next month.',
    'Economists noted that oil revenue still accounts for the overwhelming majority of state income.',
    'The festival programme includes readings, concerts and workshops for children.',
    'Police said the road would remain closed to heavy vehicles until the bridge inspection was complete.',
    'Medical students volunteered at mobile clinics set up in the outskirts of the city.',
    'The minister promised that salaries would be paid on time despite the delay in transfers.',
    'Shop owners along the corniche reported their busiest weekend since the spring holidays.',
    'Independent monitors said the count had been orderly, though turnout varied between provinces.',
    'The library has digitised thousands of manuscripts that were once at risk of being lost.',
];

function paragraph(rnd, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
        out.push(SENTENCES[Math.floor(rnd() * SENTENCES.length)]);
    }
    return out.join(' ');
}

// ---------- content plan ----------
const USERS = [
    {key: 'layla', name: 'Layla Hassan', email: 'layla.hassan@example.com', password: 'LaylaHassan!2025pw', role: 'Editor',
        bio: 'Senior editor covering politics and parliament from Baghdad.', location: 'Baghdad', website: 'https://example.com/layla-hassan'},
    {key: 'omar', name: 'Omar Khalid', email: 'omar.khalid@example.com', password: 'OmarKhalid!2025pw', role: 'Author',
        bio: 'Reporter based in Basra, writing about energy, trade and the Gulf.', location: 'Basra', website: 'https://example.com/omar-khalid'},
    {key: 'sara', name: 'Sara Ahmed', email: 'sara.ahmed@example.com', password: 'SaraAhmed!2025pw', role: 'Author',
        bio: 'Culture and society correspondent in Mosul.', location: 'Mosul', website: 'https://example.com/sara-ahmed'},
    {key: 'dara', name: 'Dara Aziz', email: 'dara.aziz@example.com', password: 'DaraAziz!2025pw', role: 'Author',
        bio: 'Sports writer and photographer in the Kurdistan Region.', location: 'Erbil, Kurdistan Region', website: 'https://example.com/dara-aziz'},
];

const TAGS = [
    {slug: 'news', name: 'News', description: 'Breaking and daily news from Iraq and the Kurdistan Region.', image: true},
    {slug: 'politics', name: 'Politics', description: 'Parliament, government and elections.', image: true},
    {slug: 'economy', name: 'Economy', description: 'Budgets, oil, trade and jobs.'},
    {slug: 'culture', name: 'Culture', description: 'Books, music, heritage and the arts.', image: true},
    {slug: 'sports', name: 'Sports'},
    {slug: 'world', name: 'World'},
    {slug: 'energy', name: 'Energy', description: 'Electricity, oil and gas, and renewables.'},
    {slug: 'opinion', name: 'Opinion'},
];
const INTERNAL_TAG = {slug: 'hash-internal', name: '#internal', description: 'Internal tag (not shown publicly).'};

const TITLES = [
    'Parliament passes long-awaited water management law',
    'Basra port records busiest month on record',
    'Erbil marathon draws runners from twelve countries',
    'Members briefing: inside the budget negotiations',
    'New metro feasibility study presented in Baghdad',
    'Mosul old city reconstruction reaches halfway mark',
    'Iraq and Jordan sign electricity interconnection deal',
    'مهرجان الكتاب في أربيل يستقبل آلاف الزوار',
    'Farmers in Diyala adapt to a third dry year',
    'Paid analysis: what the oil price slump means for salaries',
    'Oil & gas: Basra\'s "new" fields and the road to 2030',
    'National team names squad for regional championship',
    'How we verify casualty figures',
    'Sulaymaniyah film week opens with local premiere',
    'Grid operators prepare for record summer demand',
    'Provincial councils hold first joint session',
    'Dates harvest rebounds in the south',
    'Members only: reporter notebook from the border crossings',
    'University entrance results published online',
    'Kirkuk football club secures promotion',
    'Central bank keeps exchange rate unchanged',
    'Heritage experts restore minaret tiles',
    'Turkey and Iraq discuss river flows',
    'Solar plant near Najaf begins test operations',
    'Opinion: the case for a national transport plan',
    'Election commission publishes voter register update',
    'Startups in Baghdad look for early-stage funding',
    'Basra corniche redevelopment approved',
    'Kurdistan Region schools adopt new curriculum',
    'Volleyball league returns after two-year pause',
    'Foreign ministers meet in Baghdad on regional security',
    'Rail link to the Gulf moves to design phase',
    'Mosul university library reopens its manuscript hall',
    'Wheat procurement target reached early',
    'Opinion: why local newsrooms matter',
    'Ramadi bridge reopens to traffic',
    'Gas flaring reduction project signs new contract',
    'Babylon festival returns with international artists',
    'Health ministry launches vaccination campaign',
    'Dohuk dam levels rise after spring rains',
    'Cabinet approves public sector hiring plan',
    'Weightlifter wins gold at Asian championships',
    'Border crossing with Iran extends opening hours',
    'Tech hub opens in Erbil with 40 startups',
    'Marshlands tourism sees steady growth',
    'Opinion: the promise and limits of the new budget',
    'Baghdad book street hosts poetry night',
    'Refinery upgrade in Baiji nears completion',
    'Ministry unveils plan to digitise civil records',
    'Halabja commemorates anniversary with peace concert',
    'Karbala prepares for pilgrimage season',
    'Iraq Stars League season kicks off',
    'Customs reforms aim to cut clearance times',
    'Nineveh plains families return to rebuilt villages',
    'Opinion: water diplomacy needs a regional framework',
    'Kut barrage maintenance completed ahead of schedule',
];

const ARABIC_HTML = [
    '<p>افتتح معرض أربيل الدولي للكتاب أبوابه يوم السبت بمشاركة واسعة من دور النشر العربية والكردية، وسط إقبال كبير من العائلات والطلاب.</p>',
    '<h2>برنامج ثقافي متنوع</h2>',
    '<p>يتضمن برنامج المعرض ندوات أدبية وأمسيات شعرية وورش عمل للأطفال، إضافة إلى توقيع عشرات الإصدارات الجديدة.</p>',
    '<blockquote>قال أحد المنظمين إن المعرض أصبح موعداً سنوياً ينتظره القراء من جميع المحافظات.</blockquote>',
    '<ul><li>أكثر من ثلاثمئة دار نشر</li><li>أجنحة خاصة لكتب الأطفال</li><li>تخفيضات على الكتب الجامعية</li></ul>',
    '<p>ويستمر المعرض عشرة أيام، ويفتح أبوابه يومياً من العاشرة صباحاً حتى التاسعة مساءً. لمزيد من المعلومات يمكن زيارة <a href="https://example.com/erbil-book-fair">الموقع الرسمي للمعرض</a>.</p>',
].join('\n');

function plan() {
    // i = 0 is the newest post.
    const posts = [];
    const base = Date.UTC(2025, 9, 30, 9, 0, 0); // 2025-10-30 09:00 UTC
    const pool = ['politics', 'economy', 'culture', 'sports', 'world', 'energy', 'opinion'];
    const others = ['layla', 'sara', 'dara', 'desk'];
    for (let i = 0; i < TITLES.length; i++) {
        const rnd = mulberry32(1000 + i);
        let published = base - i * 4 * 86400000 - ((i * 37) % 180) * 60000;
        if (i === 20) {
            // 22:30 UTC = 01:30 next day in Asia/Baghdad
            published = Date.UTC(2025, 7, 19, 22, 30, 0);
        }
        const second = pool[i % pool.length];
        let tags = i % 2 === 0 ? ['news', second] : (i % 8 === 1 ? [second, 'news'] : [second]);
        if (/^Opinion:/.test(TITLES[i])) {
            tags = ['opinion'];
        }
        if (i === 12) {
            tags = ['hash-internal', 'politics'];
        }
        if (i === 7) {
            tags = ['culture', 'news'];
        }
        let authors = i % 2 === 1 ? ['omar'] : [others[(i / 2) % others.length]];
        if (i % 9 === 4) {
            authors.push(authors[0] === 'layla' ? 'sara' : 'layla');
        }
        if (i === 22) {
            authors = ['layla', 'omar', 'dara'];
        }
        const p = {
            i,
            title: TITLES[i],
            status: 'published',
            published_at: new Date(published).toISOString(),
            tags,
            authors,
            featured: [1, 6, 30].includes(i),
            visibility: [3, 17].includes(i) ? 'members' : (i === 9 ? 'paid' : 'public'),
            feature_image: i % 5 !== 2,
            custom_excerpt: i % 3 !== 0 ? `${TITLES[i].replace(/^(Opinion|Members only|Paid analysis|Members briefing): /, '')}: a summary for readers in a hurry.` : null,
            long: [0, 5, 14, 40].includes(i),
            medium: i % 7 === 3 && ![0, 5, 14, 40].includes(i),
            body_image: i % 4 === 0,
            arabic: i === 7,
            rnd,
        };
        if (p.arabic) {
            p.custom_excerpt = 'معرض أربيل الدولي للكتاب يفتتح بمشاركة واسعة.';
        }
        posts.push(p);
    }
    // scheduled + draft
    posts.push({i: 100, title: 'Preview: the 2027 budget debate', slug: 'preview-the-2027-budget-debate', status: 'scheduled', published_at: '2027-01-15T09:00:00.000Z',
        tags: ['economy', 'politics'], authors: ['layla'], featured: false, visibility: 'public', feature_image: true, custom_excerpt: null, long: false, body_image: false, arabic: false, rnd: mulberry32(2100)});
    posts.push({i: 101, title: 'Notes on the water-sharing talks', slug: 'notes-on-the-water-sharing-talks', status: 'draft', published_at: null,
        tags: ['world'], authors: ['sara'], featured: false, visibility: 'public', feature_image: false, custom_excerpt: null, long: false, body_image: false, arabic: false, rnd: mulberry32(2101)});
    return posts;
}

function bodyHtml(p, bodyImageUrl) {
    if (p.arabic) {
        return ARABIC_HTML;
    }
    const rnd = p.rnd;
    const parts = [];
    parts.push(`<p>BAGHDAD - ${paragraph(rnd, 3)}</p>`);
    parts.push(`<p>${paragraph(rnd, 4)}</p>`);
    parts.push('<h2>Background</h2>');
    parts.push(`<p>${paragraph(rnd, 3)} More details are available in <a href="https://example.com/reports/${p.i}">the full report</a>.</p>`);
    if (p.body_image && bodyImageUrl) {
        parts.push(`<figure class="kg-card kg-image-card kg-card-hascaption"><img src="${bodyImageUrl}" class="kg-image" alt="Illustration for ${p.title.replace(/[&"<>]/g, '')}" loading="lazy"><figcaption>Photo: The New Region archive, image ${p.i}.</figcaption></figure>`);
    }
    parts.push('<h3>Key points</h3>');
    parts.push(`<ul><li>${SENTENCES[(p.i * 3) % SENTENCES.length]}</li><li>${SENTENCES[(p.i * 3 + 1) % SENTENCES.length]}</li><li>${SENTENCES[(p.i * 3 + 2) % SENTENCES.length]}</li></ul>`);
    if (p.i % 3 === 1) {
        parts.push(`<blockquote>${SENTENCES[(p.i * 7) % SENTENCES.length]}</blockquote>`);
    }
    if (p.i % 6 === 5) {
        parts.push(`<ol><li>${SENTENCES[(p.i + 4) % SENTENCES.length]}</li><li>${SENTENCES[(p.i + 5) % SENTENCES.length]}</li></ol>`);
    }
    parts.push(`<p>${paragraph(rnd, 3)}</p>`);
    if (p.long) {
        let sec = 1;
        while (parts.join(' ').split(/\s+/).length < 2300) {
            parts.push(`<h2>Part ${sec}: what comes next</h2>`);
            for (let k = 0; k < 4; k++) {
                parts.push(`<p>${paragraph(rnd, 6)}</p>`);
            }
            if (sec % 2 === 0) {
                parts.push(`<h3>On the ground</h3>`);
                parts.push(`<blockquote>${paragraph(rnd, 2)}</blockquote>`);
            }
            sec++;
        }
    }
    if (p.medium) {
        while (parts.join(' ').split(/\s+/).length < 750) {
            parts.push(`<p>${paragraph(rnd, 5)}</p>`);
        }
    }
    parts.push(`<p>${paragraph(rnd, 2)}</p>`);
    return parts.join('\n');
}

// ---------- main ----------
async function main() {
    fs.mkdirSync(path.join(OUT, 'generated-images'), {recursive: true});

    // 1. setup
    console.log('setup: owner and settings');
    const isSetup = await api('GET', '/authentication/setup/');
    if (isSetup.setup[0].status) {
        throw new Error('Ghost is already set up; this script needs a fresh install');
    }
    await api('POST', '/authentication/setup/', {setup: [{name: OWNER.name, email: OWNER.email, password: OWNER.password, blogTitle: 'The New Region'}]});
    await api('POST', '/session/', {username: OWNER.email, password: OWNER.password});
    await api('PUT', '/settings/', {settings: [
        {key: 'description', value: 'A news outlet covering Iraq and the Middle East.'},
        {key: 'timezone', value: 'Asia/Baghdad'},
    ]});

    // 2. integration (Content + Admin API keys)
    const integ = await api('POST', '/integrations/?include=api_keys,webhooks', {integrations: [{name: 'Fixture capture'}]});
    const keys = {};
    for (const k of integ.integrations[0].api_keys) {
        keys[k.type] = k.type === 'admin' && !k.secret.includes(':') ? `${k.id}:${k.secret}` : k.secret;
    }
    fs.writeFileSync(path.join(OUT, 'keys.json'), JSON.stringify(keys, null, 2) + '\n');

    // 3. images
    console.log('images: generating and uploading 42 placeholders');
    let seed = 1;
    const imgs = {};
    for (let n = 0; n < 24; n++) {
        const f = await makeImage(`img${n}.jpg`, 1200, 800, seed++, 'jpg');
        imgs[`img${n}`] = await upload(f, 'image');
    }
    for (let n = 0; n < 8; n++) {
        const f = await makeImage(`body${n}.jpg`, 1000, 600, seed++, 'jpg');
        imgs[`body${n}`] = await upload(f, 'image');
    }
    for (const u of ['editorial-desk', 'layla-hassan', 'omar-khalid', 'sara-ahmed', 'dara-aziz']) {
        const f = await makeImage(`${u}.png`, 400, 400, seed++, 'png');
        imgs[u] = await upload(f, 'profile_image');
    }
    {
        const f = await makeImage('cover-layla-hassan.jpg', 1600, 600, seed++, 'jpg');
        imgs['cover-layla'] = await upload(f, 'image');
    }
    for (const t of ['tag-news', 'tag-politics', 'tag-culture', 'page-editorial-standards']) {
        const f = await makeImage(`${t}.jpg`, 1200, 600, seed++, 'jpg');
        imgs[t] = await upload(f, 'image');
    }

    // 4. staff users: owner profile, then invites
    console.log('staff: owner profile and four invited users');
    const me = await api('GET', '/users/me/');
    const ownerId = me.users[0].id;
    const ownerUser = await api('PUT', `/users/${ownerId}/`, {users: [{
        // Ghost shortens a new user's slug to the first word of the name ("editorial"); set the full one, as set A has.
        slug: 'editorial-desk',
        bio: 'The editorial desk of The New Region.', location: 'Baghdad', website: 'https://example.com/desk',
        profile_image: imgs['editorial-desk'],
    }]});
    const userIds = {desk: ownerId};
    const userSlugs = {desk: ownerUser.users[0].slug};
    const roles = (await api('GET', '/roles/?permissions=assign')).roles;
    const db = new sqlite3.Database(DB, sqlite3.OPEN_READONLY);
    const getToken = email => new Promise((resolve, reject) => {
        db.get('SELECT token FROM invites WHERE email = ?', [email], (err, row) => (err ? reject(err) : resolve(row && row.token)));
    });
    for (const u of USERS) {
        const role = roles.find(r => r.name === u.role);
        await api('POST', '/invites/', {invites: [{email: u.email, role_id: role.id}]});
        const token = await getToken(u.email);
        const enc = token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        const saved = cookie;
        cookie = '';
        await api('POST', '/authentication/invitation/', {invitation: [{token: enc, email: u.email, name: u.name, password: u.password}]});
        cookie = saved;
        const found = await api('GET', `/users/email/${encodeURIComponent(u.email)}/`);
        const id = found.users[0].id;
        const edit = {slug: u.name.toLowerCase().replace(' ', '-'), bio: u.bio, location: u.location, website: u.website, profile_image: imgs[u.name.toLowerCase().replace(' ', '-')]};
        if (u.key === 'layla') {
            edit.cover_image = imgs['cover-layla'];
            edit.twitter = '@laylahassan';
            edit.facebook = 'laylahassan.news';
        }
        const r = await api('PUT', `/users/${id}/`, {users: [edit]});
        userIds[u.key] = id;
        userSlugs[u.key] = r.users[0].slug;
    }
    db.close();

    // 5. tags
    console.log('tags');
    const tagIds = {};
    for (const t of [...TAGS, INTERNAL_TAG]) {
        const body = {name: t.name};
        if (t.description) {
            body.description = t.description;
        }
        if (t.image) {
            body.feature_image = imgs[`tag-${t.slug}`];
        }
        // Ghost's fixtures already contain a "News" tag (slug news): reuse and edit it instead of creating news-2.
        let existing = null;
        try {
            existing = (await api('GET', `/tags/slug/${t.slug}/`)).tags[0];
        } catch (e) {
            existing = null;
        }
        const r = existing
            ? await api('PUT', `/tags/${existing.id}/`, {tags: [{...body, updated_at: existing.updated_at}]})
            : await api('POST', '/tags/', {tags: [body]});
        tagIds[t.slug] = r.tags[0].id;
        if (r.tags[0].slug !== t.slug) {
            console.warn(`tag slug ${r.tags[0].slug} != ${t.slug}`);
            tagIds[r.tags[0].slug] = r.tags[0].id;
        }
    }

    // 6. delete the default "Coming soon" post
    try {
        const cs = await api('GET', '/posts/slug/coming-soon/');
        await api('DELETE', `/posts/${cs.posts[0].id}/`);
    } catch (e) {
        console.warn('coming-soon:', e.message);
    }

    // 7. posts, oldest first
    console.log('posts (one dot each)');
    const posts = plan();
    const created = [];
    const order = [...posts].sort((a, b) => {
        const ka = a.published_at || '9999', kb = b.published_at || '9999';
        return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    let fi = 0, bi = 0;
    const featureOf = {}, bodyOf = {};
    for (const p of posts) {
        if (p.feature_image) {
            featureOf[p.i] = imgs[`img${fi++ % 24}`];
        }
        if (p.body_image) {
            bodyOf[p.i] = imgs[`body${bi++ % 8}`];
        }
    }
    for (const p of order) {
        const body = {
            title: p.title,
            html: bodyHtml(p, bodyOf[p.i]),
            status: p.status,
            tags: p.tags.map(s => ({id: tagIds[s]})),
            authors: p.authors.map(a => ({id: userIds[a]})),
            featured: p.featured,
            visibility: p.visibility,
        };
        if (p.slug) {
            body.slug = p.slug;
        }
        if (p.published_at) {
            body.published_at = p.published_at;
        }
        if (p.custom_excerpt) {
            body.custom_excerpt = p.custom_excerpt;
        }
        if (featureOf[p.i]) {
            body.feature_image = featureOf[p.i];
            if (p.i % 2 === 0) {
                body.feature_image_alt = `Feature image for ${p.title}`;
                body.feature_image_caption = p.i === 0
                    ? 'Photo: <a href="https://example.com/photos">The New Region</a> / staff'
                    : 'Photo: The New Region staff.';
            }
        }
        const r = await api('POST', '/posts/?source=html', {posts: [body]});
        const rp = r.posts[0];
        created.push({
            i: p.i, slug: rp.slug, title: rp.title, status: rp.status, published_at: rp.published_at,
            authors: rp.authors.map(a => a.slug), tags: rp.tags.map(t => t.slug), visibility: rp.visibility,
            featured: rp.featured, feature_image: !!rp.feature_image, custom_excerpt: !!rp.custom_excerpt,
            long: p.long, medium: !!p.medium, body_image: p.body_image, arabic: p.arabic, reading_time: rp.reading_time,
        });
        process.stdout.write('.');
    }
    process.stdout.write('\n');

    // 8. pages: rewrite default "about", add two more
    console.log('pages');
    const pages = [];
    const about = await api('GET', '/pages/slug/about/');
    const ap = about.pages[0];
    const aboutR = await api('PUT', `/pages/${ap.id}/?source=html`, {pages: [{
        title: 'About',
        html: '<p>The New Region is an independent news outlet covering Iraq, the Kurdistan Region and the wider Middle East.</p>\n<h2>Our newsroom</h2>\n<p>Our reporters work from Baghdad, Erbil, Basra and Mosul.</p>\n<ul><li>Daily news</li><li>Analysis and opinion</li><li>Culture and sport</li></ul>',
        updated_at: ap.updated_at,
    }]});
    pages.push({slug: aboutR.pages[0].slug, title: 'About', note: 'Ghost default page, rewritten'});
    const contact = await api('POST', '/pages/?source=html', {pages: [{
        title: 'Contact', status: 'published', authors: [{id: ownerId}],
        html: '<p>Write to the newsroom at <a href="mailto:editor@example.com">editor@example.com</a>.</p>\n<h2>Tips</h2>\n<p>We read every message. For sensitive tips, please ask for a secure channel.</p>',
    }]});
    pages.push({slug: contact.pages[0].slug, title: 'Contact', note: 'no feature image'});
    const std = await api('POST', '/pages/?source=html', {pages: [{
        title: 'Editorial Standards', status: 'published', authors: [{id: userIds.layla}],
        feature_image: imgs['page-editorial-standards'], custom_excerpt: 'How we report, verify and correct.',
        html: '<p>Accuracy comes first. We correct mistakes openly.</p>\n<h2>Verification</h2>\n<p>' + SENTENCES.slice(0, 6).join(' ') + '</p>\n<h3>Corrections</h3>\n<ol><li>We mark every correction.</li><li>We keep the original date.</li></ol>\n<blockquote>Report what you can verify, and say what you cannot.</blockquote>',
    }]});
    pages.push({slug: std.pages[0].slug, title: 'Editorial Standards', note: 'feature image, custom excerpt, author layla-hassan'});

    const manifest = {users: userSlugs, tags: Object.keys(tagIds), posts: created, pages, images: imgs, keys};
    fs.writeFileSync(path.join(OUT, 'build-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    console.log(`created ${created.length} posts, ${pages.length} pages`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
