// Ringkasan: the KPI of every window; why the month's number is what it is
// (its most negative articles with the words that made them so, the
// outlets behind them); the projected close of the month, quarter and year
// with the budget and today's spikes; the 90-day daily trend against the
// target with the volume under it; the month's outlets; counts by media
// type; and the health of the feeds.
import {
  $, h, s, replace, api, qs, initEntity, fmtPct, fmtInt, fmtNum, fmtDay, fmtDateTime,
  statusPill, mediaLabel, currentPeriod, periodLabel,
} from '/assets/common.js';

const DAYS = 90;
/** The most negative articles shown under "Di balik angka". */
const WHY_ARTICLES = 5;
/** Outlets in the month's chart. */
const OUTLETS = 8;
const REFRESH_MS = 60_000;

const WINDOW_LABELS = {
  '24h': '24 jam',
  '7d': '7 hari',
  '30d': '30 hari',
  month: 'Bulan ini',
  quarter: 'Triwulan ini',
  year: 'Tahun ini',
};

let entity;

async function load() {
  document.body.dataset.state = 'loading';
  const q = qs({ entity: entity.id });
  const month = currentPeriod('month');
  const [kpiR, overviewR, outlookR, issuesR, monthR] = await Promise.allSettled([
    api(`/api/v1/kpi${q}`),
    api(`/api/v1/overview${qs({ entity: entity.id, days: DAYS })}`),
    api(`/api/v1/outlook${q}`),
    api(`/api/v1/issues${q}`),
    api(`/api/v1/report${qs({ entity: entity.id, period: month, format: 'json' })}`),
  ]);
  const errors = [];
  if (kpiR.status === 'fulfilled') {
    const k = (kpiR.value || []).find((x) => x.entity === entity.id) || (kpiR.value || [])[0];
    if (k) renderKpi(k);
    else errors.push('KPI: entitas tidak ditemukan.');
  } else errors.push(`KPI: ${kpiR.reason.message}`);
  if (overviewR.status === 'fulfilled') {
    const o = overviewR.value || {};
    renderTrend(o.daily || [], o.target_pct ?? entity.target_pct ?? null);
    renderMedia(o.by_media_type || []);
    renderFeeds(o.feeds || []);
  } else {
    errors.push(`Ikhtisar: ${overviewR.reason.message}`);
  }
  if (outlookR.status === 'fulfilled') renderOutlook(outlookR.value || {});
  else errors.push(`Prakiraan: ${outlookR.reason.message}`);
  if (issuesR.status === 'fulfilled') renderIssues(issuesR.value || {});
  else errors.push(`Isu: ${issuesR.reason.message}`);
  if (monthR.status === 'fulfilled') {
    renderWhy(monthR.value || {});
    renderOutlets(monthR.value || {});
  } else errors.push(`Laporan bulan ini: ${monthR.reason.message}`);
  replace($('#error'), errors.length ? errors.join(' ') : '');
  document.body.dataset.state = errors.length ? 'error' : 'ready';
}

function renderKpi(k) {
  replace($('#entity-name'), k.name ? `— ${k.name}` : '');
  if (k.denominator === 'opinionated') {
    replace($('#formula'), 'Persentase pemberitaan negatif = berita negatif ÷ (positif + negatif) × 100. Target tercapai bila persentase ',
      h('strong', {}, 'di bawah'), ' target.');
  }
  replace($('#updated'), `Diperbarui ${fmtDateTime(k.at)}. Target tahun ini: `,
    k.target_pct == null ? 'belum ditetapkan' : `di bawah ${fmtPct(k.target_pct)}`, '.');
  const cards = (k.windows || []).map((w) => {
    const cls = w.achieved === true ? 'good' : w.achieved === false ? 'bad' : '';
    const label = WINDOW_LABELS[w.window] || w.window;
    return h('article', { class: `kpi-card ${cls}`, 'data-testid': `kpi-card-${w.window}`, 'aria-labelledby': `kpi-label-${w.window}` },
      h('h3', { id: `kpi-label-${w.window}` }, label),
      h('p', { class: 'kpi-pct', 'data-testid': `kpi-pct-${w.window}` }, fmtPct(w.negative_pct)),
      h('p', {}, `${fmtInt(w.negative)} negatif dari ${fmtInt(w.denominator)} berita`),
      h('p', { class: 'muted' }, `Netral ${fmtInt(w.neutral)} · Positif ${fmtInt(w.positive)}`),
      w.audited ? h('p', { 'data-testid': `kpi-audited-${w.window}` }, 'Teraudit: ',
        h('strong', {}, fmtPct(w.audited.estimate_pct)),
        ` (IK 95 %: ${fmtPct(w.audited.ci_low_pct)} – ${fmtPct(w.audited.ci_high_pct)}; ${fmtInt(w.audited.reviewed)} ditinjau)`) : null,
      h('p', {}, k.target_pct == null ? 'Target: —' : `Target < ${fmtPct(k.target_pct)}`, ' ',
        statusPill(w.achieved, { noTarget: k.target_pct == null })),
      w.start ? h('p', { class: 'muted' }, `Sejak ${fmtDateTime(w.start)}`) : null);
  });
  replace($('#kpi-cards'), cards.length ? cards : h('p', { class: 'muted' }, 'Belum ada data.'));
}

