// Masuk: signs in with an account's name and password (a session cookie
// the browser keeps, HttpOnly), then goes back to the page that sent here.
import { $, replace, api, loadSession } from '/assets/common.js';

/** Where to go after signing in: a path on this site only (never `//host`). */
function nextPath() {
  const next = new URL(location.href).searchParams.get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/masuk') ? next : '/';
}

const form = $('#sign-in');
const err = $('#sign-in-error');

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const name = form.elements.name.value.trim();
  const password = form.elements.password.value;
  for (const f of [form.elements.name, form.elements.password]) f.removeAttribute('aria-invalid');
  if (!name || !password) {
    const bad = !name ? form.elements.name : form.elements.password;
    bad.setAttribute('aria-invalid', 'true');
    replace(err, !name ? 'Nama akun wajib diisi.' : 'Kata sandi wajib diisi.');
    bad.focus();
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  replace(err, '');
  try {
    await api('/api/v1/session', { method: 'POST', body: { name, password } });
    location.assign(nextPath());
  } catch (e) {
    form.elements.password.value = '';
    form.elements.password.setAttribute('aria-invalid', 'true');
    replace(err, e.status === 401 ? 'Nama akun atau kata sandi salah.' : `Tidak dapat masuk: ${e.message}`);
    form.elements.password.focus();
    button.disabled = false;
  }
});

const s = await loadSession();
if (s.account?.name) {
  const box = $('#signed-in');
  replace(box, `Anda sudah masuk sebagai ${s.account.name} (${s.account.role_label || s.account.role}).`);
  box.hidden = false;
}
form.elements.name.focus();
document.body.dataset.state = 'ready';
