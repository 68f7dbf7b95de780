/* Labbook loss-landscape viewer: turns each .surface-viewer div into an
 * interactive three.js (r111, global THREE + THREE.OrbitControls) surface.
 * The static figure it accompanies always stays, so any failure here simply
 * leaves the div hidden: this script must never throw or write to the console,
 * because the report's browser check fails on any console message.
 * With #labbook-selftest in the URL it writes a render check into the body's
 * data-selftest attribute (see docs/browser-check.md). This comment avoids
 * spelling that attribute with "=" so greps of inlined pages stay unambiguous.
 *
 * The JSON in script.surface-data is either one surface
 *   {title, alphas, betas, loss, accuracy?, trained?, colormap, xLabel, yLabel, initialScale}
 * or several drawn side by side on one shared height/colour scale
 *   {title?, panels: [surface, …], sharedScale: true, colormap, initialScale}
 * (a panel without colormap/initialScale takes the top-level one). */
(function () {
  "use strict";
  var SELFTEST = /labbook-selftest/.test(window.location.hash);
  var CANVAS_HEIGHT = 420;       // CSS px per row of panels; width follows the container
  var MIN_PANEL_WIDTH = 320;     // narrower than this, panels stack instead of sitting side by side
  var FLOOR_GAP = 0.25;          // world units between the box floor (contours) and the lowest loss
  var BOX_HEIGHT = 0.9;          // world units the loss range spans; alpha/beta span [-1, 1]
  var TOP = FLOOR_GAP + BOX_HEIGHT;
  var CONTOUR_LEVELS = 10;
  var MARKER_PX = 15;            // trained-point marker diameter on screen, whatever the zoom
  var HINT = "Drag to rotate, scroll to zoom, right-drag to pan; hover for values.";
  var DARK_QUERY = "(prefers-color-scheme: dark)";
  // Mirrors the --paper/--panel/--text/--muted/--line variables of style.css in both schemes,
  // so the canvas matches the page (and still looks right on a page without style.css).
  var THEMES = {
    light: { dark: false, background: 0xffffff, floor: 0xf6f8fa, text: "#1f2328", muted: "#59636e", border: "#d1d9e0",
      axis: 0x8c959f, grid: 0xd8dee4, wire: 0x000000, wireOpacity: 0.16 },
    dark: { dark: true, background: 0x0d1117, floor: 0x151b23, text: "#e6edf3", muted: "#9198a1", border: "#3d444d",
      axis: 0x6e7681, grid: 0x30363d, wire: 0x000000, wireOpacity: 0.22 }
  };
  var errors = [];
  var viewers = [];

  if (SELFTEST) {
    // Registered before any viewer code runs so the test also sees our own failures.
    var note = function (text) {
      errors.push(String(text));
      (document.body || document.documentElement).setAttribute("data-selftest-errors", JSON.stringify(errors));
    };
    window.addEventListener("error", function (e) { note(e.message || "error"); });
    window.addEventListener("unhandledrejection", function (e) { note("unhandled rejection: " + (e.reason && e.reason.message || e.reason)); });
  }

  var darkQuery = window.matchMedia ? window.matchMedia(DARK_QUERY) : null;
  function currentTheme() { return darkQuery && darkQuery.matches ? THEMES.dark : THEMES.light; }
  function hex(c) { return "#" + ("00000" + c.toString(16)).slice(-6); }

  function fmt(v) {
    if (typeof v !== "number" || !isFinite(v)) return "NaN";
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(4));
  }
  function minus(s) { return s.replace(/-/g, "\u2212"); }  // typographic minus on tick labels

  // Piecewise-linear lookup in [[pos, r, g, b], …] stops; copes with 0 or 1 stop.
  function colourAt(stops, t) {
    if (!stops || !stops.length) return [t, t, t];
    t = Math.min(1, Math.max(0, t || 0));
    var k = 1;
    while (k < stops.length - 1 && stops[k][0] < t) k++;
    var a = stops[k - 1], b = stops[k] || a, span = b[0] - a[0];
    var f = span > 0 ? Math.min(1, Math.max(0, (t - a[0]) / span)) : 0;
    return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]), a[3] + f * (b[3] - a[3])];
  }

  // Non-positive or missing losses are holes in both scales, so the triangle
  // index (and the grid-line index) never changes when the scale is toggled.
  function valid(v) { return typeof v === "number" && isFinite(v) && v > 0; }
  function height(v, log) { return valid(v) ? (log ? Math.log10(v) : v) : null; }

  /* ---------- ticks ---------- */

  // 1, 2 or 5 times a power of ten, giving about `count` steps over `span`.
  function niceStep(span, count) {
    var raw = span / count, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return p * (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10);
  }
  // Round-number ticks in [lo, hi], all printed with the same number of decimals.
  function linearTicks(lo, hi, count) {
    if (!(hi > lo)) return [{ value: lo, text: minus(fmt(lo)) }];
    var step = niceStep(hi - lo, count), decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)), out = [];
    for (var n = Math.ceil(lo / step - 1e-9); n * step <= hi + step * 1e-9; n++) {
      var v = n * step;
      out.push({ value: v, text: minus((n === 0 ? 0 : v).toFixed(decimals)) });
    }
    return out;
  }
  // A loss value as a log-axis tick label: 0.01, 0.5, 20, 1e−4 …
  function lossText(v) { return minus(v >= 1e-3 && v < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(0).replace("+", "")); }
  // Ticks for heights in log10(loss): decades (with 2× and 5× when the range is short),
  // labelled in loss values; long ranges keep every 2nd/3rd decade.
  function logTicks(lo, hi) {
    var mults = hi - lo < 1.6 ? [1, 2, 5] : [1], every = Math.max(1, Math.ceil((hi - lo) / 6)), out = [];
    for (var e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      if (e % every) continue;
      for (var m = 0; m < mults.length; m++) {
        var h = e + Math.log10(mults[m]);
        if (h >= lo - 1e-9 && h <= hi + 1e-9) out.push({ value: h, text: lossText(mults[m] * Math.pow(10, e)) });
      }
    }
    if (out.length >= 2) return out;
    // Less than a factor of ~2 between min and max: round loss values, placed logarithmically.
    return linearTicks(Math.pow(10, lo), Math.pow(10, hi), 4).filter(function (t) { return t.value > 0; })
      .map(function (t) { return { value: Math.log10(t.value), text: t.text }; });
  }

  /* ---------- text sprites ---------- */

  function pow2(n) { var p = 1; while (p < n) p *= 2; return p; }
  // A text label as a sprite of constant on-screen size (sizeAttenuation off; sizeSprites()
  // sets its scale per viewport). Canvases are powers of two so WebGL1 never resizes them,
  // drawn at 2× for crisp text. `align` says which end of the text sits on its position.
  function makeText(text, o) {
    var R = 2, c = document.createElement("canvas"), g = c.getContext("2d");
    var font = (o.bold ? "bold " : "") + o.px * R + "px 'DejaVu Sans', sans-serif";
    g.font = font;
    c.width = pow2(Math.ceil(g.measureText(text).width) + 6 * R);
    c.height = pow2(Math.ceil(o.px * R * 1.5));
    var tex = new THREE.CanvasTexture(c);
    tex.minFilter = THREE.LinearFilter;
    tex.generateMipmaps = false;
    var material = new THREE.SpriteMaterial({ map: tex, depthTest: false, depthWrite: false, transparent: true, sizeAttenuation: false });
    var sprite = new THREE.Sprite(material);
    var align = o.align || "center";
    sprite.center.set(align === "left" ? 0 : align === "right" ? 1 : 0.5, 0.5);
    sprite.renderOrder = 5;
    sprite.pxW = c.width / R;
    sprite.pxH = c.height / R;
    sprite.redraw = function (theme) {
      g.clearRect(0, 0, c.width, c.height);
      g.font = font;
      g.fillStyle = theme[o.colour || "text"];
      g.textAlign = align;
      g.textBaseline = "middle";
      g.fillText(text, align === "left" ? 3 * R : align === "right" ? c.width - 3 * R : c.width / 2, c.height / 2);
      tex.needsUpdate = true;
    };
    sprite.dispose = function () { tex.dispose(); material.dispose(); };
    return sprite;
  }

  // The trained-point marker: a red disc with a white ring and a dark hairline, readable on
  // any colour of the surface and on both page colours.
  function markerTexture() {
    var c = document.createElement("canvas"), g = c.getContext("2d"), s = 64;
    c.width = c.height = s;
    g.beginPath(); g.arc(s / 2, s / 2, s / 2 - 2, 0, 2 * Math.PI);
    g.fillStyle = "rgba(0,0,0,0.55)"; g.fill();
    g.beginPath(); g.arc(s / 2, s / 2, s / 2 - 4, 0, 2 * Math.PI);
    g.fillStyle = "#ffffff"; g.fill();
    g.beginPath(); g.arc(s / 2, s / 2, s / 2 - 12, 0, 2 * Math.PI);
    g.fillStyle = "#e31a1c"; g.fill();
    var tex = new THREE.CanvasTexture(c);
    tex.minFilter = THREE.LinearFilter;
    tex.generateMipmaps = false;
    return tex;
  }

  /* ---------- geometry helpers ---------- */

  function lineGeometry(points, colours) {
    var geo = new THREE.BufferGeometry();
    geo.setAttribute("position", new THREE.Float32BufferAttribute(points, 3));  // not r110-deprecated addAttribute
    if (colours) geo.setAttribute("color", new THREE.Float32BufferAttribute(colours, 3));
    return geo;
  }
  // Swaps the geometry of a LineSegments whose contents depend on the scale.
  function replaceGeometry(object, geo) {
    if (object.geometry) object.geometry.dispose();
    object.geometry = geo;
  }

  // Marching squares. Corners 0:(i,j) 1:(i+1,j) 2:(i+1,j+1) 3:(i,j+1); bit k of the case is
  // set when corner k lies above the level; edges e0:0–1 e1:1–2 e2:2–3 e3:3–0. Each entry
  // lists edge pairs to join; the saddles (5, 10) are settled by the cell's mean.
  var EDGE_CORNERS = [[0, 1], [1, 2], [2, 3], [3, 0]];
  var CASES = [[], [3, 0], [0, 1], [3, 1], [1, 2], null, [0, 2], [3, 2], [2, 3], [0, 2], null, [1, 2], [1, 3], [0, 1], [3, 0], []];
  function contourSegments(h, N, M, xs, zs, level, y, rgb, points, colours) {
    var count = 0, cx = [0, 1, 1, 0], cz = [0, 0, 1, 1], v = [0, 0, 0, 0];
    for (var j = 0; j + 1 < M; j++) for (var i = 0; i + 1 < N; i++) {
      v[0] = h[j][i]; v[1] = h[j][i + 1]; v[2] = h[j + 1][i + 1]; v[3] = h[j + 1][i];
      if (v[0] === null || v[1] === null || v[2] === null || v[3] === null) continue;  // holes
      var c = (v[0] > level ? 1 : 0) | (v[1] > level ? 2 : 0) | (v[2] > level ? 4 : 0) | (v[3] > level ? 8 : 0);
      var edges = CASES[c];
      if (!edges) {
        var centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
        edges = (c === 5) === centreAbove ? [0, 1, 2, 3] : [3, 0, 1, 2];
      }
      for (var e = 0; e < edges.length; e++) {
        var ab = EDGE_CORNERS[edges[e]], a = ab[0], b = ab[1], f = (level - v[a]) / (v[b] - v[a]);
        var x0 = xs[i + cx[a]], x1 = xs[i + cx[b]], z0 = zs[j + cz[a]], z1 = zs[j + cz[b]];
        points.push(x0 + f * (x1 - x0), y, z0 + f * (z1 - z0));
        colours.push(rgb[0], rgb[1], rgb[2]);
      }
      count += edges.length / 2;
    }
    return count;
  }

  /* ---------- one panel: a surface in its own scene ---------- */

  // World frame: x = alpha, y = height (three.js is y-up, which OrbitControls assumes), z = -beta.
  // Axis decorations are built for a camera in the (+x, +z) quadrant and mirrored by orient().
  function buildPanel(d, colormap, titled) {
    var N = d.alphas.length, M = d.betas.length;
    if (N < 2 || M < 2 || !d.loss || d.loss.length !== M) throw new Error("bad surface shape");
    var panel = { data: d, title: d.title || "", colormap: colormap, labels: [], scene: new THREE.Scene() };
    var scene = panel.scene;
    // Mostly ambient light: enough shading to read the shape without distorting the colormap much.
    var sun = new THREE.DirectionalLight(0xffffff, 0.4);
    sun.position.set(1, 3, 2);
    scene.add(new THREE.AmbientLight(0xffffff, 0.7), sun);

    var a0 = d.alphas[0], a1 = d.alphas[N - 1], b0 = d.betas[0], b1 = d.betas[M - 1];
    function wx(a) { return -1 + 2 * (a - a0) / ((a1 - a0) || 1); }
    function wz(b) { return 1 - 2 * (b - b0) / ((b1 - b0) || 1); }
    panel.xs = d.alphas.map(wx);
    panel.zs = d.betas.map(wz);
    var pos = new Float32Array(N * M * 3), col = new Float32Array(N * M * 3), tris = [], lines = [];
    function ok(j, i) { return valid(d.loss[j] && d.loss[j][i]); }
    var step = Math.max(1, Math.round((Math.max(N, M) - 1) / 20));  // ~20 grid lines a side
    for (var j = 0; j < M; j++) for (var i = 0; i < N; i++) {
      var k = j * N + i;
      pos[3 * k] = panel.xs[i];
      pos[3 * k + 2] = panel.zs[j];
      if (i + 1 < N && j + 1 < M) {
        if (ok(j, i) && ok(j, i + 1) && ok(j + 1, i + 1)) tris.push(k, k + 1, k + N + 1);
        if (ok(j, i) && ok(j + 1, i + 1) && ok(j + 1, i)) tris.push(k, k + N + 1, k + N);
      }
      if (j % step === 0 && i + 1 < N && ok(j, i) && ok(j, i + 1)) lines.push(k, k + 1);
      if (i % step === 0 && j + 1 < M && ok(j, i) && ok(j + 1, i)) lines.push(k, k + N);
    }
    if (!tris.length) throw new Error("no positive finite loss values");
    panel.posAttr = new THREE.BufferAttribute(pos, 3);
    panel.colAttr = new THREE.BufferAttribute(col, 3);
    var geo = new THREE.BufferGeometry();
    geo.setAttribute("position", panel.posAttr);
    geo.setAttribute("color", panel.colAttr);
    geo.setIndex(tris);
    panel.mesh = new THREE.Mesh(geo, new THREE.MeshLambertMaterial({
      vertexColors: THREE.VertexColors, side: THREE.DoubleSide,
      // Push the surface back a little so the grid lines drawn on it do not z-fight.
      polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1 }));
    var gridGeo = new THREE.BufferGeometry();
    gridGeo.setAttribute("position", panel.posAttr);  // shared, so rescaling moves the grid too
    gridGeo.setIndex(lines);
    panel.wireMat = new THREE.LineBasicMaterial({ transparent: true });
    scene.add(panel.mesh, new THREE.LineSegments(gridGeo, panel.wireMat));

    // The floor: a pane (seen from above only, so it never hides the surface from below)
    // carrying the contour projection.
    panel.floorMat = new THREE.MeshBasicMaterial({ side: THREE.FrontSide });
    var floor = new THREE.Mesh(new THREE.PlaneBufferGeometry(2, 2), panel.floorMat);
    floor.rotation.x = -Math.PI / 2;
    panel.contours = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ vertexColors: THREE.VertexColors }));
    scene.add(floor, panel.contours);

    buildFrame(panel, d, wx, wz);
    buildTrained(panel, d, wx, wz);
    if (titled && panel.title) {
      // Panel titles live in a screen-space overlay drawn after the panel's scene.
      panel.hud = new THREE.Scene();
      panel.hudCamera = new THREE.OrthographicCamera(0, 1, 1, 0, -1, 1);
      panel.titleSprite = makeText(panel.title, { px: 14, bold: true });
      panel.hud.add(panel.titleSprite);
    }
    return panel;
  }

  // Box edges but the front vertical one, grid lines at the ticks on the two back walls
  // (behind the surface, as in most 3-D plots), tick marks and labels.
  function buildFrame(panel, d, wx, wz) {
    panel.axisMat = new THREE.LineBasicMaterial();
    panel.gridMat = new THREE.LineBasicMaterial();
    // Canonical back walls at x = -1 and z = -1; floor outline; no front vertical edge,
    // which would cut through the middle of the picture.
    var edges = [-1, 0, -1, 1, 0, -1, 1, 0, -1, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, -1,
      -1, 0, -1, -1, TOP, -1, 1, 0, -1, 1, TOP, -1, -1, 0, 1, -1, TOP, 1,
      -1, TOP, -1, 1, TOP, -1, -1, TOP, -1, -1, TOP, 1];
    panel.walls = new THREE.Group();
    panel.wallGrid = new THREE.LineSegments(new THREE.BufferGeometry(), panel.gridMat);
    panel.walls.add(new THREE.LineSegments(lineGeometry(edges), panel.axisMat), panel.wallGrid);

    panel.alphaTicks = linearTicks(d.alphas[0], d.alphas[d.alphas.length - 1], 4);
    panel.betaTicks = linearTicks(d.betas[0], d.betas[d.betas.length - 1], 4);
    var T = 0.05, alphaMarks = [], betaMarks = [];
    // Alpha along the front floor edge (z = +1), beta along the right one (x = +1).
    panel.alphaAxis = new THREE.Group();
    panel.alphaTicks.forEach(function (t) {
      var x = t.world = wx(t.value);
      alphaMarks.push(x, 0, 1, x, 0, 1 + T);
      addLabel(panel, panel.alphaAxis, t.text, x, -0.03, 1 + 0.15, { px: 12, colour: "muted" });
    });
    panel.alphaAxis.add(new THREE.LineSegments(lineGeometry(alphaMarks), panel.axisMat));
    addLabel(panel, panel.alphaAxis, d.xLabel || "α", 0, -0.1, 1.36, { px: 13 }, true);
    panel.betaAxis = new THREE.Group();
    panel.betaTicks.forEach(function (t) {
      var z = t.world = wz(t.value);
      betaMarks.push(1, 0, z, 1 + T, 0, z);
      addLabel(panel, panel.betaAxis, t.text, 1 + 0.15, -0.03, z, { px: 12, colour: "muted" });
    });
    panel.betaAxis.add(new THREE.LineSegments(lineGeometry(betaMarks), panel.axisMat));
    addLabel(panel, panel.betaAxis, d.yLabel || "β", 1.36, -0.1, 0, { px: 13 }, true);
    // The loss axis is rebuilt by setScale(); orient() puts it on the left-hand vertical edge.
    panel.lossAxis = new THREE.Group();
    panel.scene.add(panel.walls, panel.alphaAxis, panel.betaAxis, panel.lossAxis);
  }

  function addLabel(panel, parent, text, x, y, z, style, isTitle) {
    var s = makeText(text, style);
    s.position.set(x, y, z);
    s.isTitle = !!isTitle;
    panel.labels.push(s);
    parent.add(s);
    return s;
  }

  // The trained weights: a pin from the floor (a cross marks the spot among the contours)
  // up to the loss there, and a marker that is drawn last without depth test, so the
  // surface can never hide it. The part of the pin behind the surface shows dashed.
  function buildTrained(panel, d, wx, wz) {
    var t = d.trained;
    if (!t || typeof t.alpha !== "number" || typeof t.beta !== "number") return;
    var x = wx(t.alpha), z = wz(t.beta), red = 0xe31a1c, c = 0.05;
    panel.trained = t;
    var foot = new THREE.LineSegments(lineGeometry([x - c, 0.002, z, x + c, 0.002, z, x, 0.002, z - c, x, 0.002, z + c]),
      new THREE.LineBasicMaterial({ color: red }));
    panel.pin = new THREE.LineSegments(lineGeometry([x, 0, z, x, 1, z]), new THREE.LineBasicMaterial({ color: red }));
    panel.hiddenPin = new THREE.LineSegments(panel.pin.geometry,
      new THREE.LineDashedMaterial({ color: red, dashSize: 0.03, gapSize: 0.025, depthTest: false, transparent: true, opacity: 0.7 }));
    panel.hiddenPin.renderOrder = 8;
    panel.marker = new THREE.Sprite(new THREE.SpriteMaterial({ map: markerTexture(), depthTest: false, depthWrite: false, transparent: true, sizeAttenuation: false }));
    panel.marker.renderOrder = 10;  // after every other transparent object, labels included
    panel.marker.position.set(x, 0, z);
    panel.marker.pxW = panel.marker.pxH = MARKER_PX;
    panel.scene.add(foot, panel.pin, panel.hiddenPin, panel.marker);
  }

  // Heights (in the current scale) of the panel's grid, null at holes.
  function heights(panel, log) {
    return panel.data.loss.map(function (row) { return row.map(function (v) { return height(v, log); }); });
  }
  // [lo, hi] of a panel's heights, the trained point included.
  function panelRange(panel, log) {
    var lo = Infinity, hi = -Infinity;
    heights(panel, log).forEach(function (row) { row.forEach(function (h) { if (h !== null) { lo = Math.min(lo, h); hi = Math.max(hi, h); } }); });
    var th = panel.trained ? height(panel.trained.loss, log) : null;
    if (th !== null) { lo = Math.min(lo, th); hi = Math.max(hi, th); }
    return [lo, hi];
  }

  // Moves the surface, colours, contours, loss ticks and trained pin to a scale whose heights
  // run from lo to hi (shared by all panels when the scale is shared).
  function setScale(panel, log, lo, hi, theme) {
    var d = panel.data, N = d.alphas.length, M = d.betas.length, span = hi - lo || 1;
    var h = heights(panel, log), pos = panel.posAttr.array, col = panel.colAttr.array;
    function y(v) { return FLOOR_GAP + BOX_HEIGHT * (v - lo) / span; }
    for (var j = 0; j < M; j++) for (var i = 0; i < N; i++) {
      var k = j * N + i, t = h[j][i] === null ? 0 : (h[j][i] - lo) / span;
      pos[3 * k + 1] = h[j][i] === null ? FLOOR_GAP : y(h[j][i]);  // holes are unindexed, invisible
      col.set(colourAt(panel.colormap, t), 3 * k);
    }
    panel.posAttr.needsUpdate = panel.colAttr.needsUpdate = true;
    var geo = panel.mesh.geometry;
    geo.computeVertexNormals();
    geo.computeBoundingBox();    // raycasting trusts the cached bounds,
    geo.computeBoundingSphere(); // so refresh them after moving vertices

    // Floor contours: evenly spaced levels strictly inside the range, coloured like the surface there.
    var points = [], colours = [];
    panel.contourCount = 0;
    for (var n = 0; n < CONTOUR_LEVELS; n++) {
      var tl = (n + 0.5) / CONTOUR_LEVELS;
      panel.contourCount += contourSegments(h, N, M, panel.xs, panel.zs, lo + tl * span, 0.003, colourAt(panel.colormap, tl), points, colours);
    }
    replaceGeometry(panel.contours, lineGeometry(points, colours));

    // Loss ticks on a vertical edge and the matching grid lines on both back walls.
    panel.lossAxis.children.slice().forEach(function (c) {
      panel.lossAxis.remove(c);
      if (c.dispose) c.dispose(); else if (c.geometry) c.geometry.dispose();
    });
    panel.labels = panel.labels.filter(function (s) { return s.parent !== null; });
    var ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi, 5), T = 0.05 / Math.SQRT2, marks = [], grid = [];
    ticks.forEach(function (t) {
      var yt = y(t.value);
      marks.push(1, yt, 1, 1 + T, yt, 1 + T);
      grid.push(-1, yt, -1, -1, yt, 1, -1, yt, -1, 1, yt, -1);
      addLabel(panel, panel.lossAxis, t.text, 1 + 0.07, yt, 1 + 0.07, { px: 12, colour: "muted", align: "right" });
    });
    panel.alphaTicks.forEach(function (t) { grid.push(t.world, 0, -1, t.world, TOP, -1); });
    panel.betaTicks.forEach(function (t) { grid.push(-1, 0, t.world, -1, TOP, t.world); });
    panel.lossAxis.add(new THREE.LineSegments(lineGeometry(marks), panel.axisMat));
    // Left-aligned at the top of the axis: it then runs over the box, never out of the viewport.
    addLabel(panel, panel.lossAxis, log ? "loss (log scale)" : "loss", 1 + 0.05, TOP + 0.12, 1 + 0.05, { px: 13, align: "left" }, true);
    replaceGeometry(panel.wallGrid, lineGeometry(grid));
    panel.tickLabelCount = panel.labels.filter(function (s) { return !s.isTitle; }).length;
    panel.lossAxis.children.forEach(function (s) { if (s.redraw) s.redraw(theme); });

    var th = panel.trained ? height(panel.trained.loss, log) : null;
    if (panel.marker) {
      panel.marker.visible = panel.pin.visible = panel.hiddenPin.visible = th !== null;
      if (th !== null) {
        panel.marker.position.y = y(th);
        panel.pin.geometry.attributes.position.setY(1, y(th));
        panel.pin.geometry.attributes.position.needsUpdate = true;
        panel.pin.geometry.computeBoundingSphere();
        panel.hiddenPin.computeLineDistances();
      }
    }
  }

  function setPanelTheme(panel, theme) {
    panel.floorMat.color.setHex(theme.floor);
    panel.axisMat.color.setHex(theme.axis);
    panel.gridMat.color.setHex(theme.grid);
    panel.wireMat.color.setHex(theme.wire);
    panel.wireMat.opacity = theme.wireOpacity;
    panel.labels.forEach(function (s) { s.redraw(theme); });
    if (panel.titleSprite) panel.titleSprite.redraw(theme);
  }

  // Mirrors the axis decorations towards the camera: back walls behind the surface, alpha and
  // beta ticks on the front floor edges, loss ticks on whichever side vertical edge is further left.
  function orient(panels, camera) {
    camera.updateMatrixWorld();
    camera.matrixWorldInverse.getInverse(camera.matrixWorld);
    var sx = camera.position.x >= 0 ? 1 : -1, sz = camera.position.z >= 0 ? 1 : -1;
    var a = new THREE.Vector3(-sx, TOP / 2, sz).project(camera), b = new THREE.Vector3(sx, TOP / 2, -sz).project(camera);
    var corner = a.x <= b.x ? [-sx, sz] : [sx, -sz];
    panels.forEach(function (p) {
      p.walls.scale.set(sx, 1, sz);
      p.alphaAxis.scale.set(1, 1, sz);
      p.betaAxis.scale.set(sx, 1, 1);
      p.lossAxis.scale.set(corner[0], 1, corner[1]);
    });
  }

  // Constant on-screen sizes: with sizeAttenuation off, a sprite of scale s spans s·P₁₁ in
  // clip space, i.e. s·P₁₁·h/2 pixels in a viewport h pixels tall.
  function sizeSprites(panel, camera, viewportHeight) {
    var k = 2 / (camera.projectionMatrix.elements[5] * viewportHeight);
    panel.labels.forEach(function (s) { s.scale.set(s.pxW * k, s.pxH * k, 1); });
    if (panel.marker) panel.marker.scale.set(MARKER_PX * k, MARKER_PX * k, 1);
  }

  /* ---------- the viewer ---------- */

  // Both JSON shapes as {title, panels: [surface], colormap, initialScale, shared}.
  function normalise(d) {
    if (!d || typeof d !== "object") throw new Error("bad surface data");
    if (!Array.isArray(d.panels)) return { title: d.title, panels: [d], colormap: d.colormap, initialScale: d.initialScale, shared: true, multi: false };
    if (!d.panels.length) throw new Error("no panels");
    return { title: d.title, panels: d.panels, colormap: d.colormap || d.panels[0].colormap,
      initialScale: d.initialScale || d.panels[0].initialScale, shared: d.sharedScale !== false, multi: d.panels.length > 1 };
  }

  // Inline styles only: the viewer ships as one file and must not depend on style.css.
  function el(tag, cls, parent, text, css) {
    var e = document.createElement(tag);
    e.className = cls;
    e.textContent = text || "";
    if (css) e.style.cssText = css;
    return parent.appendChild(e);
  }

  function build(host) {
    var spec = normalise(JSON.parse(host.querySelector("script.surface-data").textContent));
    var panels = spec.panels.map(function (p) { return buildPanel(p, p.colormap || spec.colormap, spec.multi); });
    // Own the context: three.js r111 console.error()s before throwing when it
    // cannot get one, and we must stay silent on machines without WebGL.
    var canvas = document.createElement("canvas");
    var attrs = { alpha: false, antialias: true, depth: true, stencil: true, premultipliedAlpha: true, preserveDrawingBuffer: true };
    var gl = canvas.getContext("webgl", attrs) || canvas.getContext("experimental-webgl", attrs);
    if (!gl) throw new Error("WebGL unavailable");
    var renderer = new THREE.WebGLRenderer({ canvas: canvas, context: gl, antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    renderer.autoClear = false;  // each panel clears its own viewport
    var theme = currentTheme();

    // "#labbook-viewer=FIGURE-ID" shows that viewer alone over the whole window (the toolbar's
    // "full window" link), for a closer look and for screenshots of the surface itself.
    var figureId = host.getAttribute("data-figure") || "";
    var soloMatch = /labbook-viewer=([A-Za-z0-9_-]+)/.exec(window.location.hash);
    var solo = !!soloMatch && soloMatch[1] === figureId;
    // In the full-window view a flex column gives the canvas whatever height the toolbar
    // (one or two lines) and the read-out leave free.
    if (solo) host.style.cssText = "position:fixed;top:0;left:0;right:0;bottom:0;z-index:1000;padding:0.8rem 1rem;overflow:hidden;display:flex;flex-direction:column";
    host.hidden = false;  // un-hide before measuring, or clientWidth is 0
    var bar = el("div", "surface-toolbar", host, "", "display:flex;flex-wrap:wrap;gap:0.6rem;align-items:center;font-size:0.9rem;margin:0.3rem 0");
    if (spec.title) el("strong", "surface-title", bar, spec.title);
    var button = el("button", "scale-toggle", bar);
    button.type = "button";
    var legend = el("span", "surface-legend", bar), lowText = el("span", "", legend);
    var swatch = el("span", "", legend, "", "display:inline-block;width:7rem;height:0.7rem;margin:0 0.4rem;vertical-align:middle;border:1px solid;" +
      "background:linear-gradient(to right," + (spec.colormap || []).map(function (s) {
        return "rgb(" + [s[1], s[2], s[3]].map(function (x) { return Math.round(255 * x); }) + ") " + 100 * s[0] + "%";
      }) + ")");
    var highText = el("span", "", legend);
    var jump = el("a", "surface-window", bar, solo ? "back to the report" : "full window");
    jump.href = solo ? "#" + figureId : "#labbook-viewer=" + figureId;
    // border-box, so that the drawing buffer (clientWidth × clientHeight) is exactly the area inside the border.
    canvas.style.cssText = "display:block;box-sizing:border-box;width:100%;border:1px solid;border-radius:4px;cursor:grab" +
      (solo ? ";flex:1 1 0;min-height:300px" : "");
    host.appendChild(canvas);
    var readout = el("div", "surface-readout", host, HINT, "font-size:0.85rem;min-height:1.4em;font-variant-numeric:tabular-nums");

    var camera = new THREE.PerspectiveCamera(40, 2, 0.01, 100);
    var controls = new THREE.OrbitControls(camera, canvas);
    controls.target.set(0, TOP * 0.42, 0);
    // The default view (azimuth ~40°, elevation ~27°) from just far enough that the box and
    // its labels fit the viewport, whatever its aspect: bisect on the distance until the
    // corners of the box, padded where labels are, all project inside; then move the target
    // up or down so the picture sits in the middle. Refitted on every resize until the
    // reader moves the camera.
    var userMoved = false;
    controls.addEventListener("start", function () { userMoved = true; });
    var VIEW = new THREE.Vector3(1.95, 1.45, 2.3).normalize(), corner = new THREE.Vector3();
    // What must stay in view: floor corners with their tick labels, the axis titles at the
    // middle of the floor edges, the top corners with the loss ticks and title.
    var FIT_POINTS = [];
    [-1, 1].forEach(function (u) {
      [-1, 1].forEach(function (v) { FIT_POINTS.push(1.18 * u, -0.08, 1.18 * v, 1.16 * u, TOP + 0.14, 1.16 * v); });
      FIT_POINTS.push(1.42 * u, -0.1, 0, 0, -0.1, 1.42 * u);
    });
    // Projected [min y, max y] of the padded box from `dist`, or null when it does not fit.
    function extent(dist) {
      camera.position.copy(VIEW).multiplyScalar(dist).add(controls.target);
      camera.lookAt(controls.target);
      camera.updateMatrixWorld();
      camera.matrixWorldInverse.getInverse(camera.matrixWorld);
      var lo = Infinity, hi = -Infinity;
      for (var n = 0; n < FIT_POINTS.length; n += 3) {
        corner.fromArray(FIT_POINTS, n).project(camera);
        if (Math.abs(corner.x) > 0.94 || Math.abs(corner.y) > 0.92) return null;
        lo = Math.min(lo, corner.y); hi = Math.max(hi, corner.y);
      }
      return [lo, hi];
    }
    function fitCamera() {
      controls.target.set(0, TOP * 0.42, 0);
      for (var pass = 0; pass < 3; pass++) {
        var near = 1, far = 30;
        for (var n = 0; n < 24; n++) { var mid = (near + far) / 2; if (extent(mid)) far = mid; else near = mid; }
        var e = extent(far);
        // Half the visible height at the target's distance is far·tan(fov/2) world units per NDC unit.
        controls.target.y += (e[0] + e[1]) / 2 * far * Math.tan(camera.fov * Math.PI / 360);
      }
      extent(far);
      controls.update();
    }
    controls.addEventListener("change", render);  // render on demand; nothing animates

    // "#labbook-scale=linear" (or =log) in the URL overrides the page's initial scale, so a
    // test can screenshot both states without clicking.
    var forced = /labbook-scale=(linear|log)/.exec(window.location.hash);
    var log = (forced ? forced[1] : (spec.initialScale || "log")) !== "linear";
    function applyScale() {
      var ranges = panels.map(function (p) { return panelRange(p, log); });
      var lo = Math.min.apply(null, ranges.map(function (r) { return r[0]; }));
      var hi = Math.max.apply(null, ranges.map(function (r) { return r[1]; }));
      panels.forEach(function (p, n) { setScale(p, log, spec.shared ? lo : ranges[n][0], spec.shared ? hi : ranges[n][1], theme); });
      var name = log ? "log₁₀ loss" : "linear loss";
      button.textContent = log ? "linear loss" : "log₁₀ loss";
      button.title = "Currently " + name + "; click to switch height and colour scale" + (spec.multi ? " of all panels" : "");
      // The legend always quotes raw loss values, whichever scale shapes the surface.
      var scope = spec.multi ? (spec.shared ? " (shared by all panels)" : " (each panel its own range)") : "";
      lowText.textContent = "Height & colour" + scope + ": " + name + (spec.shared ? " — loss " + fmt(log ? Math.pow(10, lo) : lo) : "");
      highText.textContent = spec.shared ? fmt(log ? Math.pow(10, hi) : hi) : "";
    }
    button.addEventListener("click", function () { log = !log; applyScale(); render(); });

    function setTheme(t) {
      theme = t;
      renderer.setClearColor(theme.background, 1);
      if (solo) host.style.background = hex(theme.background);
      canvas.style.borderColor = swatch.style.borderColor = theme.border;
      readout.style.color = theme.muted;
      panels.forEach(function (p) { setPanelTheme(p, theme); });
    }

    // Hover: the panel under the pointer, then the nearest measured grid point of the hit triangle.
    var ray = new THREE.Raycaster(), ndc = new THREE.Vector2(), p = new THREE.Vector3();
    canvas.addEventListener("mousemove", function (e) {
      var r = canvas.getBoundingClientRect(), px = e.clientX - r.left, py = r.height - (e.clientY - r.top);
      var panel = panels.filter(function (q) { return q.vp && px >= q.vp.x && px < q.vp.x + q.vp.w && py >= q.vp.y && py < q.vp.y + q.vp.h; })[0];
      if (!panel) { readout.textContent = HINT; return; }
      ndc.set((px - panel.vp.x) / panel.vp.w * 2 - 1, (py - panel.vp.y) / panel.vp.h * 2 - 1);
      ray.setFromCamera(ndc, camera);
      var hit = ray.intersectObject(panel.mesh)[0];
      if (!hit) { readout.textContent = HINT; return; }
      var best = [hit.face.a, hit.face.b, hit.face.c].reduce(function (b, k) {
        var dk = p.fromBufferAttribute(panel.posAttr, k).distanceToSquared(hit.point);
        return dk < b.d ? { k: k, d: dk } : b;
      }, { k: hit.face.a, d: Infinity }).k;
      var d = panel.data, N = d.alphas.length, j = Math.floor(best / N), i = best % N;
      var acc = d.accuracy && d.accuracy[j] ? d.accuracy[j][i] : undefined;
      readout.textContent = (spec.multi ? (panel.title || "panel " + (panels.indexOf(panel) + 1)) + " — " : "") +
        "α = " + fmt(d.alphas[i]) + ", β = " + fmt(d.betas[j]) + ", loss = " + fmt(d.loss[j][i]) +
        (d.accuracy ? ", accuracy = " + fmt(acc) : "");
    });
    canvas.addEventListener("mouseleave", function () { readout.textContent = HINT; });

    // Panels side by side in one canvas (one context, however many panels), or stacked
    // when the page is too narrow; every panel has the same viewport size, so one camera
    // serves them all and rotating any panel rotates all of them.
    var cols = 1, rows = 1;
    function resize() {
      var w = Math.max(1, canvas.clientWidth), n = panels.length;
      cols = Math.max(1, Math.min(n, Math.floor(w / MIN_PANEL_WIDTH)));
      rows = Math.ceil(n / cols);
      if (!solo) canvas.style.height = rows * CANVAS_HEIGHT + 2 + "px";  // + the border
      var h = Math.max(1, canvas.clientHeight);
      renderer.setSize(w, h, false);  // the CSS size stays as laid out
      // Whole-pixel viewports (WebGL truncates fractions, which would leave a column uncleared).
      function edge(k, count, size) { return Math.round(k * size / count); }
      panels.forEach(function (q, k) {
        var c = k % cols, r = Math.floor(k / cols), x = edge(c, cols, w), y = h - edge(r + 1, rows, h);
        q.vp = { x: x, y: y, w: edge(c + 1, cols, w) - x, h: h - edge(r, rows, h) - y };
        var vw = q.vp.w, vh = q.vp.h;
        if (q.hud) {
          q.hudCamera.right = vw; q.hudCamera.top = vh;
          q.hudCamera.updateProjectionMatrix();
          q.titleSprite.position.set(vw / 2, vh - 16, 0);
          q.titleSprite.scale.set(q.titleSprite.pxW, q.titleSprite.pxH, 1);
        }
      });
      camera.aspect = panels[0].vp.w / panels[0].vp.h;
      camera.updateProjectionMatrix();
      if (!userMoved) fitCamera();
      render();
    }
    function render() {
      orient(panels, camera);
      renderer.setScissorTest(false);
      renderer.clear();  // also the empty cells of an incomplete last row
      renderer.setScissorTest(true);
      panels.forEach(function (q) {
        renderer.setViewport(q.vp.x, q.vp.y, q.vp.w, q.vp.h);
        renderer.setScissor(q.vp.x, q.vp.y, q.vp.w, q.vp.h);
        renderer.clear();
        sizeSprites(q, camera, q.vp.h);
        renderer.render(q.scene, camera);
        if (q.hud) renderer.render(q.hud, q.hudCamera);
      });
      renderer.setScissorTest(false);
    }

    // Self-test: is each trained marker inside its viewport and actually red on the canvas?
    function markerVisible() {
      var withMarker = panels.filter(function (q) { return q.marker && q.marker.visible; });
      return withMarker.length > 0 && withMarker.every(function (q) {
        var v = q.marker.position.clone().project(camera), ratio = renderer.getPixelRatio();
        if (Math.abs(v.x) > 1 || Math.abs(v.y) > 1 || Math.abs(v.z) > 1) return false;
        var x = Math.round((q.vp.x + (v.x + 1) / 2 * q.vp.w) * ratio), y = Math.round((q.vp.y + (v.y + 1) / 2 * q.vp.h) * ratio);
        var px = new Uint8Array(4);
        gl.readPixels(x, y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        return px[0] > 200 && px[1] < 80 && px[2] < 80;
      });
    }
    function probe() {
      var min = function (f) { return Math.min.apply(null, panels.map(f)); };
      return { background: hex(theme.background), dark: theme.dark, panels: panels.length,
        tickLabels: min(function (q) { return q.tickLabelCount; }),
        floorContours: min(function (q) { return q.contourCount; }),
        trainedMarkerVisible: markerVisible() };
    }

    setTheme(theme);
    applyScale();
    resize();
    return { gl: gl, canvas: canvas, button: button, resize: resize, probe: probe,
      setTheme: function (t) { setTheme(t); render(); }, background: function () { return theme.background; } };
  }

  // Cheap canvas fingerprint: FNV-1a over every 7th pixel (a prime stride so samples do not
  // line up in columns) plus the share that is not the current background colour.
  function fingerprint(gl, background) {
    var w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, px = new Uint8Array(w * h * 4);
    var br = background >> 16 & 255, bg = background >> 8 & 255, bb = background & 255;
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    var hash = 2166136261, n = 0, differ = 0;
    for (var q = 0; q < px.length; q += 28) {
      n++;
      if (px[q] !== br || px[q + 1] !== bg || px[q + 2] !== bb) differ++;
      hash = Math.imul(hash ^ (px[q] | px[q + 1] << 8 | px[q + 2] << 16), 16777619) >>> 0;
    }
    return { hash: ("0000000" + hash.toString(16)).slice(-8), nonBlank: n ? differ / n : 0 };
  }

  function init() {
    var hosts = document.querySelectorAll(".surface-viewer"), results = [];
    var ready = typeof THREE !== "undefined" && THREE.WebGLRenderer && THREE.OrbitControls;
    for (var n = 0; n < hosts.length; n++) {
      var host = hosts[n], figure = host.getAttribute("data-figure") || "";
      if (host.getAttribute("data-viewer") === "ready") continue;  // the script was included twice
      var v = null;
      try {
        if (!ready) throw new Error("three.js not loaded");
        v = build(host);
        host.setAttribute("data-viewer", "ready");
        viewers.push(v);
      } catch (err) {
        // Deliberately silent: the static figure is the fallback. Clear any half-built UI.
        host.hidden = true;
        host.style.cssText = "";
        Array.prototype.slice.call(host.children).forEach(function (c) { if (!c.matches("script.surface-data")) host.removeChild(c); });
        results.push({ figure: figure, error: String(err && err.message || err) });
        continue;
      }
      if (SELFTEST) {
        var result = { figure: figure }, probe = v.probe();  // in the initial scale
        var before = fingerprint(v.gl, v.background());
        v.button.click();  // the click handler re-renders synchronously
        var after = fingerprint(v.gl, v.background());
        result.before = before.hash;
        result.after = after.hash;
        result.nonBlankFraction = +Math.min(before.nonBlank, after.nonBlank).toFixed(4);
        for (var key in probe) result[key] = probe[key];
        results.push(result);
      }
    }
    if (SELFTEST) {
      document.body.setAttribute("data-selftest", JSON.stringify({ viewers: hosts.length, results: results }));
      // Where each canvas ends up once images have loaded (they shift the layout), in page
      // coordinates, so a test can find it in a full-page screenshot.
      window.addEventListener("load", function () {
        var rects = viewers.map(function (v) {
          var r = v.canvas.getBoundingClientRect();
          return { x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY), width: Math.round(r.width), height: Math.round(r.height) };
        });
        document.body.setAttribute("data-selftest-layout", JSON.stringify({ canvases: rects, pageHeight: document.documentElement.scrollHeight }));
      });
    }
  }

  var resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued) return;
    resizeQueued = true;  // coalesce a burst of resize events into one frame
    window.requestAnimationFrame(function () { resizeQueued = false; viewers.forEach(function (v) { v.resize(); }); });
  });
  // Follow the page when the reader's system switches between light and dark.
  function onSchemeChange() { var t = currentTheme(); viewers.forEach(function (v) { v.setTheme(t); }); }
  if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", onSchemeChange);
  else if (darkQuery && darkQuery.addListener) darkQuery.addListener(onSchemeChange);  // Safari < 14
  // Entering or leaving the full-window view rebuilds the page in the other layout.
  window.addEventListener("hashchange", function (e) {
    if (/labbook-viewer=/.test(e.oldURL + " " + e.newURL)) window.location.reload();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
