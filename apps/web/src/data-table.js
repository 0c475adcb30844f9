/**
 * The accessible twin of every chart: a real <table> with a caption, header cells and scoped
 * rows. Each row carries its key (`data-key`, e.g. the stage) and each cell its column
 * (`data-col`) and raw value (`data-value`), so the browser test reads numbers, not formatting.
 *
 * columns: [{ key, label, numeric? }]; rows: [{ key, cells: { [column]: { value, text } | string } }]
 */
export function dataTable({ caption, columns, rows, id }) {
  const table = document.createElement('table');
  if (id) table.id = id;
  table.className = 'data-table';
  const captionElement = table.createCaption();
  captionElement.textContent = caption;

  const headRow = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = column.label;
    if (column.numeric) th.className = 'numeric';
    headRow.append(th);
  }

  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.dataset.key = row.key;
    columns.forEach((column, index) => {
      const cell = normalise(row.cells[column.key]);
      const element = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) element.scope = 'row';
      element.dataset.col = column.key;
      if (cell.value !== undefined && cell.value !== null) element.dataset.value = String(cell.value);
      if (column.numeric) element.classList.add('numeric');
      if (cell.node) element.append(cell.node);
      else element.textContent = cell.text;
      tr.append(element);
    });
  }
  return table;
}

function normalise(cell) {
  if (cell === undefined || cell === null) return { text: '—' };
  if (typeof cell === 'string' || typeof cell === 'number') return { text: String(cell), value: cell };
  return { text: cell.text ?? (cell.value === null || cell.value === undefined ? '—' : String(cell.value)), ...cell };
}
