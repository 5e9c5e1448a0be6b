// Isu: a period's issues ranked by their points of the negative
// percentage; each opens its stories (syndicated copies grouped), each
// story its outlets and a link. An analyst (signed in, or with the review
// token of Artikel) renames an issue or merges it into another here.
import {
  $, h, replace, api, qs, initEntity, fmtPct, fmtInt, fmtNum, fmtDay, periodPage, periodLabel,
  loadSession, authed, byField,
} from '/assets/common.js';

let entity;
let currentPeriod;

const points = (p) => (p == null ? '—' : `+${fmtNum(p, 1)} poin`);

function tones(t) {
  return h('span', { class: 'tones' },
    h('span', { class: 'sentiment-negative' }, `${fmtInt(t.negative)} negatif`), ' · ',
    `${fmtInt(t.neutral)} netral`, ' · ',
    h('span', { class: 'sentiment-positive' }, `${fmtInt(t.positive)} positif`));
}

function storyItem(s) {
  return h('li', { 'data-testid': 'story', 'data-story': s.id },
    s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title) : s.title,
    h('span', { class: 'muted' }, ` — ${fmtInt(s.articles.length)} berita: ${s.outlets.join(', ')}`),
    ' ', tones(s.sentiment));
}

/**
 * Rename, merge and split controls of one issue; `others` are the page's
 * other issues, `mine` its stories.
 */
function editForm(issue, others, mine) {
  const nameId = `name-${issue.id}`;
  const intoId = `into-${issue.id}`;
  const storyId = `split-story-${issue.id}`;
  const newNameId = `split-name-${issue.id}`;
  const name = h('input', { id: nameId, type: 'text', maxlength: 120, value: issue.label, 'data-testid': 'issue-name' });
  const into = h('select', { id: intoId, 'data-testid': 'issue-merge-into' },
    h('option', { value: '' }, '— pilih isu —'),
    others.map((o) => h('option', { value: o.id }, `${o.label} (${fmtInt(o.stories)} cerita)`)));
  const err = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'issue-error' });
  const pick = h('select', { id: storyId, 'data-testid': 'issue-split-story' },
    h('option', { value: '' }, '— pilih cerita —'),
    mine.map((st) => h('option', { value: st.id }, st.title)));
  const newName = h('input', { id: newNameId, type: 'text', maxlength: 120, 'data-testid': 'issue-split-name' });
  const send = async (body, said, buttons, path = `/api/v1/issues/${encodeURIComponent(issue.id)}`, method = 'PATCH') => {
    replace(err, '');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await api(path, { method, auth: true, body: { entity: entity.id, ...byField(), ...body } });
      await show(currentPeriod, false, said);
    } catch (e) {
      replace(err, `Tidak tersimpan: ${e.message}`);
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  const rename = h('button', { type: 'button', 'data-testid': 'issue-rename' }, 'Simpan nama');
  const merge = h('button', { type: 'button', class: 'secondary', 'data-testid': 'issue-merge' }, 'Gabungkan');
  const split = h('button', { type: 'button', class: 'secondary', 'data-testid': 'issue-split' }, 'Pisahkan');
  const buttons = [rename, merge, split];
  rename.addEventListener('click', () => {
    const v = name.value.trim();
    if (!v) { replace(err, 'Nama isu tidak boleh kosong.'); return; }
    send({ name: v }, `Isu “${issue.label}” dinamai “${v}”.`, buttons);
  });
  merge.addEventListener('click', () => {
    const target = others.find((o) => o.id === into.value);
    if (!target) { replace(err, 'Pilih isu tujuan penggabungan.'); return; }
    send({ merge_into: target.id }, `Isu “${issue.label}” digabung ke “${target.label}”.`, buttons);
  });
  split.addEventListener('click', () => {
    const story = mine.find((st) => st.id === pick.value);
    const v = newName.value.trim();
    if (!story) { replace(err, 'Pilih cerita yang dipisahkan.'); return; }
    if (!v) { replace(err, 'Beri nama isu baru.'); return; }
    send({ new_name: v }, `Cerita “${story.title}” dipisahkan ke isu baru “${v}”.`, buttons,
      `/api/v1/stories/${encodeURIComponent(story.id)}/issue`, 'PUT');
  });
  return h('div', { class: 'issue-edit', 'data-testid': 'issue-edit' },
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Nama isu'), name, ' ', rename),
    others.length ? h('div', { class: 'field' }, h('label', { for: intoId }, 'Gabungkan ke isu lain'), into, ' ', merge) : null,
    mine.length > 1 ? h('div', { class: 'field' },
      h('label', { for: storyId }, 'Pisahkan cerita ke isu baru'), pick, ' ',
      h('label', { for: newNameId }, 'bernama'), ' ', newName, ' ', split) : null,
    err);
}

