// Survei-hasil: the IKM of each service unit for a period — score, grade,
// respondents against the target and the minimum sample, NRR per element
// as a table and a bar chart, and the score per demographic group.
import {
  $, h, s, replace, api, qs, fmtNum, fmtInt, periodPage, periodLabel, statusPill,
} from '/assets/common.js';

const GRADES = { A: 'Sangat Baik', B: 'Baik', C: 'Kurang Baik', D: 'Tidak Baik' };
const GROUPS = { gender: 'Jenis kelamin', age: 'Usia', education: 'Pendidikan', occupation: 'Pekerjaan' };

async function show(period, push) {
  const url = new URL(location.href);
  url.searchParams.set('period', period);
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  const box = $('#units');
  document.body.dataset.state = 'loading';
  box.setAttribute('aria-busy', 'true');
  replace($('#error'), '');
  try {
    const unit = url.searchParams.get('unit');
    const reports = await api(`/api/v1/survey/ikm${qs({ unit, period })}`);
    replace(box, (reports || []).length
      ? reports.map(renderUnit)
      : h('p', { class: 'notice' }, `Belum ada jawaban survei pada ${periodLabel(period)}.`));
    document.body.dataset.state = 'ready';
  } catch (e) {
    if (e.status === 404) {
      // No responses in the period is an answer, not a failure.
      replace(box, h('p', { class: 'notice', 'data-testid': 'ikm-empty' }, `Belum ada jawaban survei pada ${periodLabel(period)}.`));
      document.body.dataset.state = 'ready';
    } else {
      replace(box, '');
      replace($('#error'), `Hasil survei tidak dapat dimuat: ${e.message}`);
      document.body.dataset.state = 'error';
    }
  } finally {
    box.removeAttribute('aria-busy');
  }
}