// ------------------------------------------------------------------ why

/** "“Tak Tepat Sasaran” (-5,0), “Joki” (-4,4)": the terms behind a negative. */
const termsText = (terms) => (terms || []).slice(0, 3)
  .map(([t, w]) => `“${t}” (${fmtNum(w, 1)})`).join(', ');

/** The month's negatives: how many, from which outlets, the worst with why. */
function renderWhy(r) {
  const c = r.summary || {};
  const box = $('#why');
  if (!c.total) {
    replace(box, h('p', { class: 'muted' }, `Belum ada berita pada ${periodLabel(r.period || currentPeriod('month'))}.`));
    return;
  }
  const byNegative = (r.by_outlet || []).filter((o) => o.negative > 0)
    .sort((a, b) => b.negative - a.negative || a.key.localeCompare(b.key)).slice(0, 3);
  const lead = h('p', { 'data-testid': 'why-lead' },
    `${periodLabel(r.period)}: `, h('strong', {}, `${fmtInt(c.negative)} berita negatif`),
    ` dari ${fmtInt(c.denominator)} berita dipantau (${fmtPct(c.negative_pct)}).`,
    byNegative.length ? ` Terbanyak dari ${byNegative.map((o) => `${o.key} (${fmtInt(o.negative)})`).join(', ')}.` : '');
  const top = (r.top_negative || []).slice(0, WHY_ARTICLES);
  const list = top.length
    ? h('ol', { class: 'why-list' }, top.map((a) => h('li', { 'data-testid': 'why-article' },
      a.url ? h('a', { href: a.url, rel: 'noopener noreferrer', target: '_blank' }, a.title) : a.title,
      h('span', { class: 'muted' }, ` — ${[a.outlet, mediaLabel(a.media_type), fmtDay(a.date)].filter(Boolean).join(' · ')}`),
      a.terms?.length ? h('p', { class: 'why-terms' }, h('strong', {}, 'Mengapa negatif: '), termsText(a.terms))
        : a.overridden ? h('p', { class: 'why-terms' }, 'Dinilai negatif oleh analis.') : null)))
    : h('p', { class: 'muted' }, 'Tidak ada berita negatif bulan ini.');
  const all = h('p', {}, h('a', {
    href: `/artikel${qs({ entity: entity.id, sentiment: 'negative', from: r.from, to: r.to, order: 'negative' })}`,
    'data-testid': 'why-all',
  }, `Tinjau semua ${fmtInt(c.negative)} berita negatif bulan ini →`));
  replace(box, lead, list, c.negative ? all : null);
}

