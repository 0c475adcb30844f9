import { drawChart } from '../chart.js';
import { dealFilters, period } from '../view-state.js';

/** Win rate (GET /v1/analytics/conversion), cycle time and sales velocity (GET /v1/analytics/cycle-time). */
export const performancePanel = {
  id: 'performance',
  reloadOn: ['filters', 'skipPolicy'],
  title: (tr) => tr.t('performance'),
  async load({ state, get }) {
    const query = { ...dealFilters(state), ...period(state), skipPolicy: state.skipPolicy };
    const [conversion, cycle] = await Promise.all([get('/v1/analytics/conversion', query), get('/v1/analytics/cycle-time', query)]);
    return { winRate: conversion.winRate, cycle };
  },
  render(panel, { winRate, cycle }, { tr }) {
    const velocity = cycle.salesVelocity.byCurrency;
    const tiles = document.createElement('dl');
    tiles.className = 'tiles';
    const tile = (label, value) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      div.append(dt, dd);
      tiles.append(div);
    };
    tile(tr.t('winRateByCount'), `${tr.percent(winRate.byCount)} (${winRate.won}/${winRate.won + winRate.lost})`);
    tile(tr.t('cycleTime'), `${tr.number(cycle.cycle.median)} ${tr.t('days')}`);
    for (const v of velocity) tile(tr.t('salesVelocity', { currency: v.currency }), tr.money(v.perDay, v.currency));
    panel.body.append(tiles);

    const stats = ['median', 'p75', 'p90', 'mean'];
    drawChart(
      panel.chartSlot('chart small'),
      {
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        title: { text: tr.t('cycleChart'), textStyle: { fontSize: 12, fontWeight: 'normal' } },
        xAxis: { type: 'category', data: stats.map((s) => tr.t(s)) },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', data: stats.map((s) => cycle.cycle[s]), label: { show: true, position: 'top' } }],
      },
      tr.t('cycleChart'),
    );
    if (velocity.length > 0) {
      drawChart(
        panel.chartSlot('chart small'),
        {
          tooltip: { trigger: 'axis' },
          grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
          title: { text: tr.t('velocityChart'), textStyle: { fontSize: 12, fontWeight: 'normal' } },
          xAxis: { type: 'category', data: velocity.map((v) => v.currency) },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: velocity.map((v) => v.perDay), itemStyle: { color: '#3a9d7a' } }],
        },
        tr.t('velocityChart'),
      );
    }

    const rows = [
      ['winRate.byCount', tr.t('winRateByCount'), winRate.byCount, tr.percent(winRate.byCount)],
      ...winRate.byAmount.map((r) => [`winRate.byAmount:${r.currency}`, tr.t('winRateByAmount', { currency: r.currency }), r.rate, tr.percent(r.rate)]),
      ['cycle.n', `${tr.t('cycleTime')}: n`, cycle.cycle.n, tr.number(cycle.cycle.n)],
      ...stats.map((s) => [`cycle.${s}`, `${tr.t('cycleTime')}: ${tr.t(s)}`, cycle.cycle[s], `${tr.number(cycle.cycle[s])} ${tr.t('days')}`]),
      ...velocity.flatMap((v) => [
        [`velocity.openDeals:${v.currency}`, `${tr.t('salesVelocity', { currency: v.currency })}: ${tr.t('openDeals')}`, v.openDeals, tr.number(v.openDeals)],
        [`velocity.averageWonAmount:${v.currency}`, `${tr.t('salesVelocity', { currency: v.currency })}: ${tr.t('averageWon')}`, v.averageWonAmount, tr.money(v.averageWonAmount, v.currency)],
        [`velocity.perDay:${v.currency}`, `${tr.t('salesVelocity', { currency: v.currency })}: ${tr.t('perDay')}`, v.perDay, tr.money(v.perDay, v.currency)],
      ]),
    ];
    panel.addTable({
      caption: tr.t('performance'),
      columns: [
        { key: 'figure', label: tr.t('figure') },
        { key: 'value', label: tr.t('value'), numeric: true },
      ],
      rows: rows.map(([key, label, value, text]) => ({ key, cells: { figure: { text: label, value: key }, value: { value, text } } })),
    });
  },
};
