// Every page's forms: a double click or an impatient second press must not post a form twice
// (a second setup, a second sign-in racing the first). The first submit goes; later ones wait
// for the page it leads to, or for a few seconds if the browser stays.
document.addEventListener('submit', (e) => {
  const form = e.target;
  if (form.method !== 'post' || e.defaultPrevented) return;
  if (form.dataset.sent) { e.preventDefault(); return; }
  form.dataset.sent = 'yes';
  setTimeout(() => { delete form.dataset.sent; }, 8000);
});