/** The month's outlets with the most articles, each a bar split by sentiment. */
function renderOutlets(r) {
  const rows = (r.by_outlet || []).slice().sort((a, b) => b.total - a.total || a.key.localeCompare(b.key)).slice(0, OUTLETS);
  if (!rows.length) { replace($('#outlets'), h('p', { class: 'muted' }, 'Belum ada berita bulan ini.')); return; }
  const max = Math.max(...rows.map((o) => o.total), 1);
  const part = (n, cls) => (n > 0 ? h('span', { class: `bar-${cls}`, style: `width:${((n / max) * 100).toFixed(2)}%` }) : null);
  replace($('#outlets'), h('div', { class: 'table-wrap' }, h('table', { class: 'bars', 'data-testid': 'outlets-table' },
    h('caption', { class: 'visually-hidden' }, `Berita per media, ${periodLabel(r.period)}, menurut sentimen`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Media'), h('th', { scope: 'col' }, 'Sentimen'),
      h('th', { scope: 'col', class: 'num' }, 'Berita'), h('th', { scope: 'col', class: 'num' }, '% negatif'))),
    h('tbody', {}, rows.map((o) => h('tr', { 'data-testid': 'outlet-row', 'data-outlet': o.key },
      h('th', { scope: 'row' }, o.key || '—'),
      h('td', { class: 'bar-cell', 'aria-label': `${fmtInt(o.negative)} negatif, ${fmtInt(o.neutral)} netral, ${fmtInt(o.positive)} positif` },
        h('span', { class: 'bar' }, part(o.negative, 'negative'), part(o.neutral, 'neutral'), part(o.positive, 'positive'))),
      h('td', { class: 'num' }, fmtInt(o.total)),
      h('td', { class: 'num' }, fmtPct(o.negative_pct))))))),
  h('ul', { class: 'legend', 'aria-hidden': 'true' },
    h('li', {}, h('span', { class: 'swatch-box bar-negative' }), 'Negatif'),
    h('li', {}, h('span', { class: 'swatch-box bar-neutral' }), 'Netral'),
    h('li', {}, h('span', { class: 'swatch-box bar-positive' }), 'Positif')),
  (r.by_outlet || []).length > OUTLETS
    ? h('p', { class: 'muted' }, `… dan ${fmtInt(r.by_outlet.length - OUTLETS)} media lainnya (lihat Laporan).`) : null);
}

// ------------------------------------------------------------------ issues

/** The month's five issues with the most negative articles, with their points. */
function renderIssues(r) {
  const top = (r.issues || []).filter((i) => i.sentiment.negative > 0).slice(0, 5);
  replace($('#top-issues'), top.length
    ? h('ol', {}, top.map((i) => h('li', { 'data-testid': 'top-issue' },
      h('a', { href: `/isu${qs({ period: r.period })}` }, h('strong', {}, i.label)),
      `: +${fmtNum(i.negative_points ?? 0, 1)} poin (${fmtInt(i.sentiment.negative)} negatif, ${fmtInt(i.stories)} cerita)`)))
    : h('p', { class: 'muted' }, 'Belum ada isu dengan berita negatif bulan ini.'));
}

// ------------------------------------------------------------------ outlook

const PERIOD_LABELS = { month: 'Akhir bulan', quarter: 'Akhir triwulan', year: 'Akhir tahun' };

