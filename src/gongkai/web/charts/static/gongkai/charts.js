/* Draws every chart of the page from the ECharts option the server wrote beside it
   (<script type="application/json">, no inline script: the site's CSP forbids it). */
"use strict";
(function () {
  function tooltip(percent) {
    return function (params) {
      var items = Array.isArray(params) ? params : [params];
      var esc = echarts.format.encodeHTML;  // names come from records: never markup
      var lines = items.length ? [esc(String(items[0].axisValueLabel || items[0].name))] : [];
      items.forEach(function (p) {
        var d = p.data || {};
        var value = d.value === null || d.value === undefined ? "—" : d.value + (percent ? "%" : "");
        if (d.of !== undefined && d.of !== null) { value += "（" + d.count + "/" + d.of + "）"; }
        lines.push(p.marker + esc(String(p.seriesName)) + "：" + value);
      });
      return lines.join("<br>");
    };
  }
  function draw(element) {
    var source = document.getElementById(element.dataset.chartOption);
    if (!source || typeof echarts === "undefined") { return; }
    var option = JSON.parse(source.textContent);
    var percent = option.gongkai && option.gongkai.percent;
    delete option.gongkai;
    option.tooltip = Object.assign({}, option.tooltip, {formatter: tooltip(percent)});
    var chart = echarts.init(element, null, {renderer: "canvas"});
    chart.setOption(option);
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.chartDrawn = "1";
  }
  function drawAll() { document.querySelectorAll("[data-chart-option]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
}());
