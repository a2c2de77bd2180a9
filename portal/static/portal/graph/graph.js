// "View graph of relations": draws the neighbourhood the page carries in its
// #relation-graph-data JSON block with Cytoscape.js. The same nodes and links are in the
// page's HTML as lists, so without this script nothing is lost.
(function () {
  "use strict";

  const COLOURS = {
    person: "#1f5f99",
    external: "#8a8f94",
    unit: "#b5651d",
    output: "#2e7d4f",
    project: "#6a3d9a",
    dataset: "#00838f",
    impact: "#b0305c",
  };
  const SHAPES = {
    person: "ellipse",
    external: "ellipse",
    unit: "round-rectangle",
    output: "rectangle",
    project: "diamond",
    dataset: "hexagon",
    impact: "star",
  };
  // Concentric rings, the centre's nearest kinds inside: units, persons, projects, then the
  // outputs, datasets and impact around them.
  const RINGS = { unit: 4, person: 3, external: 3, project: 2, output: 1, dataset: 1, impact: 1 };

  function shorten(label) {
    return label.length > 40 ? label.slice(0, 39) + "\u2026" : label;
  }

  function draw() {
    const container = document.getElementById("relation-graph");
    const source = document.getElementById("relation-graph-data");
    if (!container || !source || typeof window.cytoscape !== "function") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const elements = [];
    data.nodes.forEach(function (node) {
      elements.push({
        group: "nodes",
        data: {
          id: node.id,
          label: shorten(node.label),
          fullLabel: node.label,
          kind: node.kind,
          url: node.url,
          centre: node.centre,
        },
      });
    });
    data.edges.forEach(function (edge, index) {
      elements.push({
        group: "edges",
        data: { id: "e" + index, source: edge.source, target: edge.target, kind: edge.kind },
      });
    });
    container.hidden = false;
    const cy = window.cytoscape({
      container: container,
      elements: elements,
      // Cytoscape's canvas renderer draws text itself: no HTML is made from the labels.
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "background-color": function (node) { return COLOURS[node.data("kind")] || "#555"; },
            shape: function (node) { return SHAPES[node.data("kind")] || "ellipse"; },
            "font-size": 9,
            "text-valign": "bottom",
            "text-margin-y": 3,
            width: 14,
            height: 14,
          },
        },
        { selector: "node[?centre]", style: { width: 28, height: 28, "font-size": 12, "font-weight": "bold" } },
        { selector: "node[url != '']", style: { "border-width": 1, "border-color": "#222" } },
        { selector: "edge", style: { width: 1, "line-color": "#b8bec4", "curve-style": "haystack" } },
      ],
      layout: {
        name: "concentric",
        concentric: function (node) { return node.data("centre") ? 10 : RINGS[node.data("kind")] || 1; },
        levelWidth: function () { return 1; },
        minNodeSpacing: 12,
        animate: false,
      },
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", function (event) {
      const url = event.target.data("url");
      if (url && !event.target.data("centre")) {
        window.location.assign(url);
      }
    });
    container.dataset.drawn = String(cy.nodes().length);
    window.relationGraph = cy;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