function renderOutlook(o) {
  const cards = ['month', 'quarter', 'year'].map((key) => {
    const p = o[key];
    if (!p) return null;
    const over = p.p_over_target;
    const cls = over == null ? '' : over >= 0.5 ? 'bad' : over < 0.2 ? 'good' : '';
    return h('article', { class: `kpi-card ${cls}`, 'data-testid': `outlook-${key}` },
      h('h3', {}, `${PERIOD_LABELS[key]} (${p.period})`),
      h('p', { class: 'kpi-pct', 'data-testid': `outlook-pct-${key}` }, fmtPct(p.projected_percent)),
      h('p', {}, `IK 95 %: ${fmtPct(p.ci_low)} – ${fmtPct(p.ci_high)}`),
      h('p', { class: 'muted' }, `Sejauh ini ${fmtPct(p.so_far_percent)} dari ${fmtInt(p.so_far_articles)} berita`),
      over == null ? null : h('p', {}, `Peluang melewati target: ${fmtPct(over * 100)}`),
      p.remaining_budget == null ? null
        : h('p', { 'data-testid': `outlook-budget-${key}` }, 'Sisa kuota: ', h('strong', {}, fmtInt(p.remaining_budget)), ' berita negatif'));
  }).filter(Boolean);
  replace($('#outlook'), cards.length ? cards : h('p', { class: 'muted' }, 'Belum ada data untuk prakiraan.'));
  const spikes = o.spikes || [];
  if (!spikes.length) {
    replace($('#spikes'), h('p', { 'data-testid': 'no-spike' }, h('span', { class: 'status status-good' }, 'Tidak ada lonjakan berita negatif')));
    return;
  }
  const seen = new Set();
  const items = spikes.map((x) => {
    const when = x.window === 'hour' ? 'Jam terakhir' : 'Hari ini';
    const what = x.kind === 'share'
      ? `persentase negatif ${fmtPct(x.observed)}, biasanya ${fmtPct(x.expected)}`
      : `${fmtInt(x.negatives)} berita negatif, biasanya ${fmtNum(x.expected, 1)}`;
    const key = `${x.window}-${x.start}`;
    const behind = seen.has(key) ? [] : (x.behind || []);
    seen.add(key);
    return h('li', { 'data-testid': 'spike' },
      h('strong', {}, `${when}: `), `${what} (${fmtInt(x.negatives)} negatif dari ${fmtInt(x.articles)} berita)`,
      behind.length ? h('ul', {}, behind.map((a) => h('li', {},
        a.url ? h('a', { href: a.url, rel: 'noopener noreferrer', target: '_blank' }, a.title) : a.title,
        h('span', { class: 'muted' }, ` — ${a.outlet}`)))) : null);
  });
  replace($('#spikes'), h('div', { class: 'error-box', role: 'status' },
    h('p', {}, h('strong', {}, 'Lonjakan berita negatif')), h('ul', {}, items)));
}

// ------------------------------------------------------------------ trend chart

/** The smallest "round" axis top that holds v (every step of top/5 is whole). */
function niceMax(v) {
  return [10, 20, 25, 40, 50, 60, 80, 100].find((t) => t >= v) ?? Math.ceil(v / 20) * 20;
}

/** Rolling 7-day percentage: Σnegative / Σdenominator of the day and the six before. */
function rolling(daily, n = 7) {
  return daily.map((_, i) => {
    let neg = 0;
    let den = 0;
    for (let j = Math.max(0, i - n + 1); j <= i; j++) {
      neg += daily[j].negative || 0;
      den += daily[j].denominator || 0;
    }
    return den > 0 ? (neg / den) * 100 : null;
  });
}

/** A path through the non-null points; a null breaks the line (no data, not zero). */
function pathOf(values, x, y) {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || v === undefined) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    pen = true;
  });
  return d.trim();
}

