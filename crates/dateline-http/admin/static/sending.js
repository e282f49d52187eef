// Keeps a send's progress (templates/email_progress.html) current while it is sending: polls
// /admin/api/emails/{id}/ and fills in the counts and the bar. Without this script the block
// is a plain snapshot with a Refresh link.
(() => {
  'use strict';
  const POLL_MS = 1500;
  const STATUS = { sending: 'Sending…', sent: 'Sent', cancelled: 'Cancelled' };

  function follow(block) {
    const id = block.dataset.emailId;
    const field = (name) => block.querySelector(`[data-field="${name}"]`);
    async function tick() {
      let data = null;
      try {
        const res = await fetch(`/admin/api/emails/${id}/`, { credentials: 'same-origin' });
        if (res.ok) data = await res.json();
      } catch (_) { /* offline for a moment: try again */ }
      if (data && data.email) {
        const e = data.email;
        for (const key of ['total', 'queued', 'sent', 'failed', 'bounced', 'cancelled', 'percent']) {
          const el = field(key);
          if (el) el.textContent = String(e[key]);
        }
        const bar = field('bar');
        if (bar) { bar.value = e.percent; bar.textContent = `${e.percent} %`; }
        field('status-text').textContent = STATUS[e.status] || e.status;
        if (!e.sending) {
          block.dataset.sending = 'no';
          const cancel = block.querySelector('.send-cancel');
          if (cancel) cancel.remove();
          const refresh = field('refresh');
          if (refresh) refresh.textContent = 'Details';
          return;
        }
      }
      setTimeout(tick, POLL_MS);
    }
    setTimeout(tick, POLL_MS);
  }

  document.querySelectorAll('.send-progress[data-sending="yes"]').forEach(follow);
})();
