// Isu: a period's issues ranked by their points of the negative
// percentage; each opens its stories (syndicated copies grouped), each
// story its outlets and a link.
import {
  $, h, replace, api, qs, initEntity, fmtPct, fmtInt, fmtNum, fmtDay, periodPage, periodLabel,
} from '/assets/common.js';

let entity;

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

function issueCard(issue, stories) {
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
    h('ol', { class: 'stories' }, mine.map(storyItem)));
  return details;
}

async function show(period, push) {
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
      report.unassigned ? h('p', { class: 'muted' }, `${fmtInt(report.unassigned)} berita baru belum dikelompokkan (beberapa detik).`) : null);
    const cards = report.issues.slice(0, 50).map((i) => issueCard(i, stories));
    replace($('#issues'), cards.length ? cards : h('p', { class: 'muted' }, 'Belum ada isu pada periode ini.'));
    document.body.dataset.state = 'ready';
  } catch (e) {
    replace($('#error'), `Isu: ${e.message}`);
    replace($('#issues'), '');
    document.body.dataset.state = 'error';
  }
}

entity = await initEntity();
await periodPage('month', show);
