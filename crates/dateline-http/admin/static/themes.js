// The theme upload with a progress bar. Without this script the form posts as it is and the
// answer is a whole page; with it the same form goes by XMLHttpRequest (fetch cannot report
// upload progress) and the answer page's <main> takes the place of this one's.
document.addEventListener('submit', (e) => {
  const form = e.target;
  if (form.id !== 'theme-upload') return;
  e.preventDefault();
  const bar = form.querySelector('.upload-progress');
  const status = form.querySelector('.upload-status');
  const button = form.querySelector('button[type=submit]');
  const xhr = new XMLHttpRequest();
  xhr.open('POST', form.action);
  xhr.responseType = 'document';
  xhr.upload.addEventListener('progress', (p) => {
    if (!p.lengthComputable) return;
    const percent = Math.round((p.loaded / p.total) * 100);
    bar.value = percent;
    status.textContent = percent < 100 ? `Uploading… ${percent}%` : 'Checking the theme…';
  });
  xhr.addEventListener('load', () => {
    const main = xhr.response && xhr.response.querySelector('main');
    if (!main) {
      status.textContent = `The upload failed (${xhr.status}). Reload the page and try again.`;
      button.disabled = false;
      return;
    }
    document.querySelector('main').replaceWith(main);
    const outcome = document.getElementById('theme-outcome');
    if (outcome) outcome.focus();
  });
  xhr.addEventListener('error', () => {
    status.textContent = 'The upload did not reach the server. Check the connection and try again.';
    button.disabled = false;
    bar.hidden = true;
  });
  bar.hidden = false;
  bar.value = 0;
  button.disabled = true;
  status.textContent = 'Uploading…';
  xhr.send(new FormData(form));
});
