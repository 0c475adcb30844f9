import { dataTable } from './data-table.js';

/**
 * The frame every panel shares: a titled <section>, a row for its own controls, its charts,
 * and one or more data tables behind a toggle. `state` (loading, ready, error, forbidden) is on
 * the section for styling and for the browser test to wait on.
 */
export function createPanel(id, wide = false) {
  const section = document.createElement('section');
  section.className = wide ? 'panel wide' : 'panel';
  section.id = `panel-${id}`;
  section.dataset.panel = id;
  section.setAttribute('aria-labelledby', `panel-${id}-title`);

  const heading = document.createElement('h2');
  heading.id = `panel-${id}-title`;
  const controls = document.createElement('div');
  controls.className = 'panel-controls';
  const status = document.createElement('p');
  status.className = 'panel-status';
  status.setAttribute('role', 'status');
  const body = document.createElement('div');
  body.className = 'panel-body';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'table-toggle quiet';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', `panel-${id}-tables`);
  const tables = document.createElement('div');
  tables.className = 'panel-tables';
  tables.id = `panel-${id}-tables`;
  tables.hidden = true;
  section.append(heading, controls, status, body, toggle, tables);

  let words = { showTable: 'Show data table', hideTable: 'Hide data table' };
  const label = () => (tables.hidden ? words.showTable : words.hideTable);
  toggle.addEventListener('click', () => {
    tables.hidden = !tables.hidden;
    toggle.setAttribute('aria-expanded', String(!tables.hidden));
    toggle.textContent = label();
  });

  return {
    id,
    section,
    controls,
    body,
    /** Start a render: the title in the current language, the body and tables emptied. */
    begin(title, t) {
      words = { showTable: t('showTable'), hideTable: t('hideTable') };
      heading.textContent = title;
      toggle.textContent = label();
      body.replaceChildren();
      tables.replaceChildren();
      toggle.hidden = true;
    },
    setState(state, message = '') {
      section.dataset.state = state;
      section.hidden = state === 'forbidden';
      status.textContent = message;
      status.hidden = message === '';
    },
    /** A chart container of the body (charts sit side by side when there are several). */
    chartSlot(className = 'chart') {
      const div = document.createElement('div');
      div.className = className;
      body.append(div);
      return div;
    },
    addTable(spec) {
      tables.append(dataTable(spec));
      toggle.hidden = false;
    },
  };
}