/** Horizontal bars of NRR (1–4 scale, drawn from 0); the weakest three stand out. */
function nrrChart(unit, elements, weakest) {
  const W = 720; const rowH = 28;
  const m = { l: 60, r: 70, t: 10, b: 34 };
  const H = m.t + m.b + rowH * elements.length;
  const iw = W - m.l - m.r;
  const x = (v) => m.l + (Math.max(0, Math.min(4, v)) / 4) * iw;
  const svg = s('svg', {
    class: 'chart bars', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `nrr-title-${unit}`, 'data-testid': `nrr-chart-${unit}`,
  }, s('title', { id: `nrr-title-${unit}` },
    `Nilai rata-rata (NRR) per unsur, skala 1–4: ${elements.map((e) => `${e.code} ${fmtNum(e.nrr, 2)}`).join(', ')}`));
  for (let v = 0; v <= 4; v++) {
    svg.append(
      s('line', { class: 'grid', x1: x(v), x2: x(v), y1: m.t, y2: H - m.b }),
      s('text', { x: x(v), y: H - m.b + 18, 'text-anchor': 'middle' }, String(v)),
    );
  }
  elements.forEach((e, i) => {
    const y = m.t + i * rowH;
    svg.append(
      s('text', { x: m.l - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end' }, e.code),
      s('rect', { class: `bar${weakest.has(e.code) ? ' weak' : ''}`, x: m.l, y: y + 5, width: Math.max(0, x(e.nrr) - m.l), height: rowH - 10 },
        s('title', {}, `${e.code} ${e.name}: NRR ${fmtNum(e.nrr, 3)}`)),
      s('text', { class: 'bar-value', x: x(e.nrr) + 6, y: y + rowH / 2 + 4 }, fmtNum(e.nrr, 2)),
    );
  });
  svg.append(s('text', { x: m.l + iw / 2, y: H - 4, 'text-anchor': 'middle' }, 'NRR (1 = tidak baik, 4 = sangat baik)'));
  return svg;
}

function renderUnit(r) {
  const res = r.result || {};
  const elements = res.elements || [];
  const unit = r.unit;
  const weakestList = [...elements].sort((a, b) => a.nrr - b.nrr || a.code.localeCompare(b.code)).slice(0, 3);
  const weakest = new Set(weakestList.map((e) => e.code));
  const grade = typeof res.grade === 'string' ? res.grade : res.grade?.letter;
  const sample = r.minimum_sample != null
    ? h('p', {}, `Minimum sampel (Krejcie–Morgan) untuk populasi ${fmtInt(r.population)} orang: ${fmtInt(r.minimum_sample)} responden — `,
      res.respondents >= r.minimum_sample
        ? h('span', { class: 'status status-good' }, 'terpenuhi')
        : h('span', { class: 'status status-bad' }, 'belum terpenuhi'))
    : null;
  const groups = Object.entries(r.groups || {});
  return h('section', { class: 'panel', 'aria-labelledby': `unit-${unit}`, 'data-testid': `ikm-unit-${unit}` },
    h('h2', { id: `unit-${unit}` }, r.name || unit),
    h('p', { class: 'muted' }, `${periodLabel(r.period)} · bobot per unsur ${res.weight || '1/9'}`),
    h('div', { class: 'ikm-head' },
      h('div', {}, h('p', { class: 'muted', id: `score-label-${unit}` }, 'Nilai IKM (konversi, 25–100)'),
        h('p', { class: 'score-big', 'data-testid': `ikm-score-${unit}`, 'aria-describedby': `score-label-${unit}` }, fmtNum(res.score, 2))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Mutu pelayanan'), h('dd', { 'data-testid': `ikm-grade-${unit}` }, grade ? `${grade} (${GRADES[grade] || ''})` : '—'),
        h('dt', {}, 'IKM (1–4)'), h('dd', {}, fmtNum(res.ikm, 4)),
        h('dt', {}, 'Responden'), h('dd', { 'data-testid': `ikm-respondents-${unit}` }, fmtInt(res.respondents)),
        h('dt', {}, 'Target'), h('dd', {}, r.target == null ? 'Tanpa target' : `di atas ${fmtNum(r.target, 2)} `,
          r.target == null ? null : statusPill(r.achieved)))),
    r.exact_score != null ? h('p', { class: 'muted' },
      `Dengan bobot tepat 1/9 nilainya ${fmtNum(r.exact_score, 2)} (selisih karena pembulatan bobot).`) : null,
    sample,
    h('h3', {}, 'Nilai rata-rata per unsur'),
    nrrChart(unit, elements, weakest),
    h('ul', { class: 'legend', 'aria-hidden': 'true' },
      h('li', {}, h('span', { class: 'box' }), 'NRR unsur'),
      h('li', {}, h('span', { class: 'box weak' }), 'Tiga unsur terlemah')),
    h('p', {}, h('strong', {}, 'Unsur terlemah (prioritas perbaikan): '),
      weakestList.map((e) => `${e.code} ${e.name} (${fmtNum(e.nrr, 3)})`).join('; ')),
    h('div', { class: 'table-wrap' }, h('table', { 'data-testid': `nrr-table-${unit}` },
      h('caption', { class: 'visually-hidden' }, `NRR per unsur, ${r.name || unit}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kode'), h('th', { scope: 'col' }, 'Unsur'),
        h('th', { scope: 'col', class: 'num' }, 'Menjawab'), h('th', { scope: 'col', class: 'num' }, 'NRR'),
        h('th', { scope: 'col', class: 'num' }, 'NRR tertimbang'))),
      h('tbody', {}, elements.map((e) => h('tr', {},
        h('th', { scope: 'row' }, e.code), h('td', {}, e.name),
        h('td', { class: 'num' }, fmtInt(e.answered)), h('td', { class: 'num' }, fmtNum(e.nrr, 3)),
        h('td', { class: 'num' }, fmtNum(e.weighted, 4))))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 4 }, 'IKM (Σ NRR tertimbang)'),
        h('td', { class: 'num' }, fmtNum(res.ikm, 4)))))),
    groups.length ? [h('h3', {}, 'Nilai per kelompok responden'),
      groups.map(([g, values]) => h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', {}, `Per ${(GROUPS[g] || g).toLowerCase()}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, GROUPS[g] || g),
          h('th', { scope: 'col', class: 'num' }, 'Responden'), h('th', { scope: 'col', class: 'num' }, 'Nilai'))),
        h('tbody', {}, Object.entries(values).map(([k, v]) => {
          const [n, score] = Array.isArray(v) ? v : [v?.respondents, v?.score];
          return h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, fmtInt(n)),
            h('td', { class: 'num' }, fmtNum(score, 2)));
        })))))] : null);
}

await periodPage('year', show);
