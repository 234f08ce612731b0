/* Injected by html_layout_test.sh at the end of a copy of a report (after the report's own
   script): times the load and a few filter changes, then measures the layout in the live page
   and writes everything as JSON into the element pre#pp-measure, for --dump-dom to carry out.
   Layout rule: every rendered element lies inside its card (or header / footer), the page is
   no wider than the viewport, and at 1000 px or wider no scroll box needs to scroll. */
(function () {
  'use strict';
  var out = { viewport: document.documentElement.clientWidth, problems: [], filter_ms: {} };
  document.body.getBoundingClientRect();
  out.load_ms = Math.round(performance.now());
  function flush() { return document.body.offsetHeight; }
  function time(name, fn) {
    var t = performance.now();
    fn();
    flush();
    out.filter_ms[name] = Math.round((performance.now() - t) * 10) / 10;
  }
  function set(id, v) {
    var e = document.getElementById(id);
    e.value = v;
    e.dispatchEvent(new Event('change'));
  }
  function desc(e) {
    var s = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
    var t = (e.textContent || '').trim().slice(0, 40);
    return s + (t ? ' "' + t + '"' : '');
  }
  var checked = 0;
  function walk(el, box, label) {
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.tagName === 'SCRIPT' || c.tagName === 'STYLE' || !c.getClientRects().length) continue;
      checked++;
      var r = c.getBoundingClientRect();
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1))
        out.problems.push(label + ': ' + desc(c) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) +
                          ', its card ' + Math.round(box.left) + '..' + Math.round(box.right));
      var ox = getComputedStyle(c).overflowX;
      if (ox !== 'visible' && ox !== 'clip') {
        if (out.viewport >= 1000 && c.scrollWidth > c.clientWidth + 1)
          out.problems.push(label + ': ' + desc(c) + ' must scroll (' + c.scrollWidth + ' > ' + c.clientWidth + ' px)');
        continue;
      }
      walk(c, box, label);
    }
  }
  function layout(label) {
    var doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1)
      out.problems.push(label + ': page is ' + doc.scrollWidth + ' px wide in a ' + doc.clientWidth + ' px viewport');
    Array.prototype.forEach.call(document.querySelectorAll('section.card, p.card, header.top, footer, #filter-note'), function (card) {
      if (!card.getClientRects().length) return;
      var box = card.getBoundingClientRect();
      if (box.right > doc.clientWidth + 1) out.problems.push(label + ': ' + desc(card) + ' ends at ' + Math.round(box.right));
      walk(card, box, label);
    });
  }
  // Default view as loaded: layout first (what a reader sees), then timings.
  layout('default view');
  try { filters(); } catch (e) { out.problems.push('filtering failed: ' + e); }
  out.elements_checked = checked;
  var pre = document.createElement('pre');
  pre.id = 'pp-measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);

  function filters() {
  out.visible_default = Number(document.getElementById('visible-count').getAttribute('data-visible'));
  var tgt = document.getElementById('f-target');
  var some = tgt.options.length > 1 ? tgt.options[Math.floor(tgt.options.length / 2)].value : '';
  time('status=all', function () { set('f-status', 'all'); });
  out.visible_all = Number(document.getElementById('visible-count').getAttribute('data-visible'));
  time('severity=high', function () { set('f-severity', 'high'); });
  time('target', function () { set('f-target', some); });
  time('reset', function () { document.getElementById('f-reset').click(); });
  time('search (first, builds text)', function () { document.getElementById('f-q').value = 'tls'; set('f-status', ''); });
  time('search again', function () { document.getElementById('f-q').value = 'trust'; set('f-status', ''); });
  time('baseline=new', function () { document.getElementById('f-q').value = ''; set('f-baseline', 'new'); });
  time('status=pass', function () { set('f-baseline', ''); set('f-status', 'pass'); });
  // Printing: every shown finding's folds open for the paper, and close again afterwards.
  set('f-status', '');
  time('print: unfold the shown', function () { window.dispatchEvent(new Event('beforeprint')); });
  var closed = 0, shownArticles = 0;
  Array.prototype.forEach.call(document.querySelectorAll('article.finding'), function (a) {
    if (!a.getClientRects().length) return;
    shownArticles++;
    if (!a.querySelector('details').open) closed++;
  });
  if (closed) out.problems.push('print: ' + closed + ' of ' + shownArticles + ' shown findings stay folded');
  window.dispatchEvent(new Event('afterprint'));
  var stillOpen = document.querySelectorAll('article.finding details[open]').length;
  if (stillOpen) out.problems.push('print: ' + stillOpen + ' folds still open after printing');
  out.print_unfolded = shownArticles;
  // Everything shown and unfolded: the widest the page gets.
  set('f-status', 'all');
  Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  layout('all shown, folds open');
  }
})();
