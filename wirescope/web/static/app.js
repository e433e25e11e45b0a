// wirescope: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // document page: hovering an item in the side lists lights up its spans in the text
  function hover(item, on) {
    var id = item.getAttribute("data-ref");
    var text = document.getElementById("doc-text");
    if (!id || !text) return;
    item.classList.toggle("hot", on);
    text.querySelectorAll(".hl").forEach(function (el) {
      var ids = (el.getAttribute("data-ids") || "").split(" ");
      if (ids.indexOf(id) !== -1) el.classList.toggle("hot", on);
    });
  }
  document.querySelectorAll("[data-ref]").forEach(function (item) {
    item.addEventListener("mouseenter", function () { hover(item, true); });
    item.addEventListener("mouseleave", function () { hover(item, false); });
  });

  // document page: layer toggles
  document.querySelectorAll(".layers input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      var text = document.getElementById("doc-text");
      if (text) text.classList.toggle("hide-" + box.getAttribute("data-layer"), !box.checked);
    });
  });

  // network: hovering a node dims everything not connected to it
  document.querySelectorAll("svg.network").forEach(function (svg) {
    svg.querySelectorAll(".node").forEach(function (node) {
      var id = node.getAttribute("data-id");
      function mark(on) {
        svg.classList.toggle("dim", on);
        node.classList.toggle("hot", on);
        svg.querySelectorAll(".edge").forEach(function (edge) {
          var s = edge.getAttribute("data-source"), t = edge.getAttribute("data-target");
          if (s === id || t === id) {
            edge.classList.toggle("hot", on);
            svg.querySelectorAll(".node").forEach(function (other) {
              var oid = other.getAttribute("data-id");
              if (oid === s || oid === t) other.classList.toggle("hot", on);
            });
          }
        });
      }
      node.addEventListener("mouseenter", function () { mark(true); });
      node.addEventListener("mouseleave", function () { mark(false); });
    });
  });
})();

// analyst forms: the write token is typed once per tab (sessionStorage, never a cookie) and filled in
(function () {
  "use strict";
  var KEY = "wirescope.token";
  var fields = document.querySelectorAll("form input[name=token]");
  if (!fields.length) return;
  var stored = null;
  try { stored = window.sessionStorage.getItem(KEY); } catch (e) { stored = null; }
  fields.forEach(function (field) {
    if (stored && !field.value) field.value = stored;
    field.form.addEventListener("submit", function () {
      try { if (field.value) window.sessionStorage.setItem(KEY, field.value); } catch (e) { /* private mode */ }
    });
  });
})();
