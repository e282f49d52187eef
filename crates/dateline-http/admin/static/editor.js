// The story editor. Rules it keeps:
// - nothing typed is lost: every change is copied to localStorage at once, and the copy is
//   only marked clean after the server has it, so a reload, a crash or a failed save restores
//   the text;
// - drafts autosave to the server a few seconds after typing stops and when a field loses
//   focus; published and scheduled stories change on the site only through Update, after a
//   confirmation;
// - a save always carries the `updated_at` this page last saw, so when someone else saved in
//   between the server refuses (409) and the editor says so instead of overwriting;
// - a session that ends while typing (signed out elsewhere, expired) loses nothing: the text is
//   kept in this browser, and once the person has signed in again in another tab the editor
//   takes the new session's CSRF token and saves, without a reload.
(() => {
  'use strict';
  const form = document.getElementById('editor');
  if (!form) return;
  let csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const title = $('title');
  const body = $('body');
  const notice = $('notice');
  const saveState = $('save-state');
  const authorsList = $('authors');
  const publishedInput = form.elements.published_at;
  const AUTOSAVE_MS = 3000;

  let id = form.dataset.id || null;
  let updatedAt = form.dataset.updatedAt || null;
  const status = form.dataset.status;
  let dirty = false;
  let saving = null;
  let conflict = false;
  let autosaveTimer = null;
  let signedOut = false;

  // ── helpers ────────────────────────────────────────────────────────────────────────────
  const pad = (n) => String(n).padStart(2, '0');
  const toLocalInput = (iso) => {
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const storeKey = () => `dateline:story:${id || 'new'}`;

  // The server's limit on a request body. A body over it is answered before it is read, and
  // the browser, still sending, may see the connection close rather than that answer: so the
  // editor does not send what the server would refuse, and says why itself.
  const bodyLimit = Number(form.dataset.bodyLimit) || Infinity;

  async function call(method, url, payload) {
    const body = JSON.stringify(payload);
    if (new Blob([body]).size > bodyLimit) return { status: 413, data: null };
    let res;
    try {
      res = await fetch(url, {
        method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body,
      });
    } catch (_) {
      return { status: 0, data: null };
    }
    let data = null;
    try { data = await res.json(); } catch (_) { /* an empty or HTML answer */ }
    return { status: res.status, data };
  }

  function showNotice(html, kind) {
    notice.innerHTML = html;
    notice.className = `notice ${kind || 'error'}`;
    notice.hidden = false;
  }
  const clearNotice = () => { notice.hidden = true; notice.textContent = ''; };
  const megabytes = (text) => (new Blob([text]).size / (1024 * 1024)).toFixed(1);
  const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const errorText = (data) => {
    const e = data && data.errors && data.errors[0];
    if (!e) return 'The server could not save this story.';
    return e.context ? `${e.message} ${e.context}` : e.message;
  };

  // ── what the person typed ─────────────────────────────────────────────────────────────
  if (publishedInput.dataset.value) publishedInput.value = toLocalInput(publishedInput.dataset.value);
  const initialPublishedInput = publishedInput.value;

  function snapshot() {
    const s = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      s[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    }
    s.authors = [...authorsList.children].map((li) => ({ id: li.dataset.id, name: li.querySelector('span').textContent }));
    return s;
  }

  function restore(s) {
    for (const el of form.elements) {
      if (!el.name || !(el.name in s)) continue;
      if (el.type === 'checkbox') el.checked = !!s[el.name]; else el.value = s[el.name];
    }
    if (Array.isArray(s.authors) && s.authors.length) {
      authorsList.replaceChildren(...s.authors.map((a) => authorItem(a.id, a.name)));
    }
    showFeature(s.feature_image);
  }

  /// Removes this browser's copies of other stories that the server already has, to make room.
  function dropCleanCopies() {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('dateline:story:') || key === storeKey()) continue;
      try {
        if (!JSON.parse(localStorage.getItem(key)).dirty) localStorage.removeItem(key);
      } catch (_) { localStorage.removeItem(key); }
    }
  }

  function keepLocally() {
    const kept = JSON.stringify({ base: updatedAt, dirty, snap: snapshot() });
    try {
      localStorage.setItem(storeKey(), kept);
    } catch (_) {
      // Full (a few long stories fill the browser's few MB): copies the server already has
      // go first. Disabled storage leaves the server copy as all there is.
      try { dropCleanCopies(); localStorage.setItem(storeKey(), kept); } catch (__) { /* nothing more to free */ }
    }
  }

  /// The story in Ghost's Admin API shape, with `change` applied (`status`, `published_at`).
  function toGhost(s, change) {
    const names = [s.section, ...String(s.tags || '').split(',')].map((t) => t.trim()).filter(Boolean);
    const tags = [...new Set(names)];
    let publishedAt;
    if (s.published_at === initialPublishedInput && publishedInput.dataset.value) {
      publishedAt = publishedInput.dataset.value; // untouched: keep the stored second
    } else {
      publishedAt = s.published_at ? new Date(s.published_at).toISOString() : null;
    }
    const post = {
      title: s.title,
      markdown: s.markdown,
      slug: s.slug,
      custom_excerpt: s.custom_excerpt,
      dateline: s.dateline,
      feature_image: s.feature_image || null,
      feature_image_alt: s.feature_image_alt,
      feature_image_caption: s.feature_image_caption,
      language: s.language,
      featured: !!s.featured,
      visibility: s.visibility,
      tags,
      authors: s.authors.map((a) => ({ id: a.id })),
      status,
      published_at: publishedAt,
    };
    for (const key of ['meta_title', 'meta_description', 'og_title', 'og_description', 'twitter_title',
      'twitter_description', 'canonical_url', 'codeinjection_head', 'codeinjection_foot']) {
      post[key] = s[key];
    }
    const note = String(s.new_correction || '').trim();
    if (note) {
      const existing = [...document.querySelectorAll('#corrections li')].map((li) => ({
        id: li.dataset.id, note: li.querySelector('.note').textContent,
      }));
      post.corrections = [...existing, { note }];
    }
    if (id) post.updated_at = updatedAt;
    Object.assign(post, change || {});
    return post;
  }

  // ── saving ─────────────────────────────────────────────────────────────────────────────
  function setState(text) { saveState.textContent = text; }

  function markDirty() {
    dirty = true;
    keepLocally();
    if (conflict) return;
    if (status === 'draft') {
      setState('Unsaved changes');
      clearTimeout(autosaveTimer);
      autosaveTimer = setTimeout(() => save(), AUTOSAVE_MS);
    } else {
      setState('Unsaved changes: press Update to publish them');
    }
  }

  /// After the person signed in again (in another tab) this page's CSRF token is the ended
  /// session's; the editor's own page, fetched again, carries the new one. Resolves to whether
  /// there is a new token (none while signed out: the page then redirects to the login).
  async function renewToken() {
    try {
      const res = await fetch(location.pathname, { credentials: 'same-origin' });
      if (!res.ok || res.redirected) return false;
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = page.querySelector('meta[name="csrf-token"]');
      if (!fresh || !fresh.content || fresh.content === csrf) return false;
      csrf = fresh.content;
      return true;
    } catch (_) {
      return false;
    }
  }

  /// Saves to the server; `change` makes it a status change. Resolves to whether it worked.
  async function save(change) {
    if (conflict) return false;
    // A loop, not one wait: two callers waiting on the same save would otherwise both start
    // the next one with the same `updated_at`, and the server would refuse the second as a
    // collision with the first.
    while (saving) await saving;
    if (!change && !dirty) return true;
    if (!id && !change && !title.value.trim() && !body.value.trim()) return true;
    const snap = snapshot();
    const payload = { posts: [toGhost(snap, change)] };
    setState('Saving…');
    saving = (async () => {
      const send = () => (id
        ? call('PUT', `/admin/api/posts/${id}/${sendQuery}`, payload)
        : call('POST', '/admin/api/posts/', payload));
      let { status: code, data } = await send();
      if (code === 403 && await renewToken()) ({ status: code, data } = await send());
      signedOut = code === 401;
      if (code === 200 || code === 201) {
        const p = data.posts[0];
        const wasNew = !id;
        id = p.id;
        updatedAt = p.updated_at;
        if (wasNew) {
          try { localStorage.removeItem('dateline:story:new'); } catch (_) { /* nothing kept */ }
          history.replaceState(null, '', `/admin/posts/${id}/`);
          form.dataset.id = id;
          $('preview-link').href = `/admin/posts/${id}/preview/`;
        }
        if (!form.elements.slug.value) form.elements.slug.value = p.slug;
        dirty = JSON.stringify(snapshot()) !== JSON.stringify(snap);
        keepLocally();
        clearNotice();
        setState(`Saved ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`);
        return true;
      }
      keepLocally();
      if (code === 409) {
        conflict = true;
        setState('Not saved');
        showNotice('Someone else saved this story after you opened it, so your changes were not saved over theirs. '
          + 'Your text is still here and kept in this browser: copy what you need, then '
          + '<a href="">reload</a> to see their version.');
      } else if (code === 401) {
        setState('Not saved');
        showNotice('Your session has ended, so your latest changes are not saved yet. They are kept in this browser. '
          + '<a href="/admin/login/" target="_blank" rel="noopener">Sign in again</a> in a new tab, then come back '
          + 'here: the story is saved as soon as you are signed in (or <a href="">reload this page</a>).');
      } else if (code === 413) {
        setState('Not saved');
        showNotice(`This story is too long to save: about ${megabytes(JSON.stringify(payload))} MB, and the server takes `
          + `up to ${Math.round(bodyLimit / (1024 * 1024))} MB. Your text is still here and kept in this browser; `
          + 'shorten it, or split it into two stories.');
      } else if (code === 0) {
        setState('Offline');
        showNotice('The server could not be reached. Your text is kept in this browser; saving will be tried again.');
      } else {
        setState('Not saved');
        showNotice(escapeHtml(errorText(data)));
      }
      return false;
    })();
    const ok = await saving;
    saving = null;
    if (!ok && !conflict && status === 'draft' && !change) {
      clearTimeout(autosaveTimer);
      autosaveTimer = setTimeout(() => save(), AUTOSAVE_MS * 5);
    }
    return ok;
  }

  form.addEventListener('input', (e) => {
    if (e.target.id === 'add-author' || e.target.type === 'file') return;
    markDirty();
    if (e.target === body || e.target === title) schedulePreview();
  });
  form.addEventListener('change', (e) => {
    if (e.target.type === 'checkbox' || e.target.tagName === 'SELECT') markDirty();
  });
  form.addEventListener('focusout', () => {
    if (dirty && status === 'draft') { clearTimeout(autosaveTimer); save(); }
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  // Back from signing in again in another tab: a draft saves now rather than at the next retry
  // (a published story's changes still wait for Update).
  window.addEventListener('focus', () => {
    if (signedOut && dirty && status === 'draft') { clearTimeout(autosaveTimer); save(); }
  });

  // ── restoring what this browser kept ───────────────────────────────────────────────────
  (() => {
    let kept = null;
    try { kept = JSON.parse(localStorage.getItem(storeKey()) || 'null'); } catch (_) { kept = null; }
    if (!kept || !kept.dirty || !kept.snap) return;
    if (JSON.stringify(kept.snap) === JSON.stringify(snapshot())) return;
    const use = () => {
      restore(kept.snap);
      dirty = true;
      if (status === 'draft') markDirty(); else setState('Unsaved changes: press Update to publish them');
    };
    if (kept.base && updatedAt && Date.parse(kept.base) !== Date.parse(updatedAt)) {
      // Someone saved since this browser's copy was made: the person chooses, nothing is
      // thrown away or saved over silently.
      showNotice('This browser kept text for this story that was never saved, and the story has been saved '
        + 'by someone since. <button type="button" class="link" id="use-kept">Use the kept text</button> '
        + '<button type="button" class="link" id="drop-kept">Discard it</button>', 'info');
      $('use-kept').addEventListener('click', () => { clearNotice(); use(); });
      $('drop-kept').addEventListener('click', () => {
        clearNotice();
        try { localStorage.removeItem(storeKey()); } catch (_) { /* nothing kept */ }
      });
      return;
    }
    use();
    showNotice('Restored text from this browser that had not been saved yet.', 'info');
  })();

  // ── live preview, word count and reading time ──────────────────────────────────────────
  const frame = $('live-preview');
  let previewTimer = null;
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, 300);
  }
  async function renderPreview() {
    const { status: code, data } = await call('POST', '/admin/api/render/', {
      markdown: body.value, has_feature_image: !!form.elements.feature_image.value,
    });
    if (code !== 200) return;
    $('word-count').textContent = `${data.words} ${data.words === 1 ? 'word' : 'words'}`;
    $('reading-time').textContent = `${data.minutes} min read`;
    frame.srcdoc = '<!doctype html><meta charset="utf-8"><base target="_blank"><style>'
      + 'body{font:17px/1.6 Georgia,serif;margin:1rem;color:#1d1d1f}img{max-width:100%;height:auto}'
      + 'h1{font:700 1.8rem/1.2 system-ui,sans-serif}blockquote{border-left:3px solid #ccc;margin:0;padding-left:1rem;color:#555}'
      + `</style><h1>${escapeHtml(title.value)}</h1>${data.html}`;
  }
  $('toggle-preview').addEventListener('click', (e) => {
    const on = e.currentTarget.getAttribute('aria-pressed') !== 'true';
    e.currentTarget.setAttribute('aria-pressed', String(on));
    frame.hidden = !on;
  });
  renderPreview();

  // ── Markdown toolbar and shortcuts ─────────────────────────────────────────────────────
  function replaceSelection(text, selectFrom, selectTo) {
    const start = body.selectionStart;
    body.setRangeText(text, start, body.selectionEnd, 'end');
    if (selectFrom !== undefined) body.setSelectionRange(start + selectFrom, start + selectTo);
    body.focus();
    body.dispatchEvent(new Event('input', { bubbles: true }));
  }
  function wrap(mark, placeholder) {
    const chosen = body.value.slice(body.selectionStart, body.selectionEnd) || placeholder;
    replaceSelection(mark + chosen + mark, mark.length, mark.length + chosen.length);
  }
  function prefixLines(prefix) {
    const start = body.value.lastIndexOf('\n', body.selectionStart - 1) + 1;
    body.setSelectionRange(start, body.selectionEnd);
    const lines = body.value.slice(start, body.selectionEnd).split('\n').map((l) => prefix + l).join('\n');
    replaceSelection(lines);
  }
  function link() {
    const chosen = body.value.slice(body.selectionStart, body.selectionEnd) || 'link text';
    const url = window.prompt('Link to (URL)', 'https://');
    if (!url) return;
    replaceSelection(`[${chosen}](${url})`, 1, 1 + chosen.length);
  }
  const commands = {
    bold: () => wrap('**', 'bold text'),
    italic: () => wrap('_', 'italic text'),
    heading: () => prefixLines('## '),
    quote: () => prefixLines('> '),
    list: () => prefixLines('- '),
    link,
  };
  document.querySelectorAll('[data-md]').forEach((b) => b.addEventListener('click', () => commands[b.dataset.md]()));
  body.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const command = { b: 'bold', i: 'italic', k: 'link' }[e.key.toLowerCase()];
    if (command) { e.preventDefault(); commands[command](); }
  });

  // ── images: upload with progress ───────────────────────────────────────────────────────
  function upload(file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/admin/api/images/');
      xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100)); });
      xhr.addEventListener('load', () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (_) { data = null; }
        if (xhr.status === 201 && data) resolve(data.images[0].url);
        else if (xhr.status === 401) reject(new Error('Your session has ended; sign in again in a new tab, then retry.'));
        else reject(new Error(errorText(data)));
      });
      xhr.addEventListener('error', () => reject(new Error('The upload could not reach the server.')));
      const data = new FormData();
      data.append('file', file);
      xhr.send(data);
    });
  }

  /// Replaces the first `marker` in the body with `text`, leaving the caret where the person is
  /// typing (assigning `value` would throw it to the end).
  function replaceMarker(marker, text) {
    const at = body.value.indexOf(marker);
    if (at >= 0) body.setRangeText(text, at, at + marker.length, 'preserve');
  }

  /// `text` made a block of its own where the caret is: a blank line before and after unless
  /// the body has them already, so an image never lands inside the paragraph it was dropped
  /// by, and at the end the caret waits in a new paragraph.
  function asBlock(text) {
    const before = body.value.slice(0, body.selectionStart);
    const after = body.value.slice(body.selectionEnd);
    const gap = (ends) => (ends('\n\n') ? '' : ends('\n') ? '\n' : '\n\n');
    const lead = before === '' ? '' : gap((s) => before.endsWith(s));
    return lead + text + gap((s) => after.startsWith(s));
  }

  // Each upload's placeholder is its own: pasted images are all called image.png.
  let uploads = 0;
  async function insertImage(file) {
    uploads += 1;
    const marker = `![Uploading ${file.name} (${uploads})…]()`;
    replaceSelection(asBlock(marker));
    const row = document.createElement('div');
    row.className = 'upload';
    row.innerHTML = `<span>${escapeHtml(file.name)}</span> <progress max="100" value="0"></progress>`;
    $('uploads').append(row);
    try {
      const url = await upload(file, (pct) => { row.querySelector('progress').value = pct; });
      replaceMarker(marker, `![](${url})`);
      row.remove();
    } catch (err) {
      replaceMarker(marker, '');
      row.innerHTML = `<span class="error">${escapeHtml(file.name)}: ${escapeHtml(err.message)}</span>`;
    }
    body.dispatchEvent(new Event('input', { bubbles: true }));
  }
  const images = (list) => [...(list || [])].filter((f) => f.type.startsWith('image/'));

  $('body-image').addEventListener('change', (e) => { images(e.target.files).forEach(insertImage); e.target.value = ''; });
  body.addEventListener('dragover', (e) => { if (e.dataTransfer.types.includes('Files')) e.preventDefault(); });
  body.addEventListener('drop', (e) => {
    const files = images(e.dataTransfer.files);
    if (!files.length) return;
    e.preventDefault();
    files.forEach(insertImage);
  });
  body.addEventListener('paste', async (e) => {
    const cd = e.clipboardData;
    // Some browsers list a pasted image only among the items, not the files.
    const files = images(cd.files.length ? cd.files : [...cd.items].filter((i) => i.kind === 'file').map((i) => i.getAsFile()));
    if (files.length) { e.preventDefault(); files.forEach(insertImage); return; }
    if (!cd.types.includes('text/html')) return;
    e.preventDefault();
    const plain = cd.getData('text/plain');
    const { status: code, data } = await call('POST', '/admin/api/paste/', { html: cd.getData('text/html') });
    replaceSelection(code === 200 ? data.markdown : plain);
  });

  // ── feature image ──────────────────────────────────────────────────────────────────────
  function showFeature(url) {
    const img = $('feature-preview');
    if (url) { img.src = url; img.hidden = false; } else { img.removeAttribute('src'); img.hidden = true; }
    $('feature-remove').hidden = !url;
  }
  $('feature-file').addEventListener('change', async (e) => {
    const [file] = images(e.target.files);
    e.target.value = '';
    if (!file) return;
    const bar = $('feature-progress');
    bar.hidden = false;
    try {
      const url = await upload(file, (pct) => { bar.value = pct; });
      form.elements.feature_image.value = url;
      showFeature(url);
      markDirty();
      schedulePreview();
    } catch (err) {
      showNotice(escapeHtml(err.message));
    } finally {
      bar.hidden = true;
      bar.value = 0;
    }
  });
  $('feature-remove').addEventListener('click', () => {
    form.elements.feature_image.value = '';
    showFeature('');
    markDirty();
  });

  // ── authors, in order ──────────────────────────────────────────────────────────────────
  function authorItem(authorId, name) {
    const li = document.createElement('li');
    li.dataset.id = authorId;
    li.innerHTML = `<span>${escapeHtml(name)}</span>`;
    if ($('add-author')) {
      li.insertAdjacentHTML('beforeend', ` <button type="button" class="link" data-author="up" aria-label="Move ${escapeHtml(name)} up">↑</button>`
        + ` <button type="button" class="link" data-author="remove" aria-label="Remove ${escapeHtml(name)}">✕</button>`);
    }
    return li;
  }
  authorsList.addEventListener('click', (e) => {
    const button = e.target.closest('[data-author]');
    if (!button) return;
    const li = button.closest('li');
    if (button.dataset.author === 'up' && li.previousElementSibling) li.previousElementSibling.before(li);
    if (button.dataset.author === 'remove' && authorsList.children.length > 1) li.remove();
    markDirty();
  });
  const addAuthor = $('add-author');
  if (addAuthor) {
    addAuthor.addEventListener('change', () => {
      const option = addAuthor.selectedOptions[0];
      if (option.value && !authorsList.querySelector(`[data-id="${option.value}"]`)) {
        authorsList.append(authorItem(option.value, option.textContent));
        markDirty();
      }
      addAuthor.value = '';
    });
  }

  // ── publish, schedule, unpublish, update: confirmed first ──────────────────────────────
  const dialog = $('confirm');
  function confirmWith(heading, text, askWhen, offerSend) {
    $('confirm-title').textContent = heading;
    $('confirm-text').textContent = text;
    $('confirm-when').hidden = !askWhen;
    $('confirm-ok').textContent = 'Confirm';
    if (newsletterSend) newsletterSend.offer(offerSend ? (askWhen ? 'schedule' : 'publish') : null);
    if (askWhen) {
      const soon = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      $('confirm-at').value = publishedInput.value || toLocalInput(soon);
    }
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }
  const headline = () => `“${title.value.trim() || 'Untitled'}”`;

  // ── sending as a newsletter: the publish dialog's Email choices (story_email.rs) ─────────
  // Editors and above choose publish and send, publish only or send only, the newsletter and
  // the segment; the dialog shows how many subscribers that reaches before anyone confirms,
  // links a preview of the email and sends a test copy. The send itself is the publishing
  // save with `?newsletter=&email_segment=` (kept in `sendQuery` for that one save).
  let sendQuery = '';
  const newsletterSend = (() => {
    const box = $('confirm-send');
    if (!box || form.dataset.maySend !== 'yes') return null;
    const newsletter = $('send-newsletter');
    const segment = $('send-segment');
    const count = $('send-count');
    const ok = $('confirm-ok');
    let verb = 'publish';
    const mode = () => box.querySelector('input[name="send_mode"]:checked').value;
    const okText = () => {
      const m = mode();
      if (m === 'email') return 'Send';
      const base = verb === 'schedule' ? 'Schedule' : 'Publish';
      return m === 'both' ? `${base} and send` : base;
    };
    async function recount() {
      count.textContent = 'Counting subscribers…';
      const q = new URLSearchParams({ newsletter: newsletter.value, segment: segment.value });
      try {
        const res = await fetch(`/admin/api/recipients/?${q}`, { credentials: 'same-origin' });
        const data = await res.json();
        count.textContent = res.ok ? `${data.text}.` : errorText(data);
      } catch (_) {
        count.textContent = 'The number of subscribers could not be counted just now.';
      }
    }
    function sync() {
      box.querySelector('.send-target').hidden = mode() === 'site';
      ok.textContent = okText();
    }
    async function ensureSaved() {
      if (!id || dirty) await save({});
      return Boolean(id);
    }
    box.addEventListener('change', (e) => {
      if (e.target.name === 'send_mode') sync();
      if (e.target === newsletter || e.target === segment) recount();
    });
    $('send-preview').addEventListener('click', async (e) => {
      e.preventDefault();
      if (!await ensureSaved()) return;
      window.open(`/admin/posts/${id}/email/?newsletter=${encodeURIComponent(newsletter.value)}`, '_blank', 'noopener');
    });
    $('send-test').addEventListener('click', async () => {
      const result = $('send-test-result');
      const to = $('send-test-to').value.trim();
      if (!to) { result.textContent = 'Type the address to send the test to.'; return; }
      result.textContent = 'Sending the test…';
      if (!await ensureSaved()) { result.textContent = 'Save the story first.'; return; }
      const { status: code, data } = await call('POST', `/admin/api/posts/${id}/test-email/`, { newsletter: newsletter.value, to });
      result.textContent = (data && data.message) || (code === 0 ? 'The server could not be reached.' : errorText(data));
      result.className = `send-test-result ${code === 200 ? 'ok' : 'failed'}`;
    });
    return {
      /// Shows the choices for 'publish' or 'schedule', or hides them (`null`).
      offer(kind) {
        box.hidden = !kind;
        if (!kind) return;
        verb = kind;
        box.querySelectorAll('[data-label-publish]').forEach((el) => { el.hidden = kind !== 'publish'; });
        box.querySelectorAll('[data-label-schedule]').forEach((el) => { el.hidden = kind !== 'schedule'; });
        sync();
        recount();
      },
      /// Applies the choice to `change` and returns the save's query ('' for the site only).
      apply(change) {
        const m = mode();
        if (m === 'site') return '';
        if (m === 'email') change.email_only = true;
        const q = new URLSearchParams({ newsletter: newsletter.value, email_segment: segment.value });
        return `?${q}`;
      },
    };
  })();
  /// Saves `change` with the dialog's send choice; a failed send leaves the story unsent.
  async function saveAndSend(change) {
    sendQuery = newsletterSend ? newsletterSend.apply(change) : '';
    try { return await save(change); } finally { sendQuery = ''; }
  }
  // ── end of sending as a newsletter ───────────────────────────────────────────────────────

  const actions = {
    save: async () => { dirty = true; await save(); },
    publish: async () => {
      if (!await confirmWith('Publish this story?', `${headline()} will appear on the site at once.`, false, true)) return;
      const change = { status: 'published' };
      if (status === 'scheduled' || !publishedInput.value || new Date(publishedInput.value) > new Date()) {
        change.published_at = new Date().toISOString();
      }
      if (!id && !await save({})) return;
      if (await saveAndSend(change)) location.reload();
    },
    schedule: async () => {
      if (!await confirmWith('Schedule this story?', `${headline()} will be published automatically at the time below.`, true, true)) return;
      const at = $('confirm-at').value;
      if (!at || new Date(at) <= new Date()) { showNotice('Choose a time in the future to schedule the story.'); return; }
      if (!id && !await save({})) return;
      if (await saveAndSend({ status: 'scheduled', published_at: new Date(at).toISOString() })) location.reload();
    },
    review: async () => {
      if (!await confirmWith('Submit for review?', `${headline()} goes to the editors’ review queue. You can keep editing it.`)) return;
      if (!await save()) return;
      const { status: code, data } = await call('POST', `/admin/api/posts/${id}/review/`, {});
      if (code === 200) location.reload(); else showNotice(escapeHtml(errorText(data)));
    },
    unpublish: async () => {
      if (!await confirmWith('Unpublish this story?', `${headline()} will leave the site and go back to drafts.`)) return;
      if (await save({ status: 'draft' })) location.reload();
    },
    update: async () => {
      const live = status === 'published' ? 'Your changes will appear on the site at once.' : 'The scheduled story will be saved with your changes.';
      if (!await confirmWith('Update this story?', live)) return;
      if (await save({})) location.reload();
    },
  };
  document.querySelectorAll('[data-action]').forEach((button) => {
    button.addEventListener('click', async () => {
      if (button.disabled) return;
      document.querySelectorAll('[data-action]').forEach((b) => { b.disabled = true; });
      try { await actions[button.dataset.action](); } finally {
        document.querySelectorAll('[data-action]').forEach((b) => { b.disabled = false; });
      }
    });
  });
  $('preview-link').addEventListener('click', async (e) => {
    if (!id) { e.preventDefault(); if (await save({})) window.open(`/admin/posts/${id}/preview/`, '_blank'); return; }
    if (dirty && status === 'draft') { e.preventDefault(); await save(); window.open(`/admin/posts/${id}/preview/`, '_blank'); }
  });

  // A headline grows with its text instead of scrolling inside one line.
  const fit = () => { title.style.height = 'auto'; title.style.height = `${title.scrollHeight}px`; };
  title.addEventListener('input', fit);
  title.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); body.focus(); } });
  fit();
  if (!dirty) keepLocally();
})();
