// Survei: the public SKM questionnaire (nine elements U1–U9, answers 1–4,
// optional demographics). Validated here first, so a respondent sees every
// problem at once next to its field; the server's 422 errors are shown the
// same way.
import { $, h, replace, api } from '/assets/common.js';

// The regulation's generic wording, used when the server sends none.
const GENERIC_OPTIONS = ['Tidak baik', 'Kurang baik', 'Baik', 'Sangat baik'];

let form;
let units = [];
let questions = [];

// ------------------------------------------------------------------ building

function buildUnits() {
  const box = $('#unit-box');
  if (units.length === 1) {
    replace(box, h('p', {}, h('strong', {}, 'Unit layanan: '), units[0].name));
    return;
  }
  const wanted = new URL(location.href).searchParams.get('unit');
  replace(box, h('div', { class: 'field', style: 'margin-bottom:1rem' },
    h('label', { for: 'unit' }, 'Unit layanan yang Anda gunakan ', h('span', { 'aria-hidden': 'true' }, '*')),
    h('select', { id: 'unit', name: 'unit', required: true, 'aria-describedby': 'err-unit' },
      h('option', { value: '' }, '— pilih unit layanan —'),
      units.map((u) => h('option', { value: u.id, selected: u.id === wanted }, u.name))),
    h('p', { id: 'err-unit', class: 'field-error' })));
}

function buildQuestions() {
  replace($('#questions'), questions.map((q, i) => {
    const name = `u${i + 1}`;
    const options = q.options?.length === 4 ? q.options : GENERIC_OPTIONS;
    return h('fieldset', { id: `q-${name}`, class: 'question', 'aria-describedby': `err-${name}`, 'data-testid': `question-${name}` },
      h('legend', {}, h('span', { class: 'code' }, `${q.code || name.toUpperCase()}. ${q.element || ''}`),
        h('span', { 'aria-hidden': 'true' }, ' *'), h('br'), h('span', { style: 'font-weight:400' }, q.text || '')),
      h('div', { class: 'options' }, options.map((label, k) => h('label', { for: `${name}-${k + 1}` },
        h('input', { type: 'radio', id: `${name}-${k + 1}`, name, value: k + 1, required: true, 'aria-describedby': `err-${name}` }),
        `${k + 1}. ${label}`))),
      h('p', { id: `err-${name}`, class: 'field-error' }));
  }));
}

function fillSelect(id, values) {
  const sel = $(`#${id}`);
  for (const v of values || []) sel.append(h('option', { value: v }, v));
}

// ------------------------------------------------------------------ errors

/** Every field that can be in error: its label for the summary and its controls. */
function fieldInfo(field) {
  const m = /^u([1-9])$/.exec(field);
  if (m) {
    const q = questions[m[1] - 1] || {};
    return {
      label: `${q.code || field.toUpperCase()} ${q.element || ''}`.trim(),
      controls: [...form.querySelectorAll(`input[name="${field}"]`)],
      group: $(`#q-${field}`),
      message: $(`#err-${field}`),
    };
  }
  const labels = { unit: 'Unit layanan', age: 'Usia', gender: 'Jenis kelamin', education: 'Pendidikan', occupation: 'Pekerjaan' };
  const el = $(`#${field}`);
  return {
    label: labels[field] || (field === 'answers' ? 'Jawaban' : 'Formulir'),
    controls: el ? [el] : [],
    group: null,
    message: $(`#err-${field}`),
  };
}

function clearErrors() {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) replace(el, '');
  const box = $('#form-errors');
  replace(box, '');
  box.hidden = true;
}

/** Marks each field, lists them all in the summary, and moves focus to it. */
function showErrors(errors, heading) {
  const items = [];
  for (const { field, message } of errors) {
    const info = fieldInfo(field);
    info.controls.forEach((c) => c.setAttribute('aria-invalid', 'true'));
    info.group?.setAttribute('aria-invalid', 'true');
    if (info.message) replace(info.message, message);
    const target = info.controls[0];
    items.push(h('li', {}, target
      ? h('a', {
        href: `#${target.id}`,
        onclick: (ev) => { ev.preventDefault(); target.focus(); target.scrollIntoView({ block: 'center' }); },
      }, `${info.label}: ${message}`)
      : `${info.label}: ${message}`));
  }
  const box = $('#form-errors');
  replace(box, h('h2', {}, heading), h('ul', {}, items));
  box.hidden = false;
  box.focus();
}