function renderTrend(daily, target) {
  const box = $('#trend');
  if (!daily.length) { replace(box, h('p', { class: 'muted' }, 'Belum ada data harian.')); return; }
  const W = 820; const H = 380;
  const m = { l: 56, r: 24, t: 18, b: 46 };
  // The volume band under the percentage: how many articles each day's
  // percentage rests on.
  const volH = 64; const gap = 26;
  const iw = W - m.l - m.r; const ih = H - m.t - m.b - volH - gap;
  const vTop = m.t + ih + gap; const base = vTop + volH;
  const values = daily.map((d) => (typeof d.negative_pct === 'number' ? d.negative_pct : null));
  const roll = rolling(daily);
  const top = niceMax(Math.max(10, target ?? 0, ...values.filter((v) => v !== null)));
  const x = (i) => m.l + (daily.length <= 1 ? iw / 2 : (i * iw) / (daily.length - 1));
  const y = (v) => m.t + ih - (Math.min(v, top) / top) * ih;
  const withData = values.filter((v) => v !== null);
  const mean = (() => {
    const neg = daily.reduce((a, d) => a + (d.negative || 0), 0);
    const den = daily.reduce((a, d) => a + (d.denominator || 0), 0);
    return den ? (neg / den) * 100 : null;
  })();
  const first = daily[0].date; const last = daily[daily.length - 1].date;
  const summary = `Persentase negatif harian dari ${fmtDay(first)} sampai ${fmtDay(last)}: ${withData.length} hari dengan berita, `
    + `persentase keseluruhan ${fmtPct(mean)}, target ${target == null ? 'belum ditetapkan' : `di bawah ${fmtPct(target)}`}.`;

  const svg = s('svg', {
    class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'trend-title trend-desc', 'data-testid': 'trend-chart',
  },
  s('title', { id: 'trend-title' }, `Tren harian persentase negatif, ${daily.length} hari`),
  s('desc', { id: 'trend-desc' }, summary));

  // Horizontal grid and y labels every fifth of the axis.
  for (let k = 0; k <= 5; k++) {
    const v = (top * k) / 5;
    svg.append(
      s('line', { class: 'grid', x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }),
      s('text', { x: m.l - 8, y: y(v) + 4, 'text-anchor': 'end' }, `${fmtNum(v, 0)} %`),
    );
  }
  // Six date labels along the x axis, under the volume band.
  const ticks = new Set([0, daily.length - 1]);
  for (let k = 1; k < 5; k++) ticks.add(Math.round((k * (daily.length - 1)) / 5));
  for (const i of [...ticks].sort((a, b) => a - b)) {
    svg.append(
      s('line', { class: 'axis', x1: x(i), x2: x(i), y1: base, y2: base + 5 }),
      s('text', { x: x(i), y: base + 20, 'text-anchor': 'middle' }, fmtDay(daily[i].date, true)),
    );
  }
  const maxTotal = Math.max(1, ...daily.map((d) => d.total || 0));
  const bw = Math.max(1.5, (iw / daily.length) * 0.7);
  daily.forEach((d, i) => {
    if (!d.total) return;
    const bh = Math.max(1, (d.total / maxTotal) * volH);
    svg.append(s('rect', {
      class: 'volume', x: x(i) - bw / 2, y: base - bh, width: bw, height: bh, 'data-testid': 'volume-bar', 'data-total': d.total,
    }, s('title', {}, `${fmtDay(d.date)}: ${fmtInt(d.total)} berita (${fmtInt(d.negative)} negatif)`)));
  });
  svg.append(
    s('line', { class: 'axis', x1: m.l, x2: W - m.r, y1: base, y2: base }),
    s('text', { x: m.l - 8, y: vTop + 8, 'text-anchor': 'end' }, fmtInt(maxTotal)),
    s('text', { x: m.l - 8, y: base, 'text-anchor': 'end' }, '0'),
    s('text', { x: m.l + 4, y: vTop - 8 }, 'Jumlah berita per hari'),
    s('line', { class: 'axis', x1: m.l, x2: W - m.r, y1: m.t + ih, y2: m.t + ih }),
    s('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: m.t + ih }),
    s('text', { x: 14, y: m.t + ih / 2, transform: `rotate(-90 14 ${m.t + ih / 2})`, 'text-anchor': 'middle' }, '% negatif'),
    s('text', { x: m.l + iw / 2, y: H - 6, 'text-anchor': 'middle' }, 'Tanggal (WIB)'),
  );
  if (target != null) {
    svg.append(
      s('line', { class: 'target', x1: m.l, x2: W - m.r, y1: y(target), y2: y(target), 'data-testid': 'trend-target' }),
      s('text', { class: 'target-label', x: m.l + 6, y: y(target) - 6 }, `Target ${fmtPct(target)}`),
    );
  }
  svg.append(
    s('path', { class: 'line', d: pathOf(values, x, y), 'data-testid': 'trend-line', style: 'stroke-width:1.5;opacity:.55' }),
    s('path', { class: 'line', d: pathOf(roll, x, y), 'data-testid': 'trend-rolling', style: 'stroke-width:3' }),
  );
  daily.forEach((d, i) => {
    if (values[i] === null) return;
    svg.append(s('circle', { class: 'dot', cx: x(i), cy: y(values[i]), r: 3 },
      s('title', {}, `${fmtDay(d.date)}: ${fmtPct(values[i])} (${d.negative} negatif dari ${d.denominator})`)));
  });

  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' },
    h('li', {}, h('span', { class: 'swatch', style: 'opacity:.55;border-top-width:2px' }), 'Harian (titik: hari dengan berita)'),
    h('li', {}, h('span', { class: 'swatch', style: 'border-top-width:4px' }), 'Rata-rata bergulir 7 hari'),
    h('li', {}, h('span', { class: 'swatch-box volume-swatch' }), 'Jumlah berita per hari'),
    target != null ? h('li', {}, h('span', { class: 'swatch dashed' }), 'Target') : null);

  // The same numbers as text, for screen readers and for copying.
  const rows = daily.filter((d) => d.denominator > 0).reverse().map((d) => h('tr', {},
    h('th', { scope: 'row' }, fmtDay(d.date)),
    h('td', { class: 'num' }, fmtInt(d.negative)), h('td', { class: 'num' }, fmtInt(d.neutral)),
    h('td', { class: 'num' }, fmtInt(d.positive)), h('td', { class: 'num' }, fmtInt(d.denominator)),
    h('td', { class: 'num' }, fmtPct(d.negative_pct))));
  const table = h('details', {},
    h('summary', {}, 'Tabel data harian (hari dengan berita)'),
    h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'trend-table' },
      h('caption', {}, summary),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Tanggal'), h('th', { scope: 'col', class: 'num' }, 'Negatif'),
        h('th', { scope: 'col', class: 'num' }, 'Netral'), h('th', { scope: 'col', class: 'num' }, 'Positif'),
        h('th', { scope: 'col', class: 'num' }, 'Dipantau'), h('th', { scope: 'col', class: 'num' }, '% negatif'))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6 }, 'Tidak ada berita.'))))));
  replace(box, h('p', { class: 'muted' }, summary), h('div', { class: 'chart-scroll' }, svg), legend, table);
}

