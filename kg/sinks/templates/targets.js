// The price-target chart of kg view's side panel, inlined into the page (no remote script).
// window.kgTargetChart(record, name) returns a <section>: one small SVG chart per currency,
// targets over time with one series per bank (a dashed stem from the target it replaced),
// rating changes marked (▲ upgrade, ▼ downgrade, ◆ new coverage), and a legend.
// Everything is built with createElementNS / createElement; text goes in as text nodes only.
// The record is kg/sinks/html/targets.py's history_record.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
                 "#7f7f7f", "#bcbd22"];
  var WIDTH = 340, HEIGHT = 180, LEFT = 50, RIGHT = 12, TOP = 14, BOTTOM = 24;
  var DAY = 86400000;
  var MARK_NAMES = { upgrade: "upgrade", downgrade: "downgrade", initiate: "new coverage" };

  function node(tag, attrs, parent) {
    var made = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { made.setAttribute(key, String(attrs[key])); });
    if (parent) { parent.appendChild(made); }
    return made;
  }
  function label(parent, x, y, text, anchor, className) {
    var made = node("text", { x: x, y: y, "text-anchor": anchor || "start", "class": className || "axis" }, parent);
    made.textContent = text;
    return made;
  }
  function tooltip(parent, text) { node("title", {}, parent).textContent = text; }
  function html(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }
  function time(day) { return Date.parse(day + "T00:00:00Z"); }
  function number(value) { return Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 }); }
  function month(ms) { return new Date(ms).toISOString().slice(0, 7); }
  function niceStep(span) {
    var raw = span / 4, power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), f = raw / power;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
  }

  function scales(points, marks) {
    var times = points.map(function (p) { return time(p.date); }).concat(marks.map(function (m) { return time(m.date); }));
    var prices = [];
    points.forEach(function (p) { prices.push(p.price); if (p.previous !== null) { prices.push(p.previous); } });
    var x0 = Math.min.apply(null, times), x1 = Math.max.apply(null, times);
    var pad = x1 - x0 < 30 * DAY ? 15 * DAY - (x1 - x0) / 2 : (x1 - x0) * 0.06;
    x0 -= pad; x1 += pad;
    var y0 = Math.min.apply(null, prices), y1 = Math.max.apply(null, prices);
    var room = y1 > y0 ? (y1 - y0) * 0.12 : (Math.abs(y0) * 0.1 || 1);
    var step = niceStep(y1 - y0 + 2 * room);
    y0 = Math.floor((y0 - room) / step) * step; y1 = Math.ceil((y1 + room) / step) * step;
    return {
      x: function (day) { return LEFT + (time(day) - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT); },
      y: function (value) { return TOP + (y1 - value) / (y1 - y0) * (HEIGHT - TOP - BOTTOM); },
      x0: x0, x1: x1, y0: y0, y1: y1, step: step
    };
  }

  function axes(root, s, currency) {
    for (var v = s.y0; v <= s.y1 + s.step / 2; v += s.step) {
      node("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: s.y(v), y2: s.y(v), "class": "grid" }, root);
      label(root, LEFT - 4, s.y(v) + 3, number(v), "end");
    }
    label(root, LEFT, HEIGHT - 8, month(s.x0 + 0.5 * DAY), "start");
    label(root, WIDTH - RIGHT, HEIGHT - 8, month(s.x1), "end");
    label(root, LEFT + 2, TOP - 4, currency, "start", "currency");
  }

  function pointText(p, currency) {
    var what = { target_raised: "target raised", target_cut: "target cut", target_set: "target" }[p.action] || p.action;
    return p.holder + " · " + p.date + " · " + what + (p.previous !== null ? " from " + number(p.previous) : "") +
      " to " + number(p.price) + " " + currency + (p.rating ? " · " + p.rating : "");
  }

  function series(root, s, holder, points, colour, currency) {
    var group = node("g", { "class": "series", "data-holder": holder }, root);
    if (points.length > 1) {
      node("polyline", { points: points.map(function (p) { return s.x(p.date) + "," + s.y(p.price); }).join(" "),
                         fill: "none", stroke: colour, "stroke-width": 1.6 }, group);
    }
    points.forEach(function (p) {
      if (p.previous !== null) {
        node("line", { x1: s.x(p.date), x2: s.x(p.date), y1: s.y(p.previous), y2: s.y(p.price), stroke: colour,
                       "stroke-dasharray": "3 2", "class": "move" }, group);
        node("circle", { cx: s.x(p.date), cy: s.y(p.previous), r: 2.2, fill: "#fff", stroke: colour, "class": "previous" }, group);
      }
      var dot = node("circle", { cx: s.x(p.date), cy: s.y(p.price), r: 3.6, fill: colour, stroke: "#fff", "class": "point",
                                 "data-holder": holder, "data-date": p.date, "data-price": p.price }, group);
      tooltip(dot, pointText(p, currency));
    });
  }

  function mark(root, s, m, points, colour) {
    var at = points.filter(function (p) { return p.holder === m.holder && p.date === m.date; })[0];
    var x = s.x(m.date), y = at ? s.y(at.price) - 10 : HEIGHT - BOTTOM - 6;
    var shape = m.action === "upgrade" ? "M0,-5L5,4L-5,4Z" : m.action === "downgrade" ? "M0,5L5,-4L-5,-4Z" : "M0,-5L5,0L0,5L-5,0Z";
    var made = node("path", { d: shape, transform: "translate(" + x + "," + y + ")", fill: colour, stroke: "#333",
                              "stroke-width": 0.8, "class": "mark", "data-action": m.action, "data-holder": m.holder }, root);
    tooltip(made, m.holder + " · " + m.date + " · " + (MARK_NAMES[m.action] || m.action) + (m.rating ? " to " + m.rating : ""));
  }

  function chart(record, block, colours, name) {
    var s = scales(block.points, record.marks);
    var root = node("svg", { "class": "targets-chart", viewBox: "0 0 " + WIDTH + " " + HEIGHT, width: WIDTH, height: HEIGHT,
                             role: "img", "data-currency": block.currency });
    tooltip(root, name + ": price targets in " + block.currency);
    axes(root, s, block.currency);
    record.holders.forEach(function (holder) {
      var mine = block.points.filter(function (p) { return p.holder === holder; });
      if (mine.length) { series(root, s, holder, mine, colours[holder], block.currency); }
    });
    record.marks.forEach(function (m) { mark(root, s, m, block.points, colours[m.holder]); });
    return root;
  }

  function legend(record, colours) {
    var list = html("ul", "targets-legend");
    record.holders.forEach(function (holder) {
      var item = html("li");
      var swatch = html("span", "swatch");
      swatch.style.background = colours[holder];
      item.appendChild(swatch);
      var last = [];
      record.currencies.forEach(function (block) {
        var mine = block.points.filter(function (p) { return p.holder === holder; });
        if (mine.length) { last.push(number(mine[mine.length - 1].price) + " " + block.currency); }
      });
      item.appendChild(document.createTextNode(holder + (last.length ? " · latest " + last.join(", ") : "")));
      list.appendChild(item);
    });
    return list;
  }

  window.kgTargetChart = function (record, name) {
    var box = html("section", "targets");
    box.appendChild(html("h3", null, "Price targets"));
    var colours = {};
    record.holders.forEach(function (holder, i) { colours[holder] = PALETTE[i % PALETTE.length]; });
    record.currencies.forEach(function (block) { box.appendChild(chart(record, block, colours, name)); });
    box.appendChild(legend(record, colours));
    if (record.marks.length) {
      box.appendChild(html("p", "targets-note", "▲ upgrade  ▼ downgrade  ◆ new coverage; a dashed stem starts at the target replaced."));
    }
    return box;
  };
})();