/** Client-side rules: every question answered, age 10–120 when given. */
function validate() {
  const errors = [];
  if (units.length > 1 && !$('#unit').value) errors.push({ field: 'unit', message: 'Pilih unit layanan yang Anda gunakan.' });
  questions.forEach((q, i) => {
    if (!form.querySelector(`input[name="u${i + 1}"]:checked`)) {
      errors.push({ field: `u${i + 1}`, message: 'Pertanyaan ini belum dijawab. Pilih salah satu jawaban.' });
    }
  });
  const age = $('#age').value.trim();
  // A number input that cannot parse its text reports it as badInput with an empty value.
  if ($('#age').validity.badInput) errors.push({ field: 'age', message: 'Usia harus berupa angka.' });
  else if (age && !(/^\d+$/.test(age) && Number(age) >= 10 && Number(age) <= 120)) {
    errors.push({ field: 'age', message: 'Usia harus bilangan bulat antara 10 dan 120 tahun, atau dikosongkan.' });
  }
  return errors;
}

// The server words its errors in English for API clients; the known ones
// are said again in Indonesian for the respondent.
const SERVER_MESSAGES = [
  [/not an answer 1.4/, 'Jawaban harus salah satu dari 1–4.'],
  [/not an age in 10.120/, 'Usia harus antara 10 dan 120 tahun.'],
  [/no element answered/, 'Belum ada pertanyaan yang dijawab.'],
  [/not a surveyed unit/, 'Unit layanan tidak dikenal.'],
  [/at most 100 characters/, 'Paling banyak 100 karakter.'],
  [/in the future/, 'Tanggal tidak boleh di masa depan.'],
];
const inIndonesian = (msg) => (SERVER_MESSAGES.find(([re]) => re.test(msg)) || [null, msg])[1];

// ------------------------------------------------------------------ submit

function body() {
  const answers = questions.map((_, i) => {
    const c = form.querySelector(`input[name="u${i + 1}"]:checked`);
    return c ? Number(c.value) : null;
  });
  const b = { unit: units.length === 1 ? units[0].id : $('#unit').value, answers };
  // Demographics are optional: empty ones are left out, not sent as "".
  for (const k of ['gender', 'education', 'occupation']) {
    const v = $(`#${k}`).value.trim();
    if (v) b[k] = v;
  }
  const age = $('#age').value.trim();
  if (age) b.age = Number(age);
  return b;
}

async function submit(ev) {
  ev.preventDefault();
  clearErrors();
  const thanks = $('#thanks');
  thanks.hidden = true;
  const errors = validate();
  if (errors.length) {
    showErrors(errors, `Ada ${errors.length} isian yang perlu diperbaiki`);
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const res = await api('/api/v1/survey/responses', { method: 'POST', body: body() });
    form.reset();
    replace(thanks, h('strong', {}, 'Terima kasih! '), 'Jawaban Anda telah kami terima.',
      res?.respondent_id ? h('span', { class: 'muted' }, ` Nomor tanda terima: ${res.respondent_id}.`) : '');
    thanks.hidden = false;
    thanks.focus();
    thanks.scrollIntoView({ block: 'center' });
  } catch (e) {
    if (e.status === 422 && Array.isArray(e.body?.errors)) {
      const errs = e.body.errors.map((x) => (typeof x === 'string'
        ? { field: 'body', message: inIndonesian(x) }
        : { field: x.field, message: inIndonesian(String(x.message)) }));
      showErrors(errs, 'Jawaban belum tersimpan: periksa isian berikut');
    } else if (e.status === 429) {
      showErrors([{ field: 'body', message: 'Terlalu banyak pengiriman dari perangkat ini. Silakan coba lagi dalam satu menit.' }], 'Jawaban belum tersimpan');
    } else {
      showErrors([{ field: 'body', message: e.message }], 'Jawaban belum tersimpan');
    }
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ start

form = $('#survey-form');
try {
  const f = await api('/api/v1/survey/form');
  units = f?.units || [];
  questions = f?.questions || [];
  if (!units.length || questions.length !== 9) throw new Error('Survei belum dibuka untuk unit mana pun.');
  buildUnits();
  buildQuestions();
  fillSelect('gender', f.genders);
  fillSelect('education', f.educations);
  form.addEventListener('submit', submit);
  document.body.dataset.state = 'ready';
} catch (e) {
  form.hidden = true;
  const box = $('#form-errors');
  replace(box, h('h2', {}, 'Formulir tidak dapat dimuat'), h('p', {}, e.message));
  box.hidden = false;
  document.body.dataset.state = 'error';
}
