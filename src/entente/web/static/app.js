// Entente web app: draws the overview's network and the dyad chart with plotly.js
// (served by this server from the plotly package). Text from the store is only ever
// set with textContent, never as HTML.
"use strict";

(function () {
  const SIGN = { "1": "+", "-1": "−", "0": "0" };

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function link(href, text) {
    return el("a", text, { href: href });
  }

  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(url + ": " + res.status);
    return res.json();
  }

  // ---- overview: the network at a date, a slider through periods, play ----
  function overview() {
    const form = document.getElementById("network-controls");
    const slider = document.getElementById("at-slider");
    const label = document.getElementById("at-label");
    const play = document.getElementById("play");
    const freqSel = document.getElementById("freq");
    const originSel = document.getElementById("origin");
    let periods = [];
    let timer = null;
    let seq = 0;

    function query(extra) {
      const p = new URLSearchParams({ freq: freqSel.value, origin: originSel.value });
      for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
      return p.toString();
    }

    function drawNetwork(view) {
      const div = document.getElementById("network");
      const at = {};
      for (const n of view.nodes) at[n.code] = n;
      const traces = [];
      const mid = { x: [], y: [], text: [], customdata: [], marker: { size: 14, opacity: 0.01, color: "#000" } };
      for (const e of view.edges) {
        const a = at[e.a], b = at[e.b];
        traces.push({
          type: "scatter", mode: "lines", x: [a.x, b.x], y: [a.y, b.y], hoverinfo: "skip",
          line: { color: e.color, width: e.width, dash: e.sign === 0 ? "dot" : "solid" },
          showlegend: false,
        });
        mid.x.push((a.x + b.x) / 2);
        mid.y.push((a.y + b.y) / 2);
        mid.text.push(e.pair + " " + SIGN[String(e.sign)] + " score " + e.score + ", " + e.n + " records");
        mid.customdata.push(e.pair);
      }
      traces.push(Object.assign({ type: "scatter", mode: "markers", hoverinfo: "text", showlegend: false }, mid));
      traces.push({
        type: "scatter", mode: "markers+text", showlegend: false, hoverinfo: "text",
        x: view.nodes.map((n) => n.x), y: view.nodes.map((n) => n.y),
        text: view.nodes.map((n) => n.code), textposition: "middle center",
        hovertext: view.nodes.map((n) => n.code + ": " + n.records + " records"),
        marker: { size: 34, color: "#ffffff", line: { color: "#37474f", width: 1.5 } },
        textfont: { size: 11, color: "#1d232a" },
      });
      const layout = {
        margin: { l: 10, r: 10, t: 10, b: 10 },
        xaxis: { visible: false, range: [-0.08, 1.08], fixedrange: true },
        yaxis: { visible: false, range: [-0.08, 1.08], fixedrange: true },
        plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff", hovermode: "closest",
      };
      Plotly.react(div, traces, layout, { displayModeBar: false, responsive: true });
      if (!div.dataset.bound) {
        div.dataset.bound = "1";
        div.on("plotly_click", (ev) => {
          const pair = ev.points && ev.points[0] && ev.points[0].customdata;
          if (pair) window.location.href = "/dyad/" + encodeURIComponent(pair);
        });
      }
      document.getElementById("network-empty").hidden = view.edges.length > 0;
      div.dataset.at = view.at || "";
      div.dataset.edges = String(view.edges.length);
    }

    function fillTies(view) {
      const body = document.getElementById("ties");
      body.replaceChildren();
      const edges = view.edges.slice().sort((x, y) => y.n - x.n);
      for (const e of edges) {
        const tr = el("tr");
        const td = el("td");
        td.appendChild(link("/dyad/" + encodeURIComponent(e.pair), e.pair));
        tr.append(td, el("td", SIGN[String(e.sign)]), el("td", e.score, { class: "num" }), el("td", e.n, { class: "num" }));
        body.appendChild(tr);
      }
    }

    async function fillTriads(at) {
      const body = document.getElementById("triads");
      const p = new URLSearchParams({ top: "10", origin: originSel.value });
      if (at) p.set("at", at);
      const data = await getJSON("/api/triangles?" + p.toString());
      body.replaceChildren();
      for (const t of data.triads) {
        const tr = el("tr");
        const td = el("td");
        td.appendChild(link("/triangle?states=" + encodeURIComponent(t.states.join(",")) + (at ? "&at=" + encodeURIComponent(at) : ""), t.states.join("–")));
        tr.append(td, el("td", t.type), el("td", t.balanced === null ? "" : t.balanced ? "yes" : "no"));
        body.appendChild(tr);
      }
      if (!data.triads.length) body.appendChild(el("tr")).appendChild(el("td", "No triad with three signed ties.", { colspan: "3", class: "muted" }));
    }

    async function show(index) {
      const mine = ++seq;
      const period = periods[index];
      const at = period ? period.end : null;
      const view = await getJSON("/api/network?" + query(at ? { at: at } : {}));
      if (mine !== seq) return; // a later step has been asked for
      label.textContent = period ? period.label : "all evidence";
      drawNetwork(view);
      fillTies(view);
      await fillTriads(at);
      document.body.dataset.ready = "1";
    }

    async function start() {
      const all = await getJSON("/api/network?" + query());
      periods = all.periods;
      slider.max = String(Math.max(0, periods.length - 1));
      slider.value = slider.max;
      await show(periods.length - 1);
    }

    slider.addEventListener("input", () => show(Number(slider.value)));
    freqSel.addEventListener("change", start);
    originSel.addEventListener("change", start);
    form.addEventListener("submit", (e) => e.preventDefault());
    play.addEventListener("click", () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        play.textContent = "▶ Play";
        return;
      }
      if (Number(slider.value) >= periods.length - 1) slider.value = "0";
      play.textContent = "❚❚ Pause";
      timer = setInterval(() => {
        const next = Number(slider.value) + 1;
        if (next > periods.length - 1) {
          clearInterval(timer);
          timer = null;
          play.textContent = "▶ Play";
          return;
        }
        slider.value = String(next);
        show(next);
      }, 900);
    });
    start().catch((err) => { document.getElementById("network-empty").hidden = false; document.getElementById("network-empty").textContent = String(err); });
  }

  // ---- dyad: score per period on a date axis, events by quad class ----
  function dyad() {
    const data = JSON.parse(document.getElementById("chart-data").textContent);
    const traces = [{
      type: "scatter", mode: "lines+markers", name: "score per period", x: data.series.x,
      y: data.series.score, line: { color: "#37474f", shape: "hv" }, yaxis: "y",
      hovertemplate: "%{x}: score %{y}<extra></extra>",
    }];
    for (const [quad, colour] of Object.entries(data.colours)) {
      const ev = data.events.filter((e) => e.quad === quad);
      if (!ev.length) continue;
      traces.push({
        type: "scatter", mode: "markers", name: quad, x: ev.map((e) => e.x), y: ev.map((e) => e.y),
        customdata: ev.map((e) => e.id), text: ev.map((e) => e.type), yaxis: "y2",
        marker: { color: colour, size: 9, opacity: 0.8 },
        hovertemplate: "%{text} (%{y})<br>%{x}<extra></extra>",
      });
    }
    const layout = {
      margin: { l: 50, r: 50, t: 10, b: 40 }, hovermode: "closest",
      xaxis: { type: "date", title: { text: "date" } },
      yaxis: { title: { text: "score" }, zeroline: true },
      yaxis2: { title: { text: "intensity" }, overlaying: "y", side: "right", range: [-10.5, 10.5] },
      legend: { orientation: "h", y: -0.2 },
    };
    const div = document.getElementById("dyad-chart");
    Plotly.newPlot(div, traces, layout, { displayModeBar: false, responsive: true }).then(() => {
      document.body.dataset.ready = "1";
    });
    div.on("plotly_click", (ev) => {
      const id = ev.points && ev.points[0] && ev.points[0].customdata;
      if (id) window.location.href = "/records/" + encodeURIComponent(id);
    });
  }

  function pickSentence() {
    // the document page's "add an event" form: a click on a sentence chooses it
    const input = document.getElementById("add-sentence");
    if (!input) return;
    document.querySelectorAll(".doc-text .sentence").forEach((el) => {
      el.addEventListener("click", (ev) => {
        if (ev.target.closest("a")) return;
        input.value = el.id.slice(1);
        document.querySelectorAll(".sentence.picked").forEach((x) => x.classList.remove("picked"));
        el.classList.add("picked");
      });
    });
  }

  function main() {
    pickSentence();
    const page = document.body.dataset.page;
    if (page === "overview") overview();
    else if (page === "dyad") dyad();
    else document.body.dataset.ready = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