function issueCard(issue, stories, others) {
  const mine = stories.filter((s) => s.issue === issue.id);
  const details = h('details', { class: 'issue', 'data-testid': 'issue', 'data-issue': issue.id },
    h('summary', {},
      h('strong', { 'data-testid': 'issue-label' }, issue.label), ' ',
      issue.sentiment.negative ? h('span', { class: 'status status-bad', 'data-testid': 'issue-points' }, points(issue.negative_points)) : null, ' ',
      h('span', { class: 'muted' }, `${fmtInt(issue.stories)} cerita, ${fmtInt(issue.articles)} berita`)),
    h('p', {}, tones(issue.sentiment),
      h('span', { class: 'muted' }, ` · ${fmtDay(issue.first_seen.slice(0, 10))} – ${fmtDay(issue.last_seen.slice(0, 10))}`)),
    h('p', { class: 'muted' }, `Media: ${issue.outlets.slice(0, 8).join(', ')}${issue.outlets.length > 8 ? ` dan ${issue.outlets.length - 8} lainnya` : ''}`),
    issue.label !== issue.generated_label ? h('p', { class: 'muted' }, `Label otomatis: ${issue.generated_label}`) : null,
    h('ol', { class: 'stories' }, mine.map(storyItem)),
    authed() ? editForm(issue, others, mine) : null);
  return details;
}

async function show(period, push, said) {
  currentPeriod = period;
  const url = new URL(location.href);
  url.searchParams.set('period', period);
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  document.body.dataset.state = 'loading';
  try {
    const [report, stories] = await Promise.all([
      api(`/api/v1/issues${qs({ entity: entity.id, period })}`),
      api(`/api/v1/stories${qs({ entity: entity.id, period })}`),
    ]);
    replace($('#error'), '');
    replace($('#summary'),
      h('h2', {}, `${periodLabel(period)}: ${fmtInt(report.issues.length)} isu`),
      h('p', { 'data-testid': 'issues-kpi' },
        `Persentase negatif ${fmtPct(report.percent)} (${fmtInt(report.negative)} dari ${fmtInt(report.denominator)} berita); `,
        `dihitung per cerita ${fmtPct(report.per_story.percent)} (${fmtInt(report.per_story.negative_stories)} dari ${fmtInt(report.per_story.counted_stories)} cerita). `,
        report.top5_explain == null ? '' : `Lima isu teratas menjelaskan ${fmtPct(report.top5_explain * 100)} berita negatif.`),
      report.unassigned ? h('p', { class: 'muted' }, `${fmtInt(report.unassigned)} berita baru belum dikelompokkan (beberapa detik).`) : null,
      said ? h('p', { role: 'status', 'data-testid': 'issue-status' }, `Tercatat: ${said}`) : null);
    const shown = report.issues.slice(0, 50);
    const cards = shown.map((i) => issueCard(i, stories, shown.filter((o) => o.id !== i.id)));
    replace($('#issues'), cards.length ? cards : h('p', { class: 'muted' }, 'Belum ada isu pada periode ini.'));
    document.body.dataset.state = 'ready';
  } catch (e) {
    replace($('#error'), `Isu: ${e.message}`);
    replace($('#issues'), '');
    document.body.dataset.state = 'error';
  }
}

entity = await initEntity();
await loadSession();
await periodPage('month', show);
