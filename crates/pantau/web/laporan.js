// Laporan: the IKU report of a period (year, quarter, month or a date
// range), as tables, with the leadership report (PDF, and Word to edit),
// CSV and Markdown downloads of the same report.
import {
  $, h, replace, api, qs, initEntity, fmtPct, fmtInt, fmtNum, fmtDay, fmtMonth, fmtScore, periodPage, periodLabel,
  statusPill, mediaLabel, ApiError,
} from '/assets/common.js';

let entity;

const reportUrl = (period, format) => `/api/v1/report${qs({ entity: entity.id, period, format })}`;

/** The JSON report; falls back to /api/v1/kpi?period= (the same object) on a server without /report. */
async function fetchReport(period) {
  try {
    return await api(reportUrl(period, 'json'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && !(e.body && e.body.error)) {
      return api(`/api/v1/kpi${qs({ entity: entity.id, period })}`);
    }
    throw e;
  }
}

async function show(period, push) {
  const url = new URL(location.href);
  url.searchParams.set('period', period);
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  const box = $('#report');
  document.body.dataset.state = 'loading';
  box.setAttribute('aria-busy', 'true');
  replace($('#error'), '');
  try {
    const r = await fetchReport(period);
    render(r, period);
    document.body.dataset.state = 'ready';
  } catch (e) {
    replace(box, '');
    replace($('#error'), `Laporan tidak dapat dibuat: ${e.message}`);
    document.body.dataset.state = 'error';
  } finally {
    box.removeAttribute('aria-busy');
  }
}

const num = (v) => h('td', { class: 'num' }, fmtInt(v));

/** A table of slices (media type, outlet, month). */
function sliceTable(testid, caption, first, slices, label) {
  if (!slices?.length) return h('p', { class: 'muted' }, 'Tidak ada data.');
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': testid },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, first),
      ['Dipantau', 'Positif', 'Netral', 'Negatif', '% negatif'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
    h('tbody', {}, slices.map((s) => h('tr', {},
      h('th', { scope: 'row' }, label(s.key)),
      num(s.total), num(s.positive), num(s.neutral), num(s.negative),
      h('td', { class: 'num' }, fmtPct(s.negative_pct)))))));
}

const dec1 = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Why an audit has no estimate yet, in words. */
function auditMissing(why) {
  if (!why) return 'sampel belum ditinjau';
  if (why.startsWith('uncovered ')) return `belum ada sampel audit untuk ${why.slice(10).replace('..', ' – ')}`;
  if (why.startsWith('unreviewed_')) return 'ada strata yang belum ditinjau sama sekali';
  if (why === 'nothing_counted') return 'semua berita yang ditinjau di luar penyebut';
  return 'sampel belum ditinjau';
}

/** The audited estimate beside the as-classified figure (issue: "Estimasi teraudit"). */
function auditFact(a) {
  if (a.estimate == null) {
    return [h('span', { 'data-testid': 'report-audit' }, `— (${auditMissing(a.missing)}; ${fmtInt(a.sample_size)} berita ditinjau)`)];
  }
  const more = a.reviews_for_2_points > 0 ? ` Untuk ±2 poin, tinjau ${fmtInt(a.reviews_for_2_points)} berita lagi.` : '';
  return [
    h('strong', { 'data-testid': 'report-audit' },
      `${dec1.format(a.estimate)} % (IK 95 %: ${dec1.format(a.ci_low)}–${dec1.format(a.ci_high)} %), ${fmtInt(a.sample_size)} berita ditinjau`),
    h('span', { class: 'muted' }, more),
  ];
}