// ------------------------------------------------------------------ tables

function renderMedia(rows) {
  const sum = (k) => rows.reduce((a, r) => a + (r[k] || 0), 0);
  const num = (v) => h('td', { class: 'num' }, fmtInt(v));
  replace($('#media'), h('table', { 'data-testid': 'media-table' },
    h('caption', { class: 'visually-hidden' }, 'Jumlah berita per jenis media dan sentimen'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Jenis media'), h('th', { scope: 'col', class: 'num' }, 'Negatif'),
      h('th', { scope: 'col', class: 'num' }, 'Netral'), h('th', { scope: 'col', class: 'num' }, 'Positif'),
      h('th', { scope: 'col', class: 'num' }, 'Total'))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('th', { scope: 'row' }, mediaLabel(r.media_type, r.label)),
      num(r.negative), num(r.neutral), num(r.positive), num(r.total)))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Jumlah'),
      num(sum('negative')), num(sum('neutral')), num(sum('positive')), num(sum('total'))))),
  h('p', { class: 'muted' }, `${DAYS} hari terakhir, menurut sentimen efektif (setelah koreksi analis).`));
}

function renderFeeds(feeds) {
  const failing = feeds.filter((f) => f.failing).length;
  replace($('#feeds'),
    h('p', {}, failing
      ? h('span', { class: 'status status-bad' }, `${failing} dari ${feeds.length} sumber gagal`)
      : h('span', { class: 'status status-good' }, `Semua ${feeds.length} sumber berjalan`)),
    h('table', { 'data-testid': 'feeds-table' },
      h('caption', { class: 'visually-hidden' }, 'Status setiap sumber berita'),
      h('thead', {}, h('tr', {}, ['Media', 'Jenis', 'Status', 'Terakhir diambil', 'Terakhir berhasil', 'Item', 'Keterangan']
        .map((t) => h('th', { scope: 'col', class: t === 'Item' ? 'num' : null }, t)))),
      h('tbody', {}, feeds.map((f) => h('tr', { class: f.failing ? 'failing' : null, 'data-testid': 'feed-row', 'data-feed': f.id },
        h('th', { scope: 'row' }, f.outlet || f.id),
        h('td', {}, mediaLabel(f.media_type)),
        h('td', {}, f.failing
          ? h('strong', {}, `Gagal${f.consecutive_failures ? ` (${f.consecutive_failures}×)` : ''}`)
          : f.last_success_at ? 'OK' : 'Belum diambil'),
        h('td', {}, fmtDateTime(f.last_fetch_at)),
        h('td', {}, fmtDateTime(f.last_success_at)),
        h('td', { class: 'num' }, fmtInt(f.items_seen ?? 0)),
        h('td', {}, f.last_error || (f.consecutive_failures ? `${f.consecutive_failures} kegagalan berturut-turut` : '—')))))));
}

entity = await initEntity();
await load();
// A dashboard left open stays current; skipped while the tab is hidden.
setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
