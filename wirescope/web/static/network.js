// wirescope: the interactive network (Cytoscape.js). Without the library, or without JavaScript,
// the page keeps its server-rendered SVG; this file only takes over when both are there.
(function () {
  "use strict";
  var box = document.getElementById("cy");
  var source = document.getElementById("network-data");
  if (!box || !source || typeof window.cytoscape !== "function") return;
  var data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }
  var colours = data.colours || {actors: {}, relations: {}};
  var filters = data.filters || {};
  var panel = document.getElementById("selection");
  var panelBody = document.getElementById("selection-body");

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) el.className = cls;
    return el;
  }
  function link(href, value) {
    var a = text("a", value);
    a.setAttribute("href", href);
    return a;
  }
  function enc(v) { return encodeURIComponent(String(v)); }
  function actorHref(id) { return "/actors/" + enc(id); }
  function relationHref(s, t, o) { return "/relations/" + enc(s) + "/" + enc(t) + "/" + enc(o); }
  function short(name) { name = String(name || ""); return name.length > 28 ? name.slice(0, 27) + "\u2026" : name; }
  function count(v) { return Array.isArray(v) ? v.length : (parseInt(v, 10) || 0); }

  function nodeElement(n) {
    var type = n.type || "other";
    var docs = count(n.documents);
    var classes = ["type-" + type];
    if (n.anonymous) classes.push("anonymous");
    if (data.focus && n.id === data.focus) classes.push("focus");
    return {group: "nodes", data: {
      id: n.id, label: short(n.name || n.id), name: n.name || n.id, type: type, subtype: n.subtype || "",
      documents: docs, colour: colours.actors[type] || colours.actors.other || "#999",
      size: 16 + Math.min(34, 5 * Math.sqrt(docs || 1))
    }, classes: classes.join(" ")};
  }
  function edgeId(e) { return e.source + "|" + (e.type || e.key) + "|" + e.target; }
  function edgeElement(e) {
    var type = e.type || e.key || "other";
    var support = count(e.support), against = count(e.against);
    var negative = against > support || (support === 0 && e.polarity === "negative");
    var sources = parseInt(e.independent_sources, 10) || 0;
    var classes = ["rel-" + type];
    if (negative) classes.push("negative");
    if (e.symmetric) classes.push("symmetric");
    return {group: "edges", data: {
      id: edgeId(e), source: e.source, target: e.target, type: type,
      label: type.replace(/_/g, " ") + (negative ? " (denied)" : ""),
      colour: colours.relations[type] || colours.relations.other || "#999",
      width: 1.5 + Math.min(6, 1.2 * sources), support: support, against: against, sources: sources,
      first: e.first_seen || "", last: e.last_seen || "", confidence: e.confidence
    }, classes: classes.join(" ")};
  }
  function elementsOf(graph) {
    var out = [];
    (graph.nodes || []).forEach(function (n) { out.push(nodeElement(n)); });
    (graph.edges || []).forEach(function (e) { out.push(edgeElement(e)); });
    return out;
  }

  var cy = window.cytoscape({
    container: box,
    elements: elementsOf(data),
    minZoom: 0.15, maxZoom: 3,
    style: [
      {selector: "node", style: {
        "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
        "label": "data(label)", "font-size": 11, "color": "#222", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#fff", "text-background-opacity": 0.75, "text-background-padding": 1,
        "min-zoomed-font-size": 7, "border-width": 1.5, "border-color": "#fff"}},
      {selector: "node.anonymous", style: {"border-style": "dashed", "border-color": "#333"}},
      {selector: "node.focus", style: {"border-width": 4, "border-color": "#111"}},
      {selector: "node.expanded", style: {"border-width": 3, "border-color": "#2754c5"}},
      {selector: "edge", style: {
        "width": "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.9, "opacity": 0.85,
        "label": "data(label)", "font-size": 9, "color": "#444", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "min-zoomed-font-size": 8}},
      {selector: "edge.symmetric", style: {"target-arrow-shape": "none"}},
      {selector: "edge.negative", style: {"line-style": "dashed", "color": "#8a1c14"}},
      {selector: ".faded", style: {"opacity": 0.12, "text-opacity": 0.2}},
      {selector: ".path", style: {"opacity": 1, "z-index": 10, "underlay-color": "#ffd166", "underlay-opacity": 0.8,
                                  "underlay-padding": 5}},
      {selector: ":selected", style: {"overlay-color": "#2754c5", "overlay-opacity": 0.15}}
    ]
  });
  window.wirescopeNetwork = cy;  // for the browser tests and for an analyst's console

  function layout(fit) {
    var running = cy.layout({name: "cose", animate: false, randomize: false, fit: fit !== false, padding: 40,
                             nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 12000; },
                             idealEdgeLength: function () { return 70; }, edgeElasticity: function () { return 100; },
                             nodeOverlap: 12, gravity: 0.8, numIter: 1500, componentSpacing: 60});
    running.run();
    if (fit !== false && cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(); }
  }
  function status() {
    box.setAttribute("data-nodes", String(cy.nodes().length));
    box.setAttribute("data-edges", String(cy.edges().length));
  }
  // start from a circle (a stable start: the same data draws the same picture), then spread
  cy.layout({name: "circle", fit: false, radius: 60 + 18 * cy.nodes().length}).run();
  box.hidden = false;
  var picture = document.getElementById("network-picture");
  if (picture) picture.hidden = true;
  var help = document.getElementById("network-help");
  if (help) help.hidden = false;
  cy.resize();
  layout(true);
  status();
  box.setAttribute("data-ready", "true");

  // ---- the selection panel ----------------------------------------------------------------------
  function show(title, rows, links, note) {
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    panelBody.appendChild(text("h3", title));
    var dl = document.createElement("dl");
    rows.forEach(function (r) { dl.appendChild(text("dt", r[0])); dl.appendChild(text("dd", r[1])); });
    panelBody.appendChild(dl);
    links.forEach(function (l) {
      var p = document.createElement("p");
      p.appendChild(link(l[0], l[1]));
      panelBody.appendChild(p);
    });
    if (note) panelBody.appendChild(text("p", note, "muted"));
    panel.hidden = false;
  }
  function showNode(node, note) {
    var d = node.data();
    show(d.name, [["type", d.type + (d.subtype ? " (" + d.subtype + ")" : "")], ["documents", d.documents],
                  ["relations shown", node.connectedEdges().length]],
         [[actorHref(d.id), "Open the actor page"], ["/network?entity=" + enc(d.id), "Network around this actor"]], note);
  }
  function showEdge(edge) {
    var d = edge.data();
    var s = edge.source().data("name"), o = edge.target().data("name");
    show(s + " " + d.type.replace(/_/g, " ") + " " + o,
         [["supporting", d.support], ["contradicting", d.against], ["independent sources", d.sources],
          ["seen", d.first + (d.last && d.last !== d.first ? " \u2013 " + d.last : "")]],
         [[relationHref(d.source, d.type, d.target), "The evidence, claims and denials by date"]]);
  }

  // ---- expanding a node: its strongest relations from /api/network/neighbours ---------------------
  function query(extra) {
    var parts = [];
    (filters.type || []).forEach(function (t) { parts.push("type=" + enc(t)); });
    ["since", "until"].forEach(function (k) { if (filters[k]) parts.push(k + "=" + enc(filters[k])); });
    if (filters.min_sources) parts.push("min_sources=" + enc(filters.min_sources));
    if (filters.generic) parts.push("generic=true");
    Object.keys(extra).forEach(function (k) { parts.push(k + "=" + enc(extra[k])); });
    return parts.join("&");
  }
  function add(graph, around) {
    var before = cy.elements().length;
    var centre = around ? around.position() : {x: 0, y: 0};
    var fresh = (graph.nodes || []).filter(function (n) { return cy.getElementById(n.id).empty(); });
    fresh.forEach(function (n, i) {
      var el = nodeElement(n);
      var angle = 2 * Math.PI * i / Math.max(1, fresh.length);
      el.position = {x: centre.x + 140 * Math.cos(angle), y: centre.y + 140 * Math.sin(angle)};
      cy.add(el);
    });
    (graph.edges || []).forEach(function (e) {
      if (cy.getElementById(edgeId(e)).empty()) cy.add(edgeElement(e));
    });
    return cy.elements().length - before;
  }
  function expand(node) {
    if (node.data("expanding")) return;
    node.data("expanding", true);
    box.setAttribute("data-busy", "true");
    fetch("/api/network/neighbours?" + query({actor: node.id(), limit: data.expand || 25}),
          {headers: {accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (answer) {
        node.data("expanding", false);
        box.removeAttribute("data-busy");
        if (!answer.ok) {
          showNode(node, (answer.body.error && answer.body.error.message) || "Could not expand this actor.");
          return;
        }
        var before = cy.nodes().length;
        add(answer.body, node);
        node.addClass("expanded");
        layout(true);  // spread and fit: every actor stays in view
        status();
        var added = cy.nodes().length - before;
        showNode(node, added ? "Added " + added + " actor(s) around it." + (answer.body.truncated ?
                   " Only its " + (data.expand || 25) + " strongest relations are shown." : "")
                 : "No further relations with these filters.");
      })
      .catch(function () {
        node.data("expanding", false);
        box.removeAttribute("data-busy");
        showNode(node, "Could not reach the server.");
      });
  }
  // one click expands (on "onetap": once no second click followed), a double click opens the actor's
  // page, and only when both clicks were on it
  var taps = [];
  cy.on("tap", "node", function (evt) { taps = taps.concat([evt.target.id()]).slice(-2); });
  cy.on("onetap", "node", function (evt) {
    clearPath();
    showNode(evt.target);
    expand(evt.target);
  });
  cy.on("tap", "edge", function (evt) { taps = []; showEdge(evt.target); });
  cy.on("dbltap", "node", function (evt) {
    if (taps.length === 2 && taps[0] === evt.target.id() && taps[1] === evt.target.id()) {
      window.location.href = actorHref(evt.target.id());
    }
  });
  cy.on("mouseover", "node", function (evt) {
    if (cy.$(".path").length) return;
    var near = evt.target.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
  });
  cy.on("mouseout", "node", function () { if (!cy.$(".path").length) cy.elements().removeClass("faded"); });

  // ---- the shortest path between two actors (/api/network/path) --------------------------------------
  function clearPath() {
    cy.elements().removeClass("path faded");
  }
  function highlight(answer) {
    clearPath();
    if (!answer.found) return;
    add(answer, null);
    var chain = answer.path || [];
    var on = cy.collection();
    chain.forEach(function (id, i) {
      on = on.union(cy.getElementById(id));
      if (i > 0) {
        var a = chain[i - 1];
        on = on.union(cy.edges().filter(function (e) {
          return (e.source().id() === a && e.target().id() === id) || (e.source().id() === id && e.target().id() === a);
        }));
      }
    });
    cy.elements().not(on).addClass("faded");
    on.addClass("path");
    layout(false);
    cy.fit(on, 60);
    status();
    box.setAttribute("data-path", chain.join(" "));
  }
  var pathForm = document.getElementById("path-form");
  var pathResult = document.getElementById("path-result");
  if (pathForm) {
    pathForm.addEventListener("submit", function (evt) {
      var from = pathForm.elements.from.value.trim(), to = pathForm.elements.to.value.trim();
      if (!from || !to) return;
      evt.preventDefault();
      box.setAttribute("data-busy", "true");
      fetch("/api/network/path?" + query({from: from, to: to}), {headers: {accept: "application/json"}})
        .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
        .then(function (answer) {
          box.removeAttribute("data-busy");
          while (pathResult.firstChild) pathResult.removeChild(pathResult.firstChild);
          pathResult.hidden = false;
          pathResult.appendChild(text("h2", "Path from " + from + " to " + to));
          if (!answer.ok) {
            pathResult.appendChild(text("p", (answer.body.error && answer.body.error.message) || "No answer.", "error-note"));
            clearPath();
            box.setAttribute("data-path", "");
            return;
          }
          if (!answer.body.found) {
            pathResult.appendChild(text("p", "No chain of at most " + answer.body.max_hops +
                                    " supported relations joins them with these filters.", "muted"));
            clearPath();
            box.setAttribute("data-path", "");
            return;
          }
          var names = {};
          answer.body.nodes.forEach(function (n) { names[n.id] = n.name; });
          var list = document.createElement("ol");
          list.className = "path";
          var chain = answer.body.path;
          for (var i = 1; i < chain.length; i++) {
            var li = document.createElement("li");
            li.appendChild(link(actorHref(chain[i - 1]), names[chain[i - 1]]));
            answer.body.edges.forEach(function (e) {
              if ((e.source === chain[i - 1] && e.target === chain[i]) || (e.source === chain[i] && e.target === chain[i - 1])) {
                li.appendChild(document.createTextNode(" \u2014 "));
                li.appendChild(link(relationHref(e.source, e.type, e.target), e.type.replace(/_/g, " ")));
              }
            });
            li.appendChild(document.createTextNode(" \u2014 "));
            li.appendChild(link(actorHref(chain[i]), names[chain[i]]));
            list.appendChild(li);
          }
          pathResult.appendChild(list);
          highlight(answer.body);
          if (window.history && window.history.replaceState) {
            var params = new URLSearchParams(window.location.search);
            params.set("from", from);
            params.set("to", to);
            window.history.replaceState(null, "", "/network?" + params.toString());
          }
        })
        .catch(function () { box.removeAttribute("data-busy"); });
    });
  }
  if (data.path && data.path.found) highlight({found: true, path: data.path.path, nodes: data.path.graph.nodes,
                                               edges: data.path.graph.edges});
})();