function render(r, period) {
  const box = $('#report');
  box.dataset.period = r.period || period;
  const s = r.summary || {};
  const formula = r.denominator === 'opinionated'
    ? 'negatif ÷ (positif + negatif) × 100'
    : 'negatif ÷ seluruh berita dipantau × 100';
  const facts = [
    ['Periode', `${periodLabel(r.period || period)} (${fmtDay(r.from)} – ${fmtDay(r.to)}, ${r.time_zone || 'Asia/Jakarta'})`],
    ['Berita dipantau', fmtInt(s.total)],
    ['Positif', fmtInt(s.positive)],
    ['Netral', fmtInt(s.neutral)],
    ['Negatif', fmtInt(s.negative)],
    ['Persentase negatif', h('strong', { 'data-testid': 'report-pct' }, fmtPct(s.negative_pct)), h('span', { class: 'muted' }, ` (${formula})`)],
    ['Target', r.target_pct == null ? 'Tidak ada target untuk tahun ini' : `di bawah ${fmtPct(r.target_pct)}`],
    ...(r.audit ? [['Estimasi teraudit', ...auditFact(r.audit)]] : []),
    ['Status', h('span', { 'data-testid': 'report-status' },
      statusPill(r.audit && r.audit.achieved != null ? r.audit.achieved : r.achieved, { noTarget: r.target_pct == null })),
      r.audit && r.audit.achieved != null
        ? h('span', { class: 'muted' }, r.audit.certain ? ' menurut estimasi teraudit' : ' menurut estimasi teraudit — belum pasti: IK 95 % melewati target')
        : null],
    ['Koreksi analis', fmtInt(r.overrides ?? 0)],
  ];
  const top = r.top_negative || [];
  replace(box,
    h('section', { class: 'panel', 'aria-labelledby': 'summary-heading' },
      h('h2', { id: 'summary-heading' }, `${r.entity_name || entity.name || r.entity} — ${periodLabel(r.period || period)}`),
      h('dl', { class: 'facts' }, facts.map(([k, ...v]) => [h('dt', {}, k), h('dd', {}, ...v)])),
      h('p', { class: 'actions', style: 'margin-top:1rem' },
        h('a', { class: 'button', href: reportUrl(r.period || period, 'pdf'), download: '', 'data-testid': 'download-pdf' }, 'Unduh PDF (laporan pimpinan)'),
        h('a', { class: 'button secondary', href: reportUrl(r.period || period, 'docx'), download: '', 'data-testid': 'download-docx' }, 'Unduh Word (untuk disunting)'),
        h('a', { class: 'button secondary', href: reportUrl(r.period || period, 'csv'), download: '', 'data-testid': 'download-csv' }, 'Unduh CSV'),
        h('a', { class: 'button secondary', href: reportUrl(r.period || period, 'csv-id'), download: '', 'data-testid': 'download-csv-id' }, 'Unduh CSV (Excel Indonesia)'),
        h('a', { class: 'button secondary', href: reportUrl(r.period || period, 'md'), download: '', 'data-testid': 'download-md' }, 'Unduh Markdown'))),
    h('section', { class: 'panel', 'aria-labelledby': 'media-heading' },
      h('h2', { id: 'media-heading' }, 'Per jenis media'),
      sliceTable('report-media', 'Jumlah berita dan persentase negatif per jenis media', 'Jenis media', r.by_media_type, mediaLabel)),
    h('section', { class: 'panel', 'aria-labelledby': 'outlet-heading' },
      h('h2', { id: 'outlet-heading' }, 'Per media'),
      sliceTable('report-outlet', 'Jumlah berita dan persentase negatif per media, terbanyak lebih dulu', 'Media', r.by_outlet, (k) => k)),
    (r.trend || []).length > 1 ? h('section', { class: 'panel', 'aria-labelledby': 'trend-heading' },
      h('h2', { id: 'trend-heading' }, 'Tren bulanan'),
      sliceTable('report-trend', 'Jumlah berita dan persentase negatif per bulan', 'Bulan', r.trend, fmtMonth)) : null,
    (r.top_issues || []).length ? h('section', { class: 'panel', 'aria-labelledby': 'issues-heading' },
      h('h2', { id: 'issues-heading' }, 'Isu utama'),
      h('ol', { 'data-testid': 'report-issues' }, r.top_issues.map((t) => h('li', {},
        h('a', { href: `/isu${qs({ period: r.period || period })}` }, h('strong', {}, t.label)),
        `: +${fmtNum(t.points ?? 0, 1)} poin — ${fmtInt(t.negative)} negatif dari ${fmtInt(t.articles)} berita, ${fmtInt(t.stories)} cerita`)))) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'top-heading' },
      h('h2', { id: 'top-heading' }, 'Berita paling negatif'),
      top.length ? h('ol', { 'data-testid': 'report-top' }, top.map((a) => h('li', {},
        h('strong', {}, a.url && /^https?:/i.test(a.url) ? h('a', { href: a.url, rel: 'noopener noreferrer' }, a.title) : a.title),
        h('br'),
        h('span', { class: 'muted' }, `${fmtDay(a.date)} · ${a.outlet} · ${mediaLabel(a.media_type)} · skor ${fmtScore(a.score)}`,
          a.overridden ? ' · dikoreksi analis' : ''),
        (a.terms || []).length ? h('p', {}, 'Istilah: ',
          a.terms.map(([t, w]) => `“${t}” ${fmtScore(w)}`).join(', ')) : null)))
        : h('p', { class: 'muted' }, 'Tidak ada berita negatif pada periode ini.')));
}

entity = await initEntity();
await periodPage('quarter', show);
