/* Labbook loss-landscape viewer: turns each .surface-viewer div into an
 * interactive three.js (r111, global THREE + THREE.OrbitControls) surface.
 * The static figure it accompanies always stays, so any failure here simply
 * leaves the div hidden: this script must never throw or write to the console,
 * because the report's browser check fails on any console message.
 * With #labbook-selftest in the URL it writes a render check into the body's
 * data-selftest attribute (see docs/browser-check.md). This comment avoids
 * spelling that attribute with "=" so greps of inlined pages stay unambiguous. */
(function () {
  "use strict";
  var SELFTEST = /labbook-selftest/.test(window.location.hash);
  var CANVAS_HEIGHT = 420;       // CSS px; width follows the container
  var BOX_HEIGHT = 0.9;          // world units; alpha/beta span [-1, 1]
  var BACKGROUND = 0xffffff;     // also the "blank" colour for nonBlankFraction
  var HINT = "Drag to rotate, scroll to zoom, right-drag to pan; hover for values.";
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

  function fmt(v) {
    if (typeof v !== "number" || !isFinite(v)) return "NaN";
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(4));
  }

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

  // Sprite text labels; 512x64 is a power of two so WebGL1 three.js never warns about resizing.
  function makeLabel(text, x, y, z) {
    var c = document.createElement("canvas");
    c.width = 512; c.height = 64;
    var tex = new THREE.CanvasTexture(c);
    tex.minFilter = THREE.LinearFilter;
    var sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: tex, depthTest: false, transparent: true }));
    sprite.scale.set(0.9, 0.1125, 1);
    sprite.position.set(x, y, z);
    sprite.setText = function (s) {
      var g = c.getContext("2d");
      g.clearRect(0, 0, 512, 64);
      g.font = "38px 'DejaVu Sans', sans-serif";
      g.fillStyle = "#1f2328"; g.textAlign = "center"; g.textBaseline = "middle";
      g.fillText(s, 256, 32);
      tex.needsUpdate = true;
    };
    sprite.setText(text);
    return sprite;
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
    var d = JSON.parse(host.querySelector("script.surface-data").textContent);
    var N = d.alphas.length, M = d.betas.length;
    if (N < 2 || M < 2 || d.loss.length !== M) throw new Error("bad surface shape");
    // Own the context: three.js r111 console.error()s before throwing when it
    // cannot get one, and we must stay silent on machines without WebGL.
    var canvas = document.createElement("canvas");
    var attrs = { alpha: false, antialias: true, depth: true, stencil: true, premultipliedAlpha: true, preserveDrawingBuffer: true };
    var gl = canvas.getContext("webgl", attrs) || canvas.getContext("experimental-webgl", attrs);
    if (!gl) throw new Error("WebGL unavailable");
    var renderer = new THREE.WebGLRenderer({ canvas: canvas, context: gl, antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    renderer.setClearColor(BACKGROUND, 1);

    // "#labbook-viewer=FIGURE-ID" shows that viewer alone over the whole window (the toolbar's
    // "full window" link), for a closer look and for screenshots of the surface itself.
    var figureId = host.getAttribute("data-figure") || "";
    var soloMatch = /labbook-viewer=([A-Za-z0-9_-]+)/.exec(window.location.hash);
    var solo = !!soloMatch && soloMatch[1] === figureId;
    var canvasHeight = solo ? Math.max(300, window.innerHeight - 110) : CANVAS_HEIGHT;
    if (solo) host.style.cssText = "position:fixed;top:0;left:0;right:0;bottom:0;z-index:1000;background:#fff;padding:0.8rem 1rem;overflow:auto";
    host.hidden = false;  // un-hide before measuring, or clientWidth is 0
    var bar = el("div", "surface-toolbar", host, "", "display:flex;flex-wrap:wrap;gap:0.6rem;align-items:center;font-size:0.9rem;margin:0.3rem 0");
    if (d.title) el("strong", "surface-title", bar, d.title);
    var button = el("button", "scale-toggle", bar);
    button.type = "button";
    var legend = el("span", "surface-legend", bar), lowText = el("span", "", legend);
    el("span", "", legend, "", "display:inline-block;width:7rem;height:0.7rem;margin:0 0.4rem;vertical-align:middle;border:1px solid #d1d9e0;" +
      "background:linear-gradient(to right," + (d.colormap || []).map(function (s) {
        return "rgb(" + [s[1], s[2], s[3]].map(function (x) { return Math.round(255 * x); }) + ") " + 100 * s[0] + "%";
      }) + ")");
    var highText = el("span", "", legend);
    var jump = el("a", "surface-window", bar, solo ? "back to the report" : "full window");
    jump.href = solo ? "#" + figureId : "#labbook-viewer=" + figureId;
    canvas.style.cssText = "display:block;width:100%;height:" + canvasHeight + "px;border:1px solid #d1d9e0;border-radius:4px;cursor:grab";
    host.appendChild(canvas);
    var readout = el("div", "surface-readout", host, HINT, "font-size:0.85rem;color:#59636e;min-height:1.4em;font-variant-numeric:tabular-nums");

    var scene = new THREE.Scene();
    var camera = new THREE.PerspectiveCamera(40, 2, 0.01, 100);
    camera.position.set(1.95, 1.6, 2.3);
    // Mostly ambient light: enough shading to read the shape without distorting the colormap much.
    var sun = new THREE.DirectionalLight(0xffffff, 0.4);
    sun.position.set(1, 3, 2);
    scene.add(new THREE.AmbientLight(0xffffff, 0.7), sun);

    // World frame: x = alpha, y = height (three.js is y-up, which OrbitControls assumes), z = -beta.
    var a0 = d.alphas[0], a1 = d.alphas[N - 1], b0 = d.betas[0], b1 = d.betas[M - 1];
    function wx(a) { return -1 + 2 * (a - a0) / ((a1 - a0) || 1); }
    function wz(b) { return 1 - 2 * (b - b0) / ((b1 - b0) || 1); }
    var pos = new Float32Array(N * M * 3), col = new Float32Array(N * M * 3), tris = [], lines = [];
    function ok(j, i) { return valid(d.loss[j] && d.loss[j][i]); }
    var step = Math.max(1, Math.round((Math.max(N, M) - 1) / 20));  // ~20 grid lines a side
    for (var j = 0; j < M; j++) for (var i = 0; i < N; i++) {
      var k = j * N + i;
      pos[3 * k] = wx(d.alphas[i]);
      pos[3 * k + 2] = wz(d.betas[j]);
      if (i + 1 < N && j + 1 < M) {
        if (ok(j, i) && ok(j, i + 1) && ok(j + 1, i + 1)) tris.push(k, k + 1, k + N + 1);
        if (ok(j, i) && ok(j + 1, i + 1) && ok(j + 1, i)) tris.push(k, k + N + 1, k + N);
      }
      if (j % step === 0 && i + 1 < N && ok(j, i) && ok(j, i + 1)) lines.push(k, k + 1);
      if (i % step === 0 && j + 1 < M && ok(j, i) && ok(j + 1, i)) lines.push(k, k + N);
    }
    var posAttr = new THREE.BufferAttribute(pos, 3), colAttr = new THREE.BufferAttribute(col, 3);
    var geo = new THREE.BufferGeometry();
    geo.setAttribute("position", posAttr);  // setAttribute, not r110-deprecated addAttribute
    geo.setAttribute("color", colAttr);
    if (!tris.length) throw new Error("no positive finite loss values");
    geo.setIndex(tris);
    var mesh = new THREE.Mesh(geo, new THREE.MeshLambertMaterial({
      vertexColors: THREE.VertexColors, side: THREE.DoubleSide,
      // Push the surface back a little so the grid lines drawn on it do not z-fight.
      polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1 }));
    scene.add(mesh);
    var gridGeo = new THREE.BufferGeometry();
    gridGeo.setAttribute("position", posAttr);  // shared, so rescaling moves the grid too
    gridGeo.setIndex(lines);
    var box = new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.BoxBufferGeometry(2, BOX_HEIGHT, 2)),
      new THREE.LineBasicMaterial({ color: 0x999999 }));
    box.position.y = BOX_HEIGHT / 2;
    var zLabel = makeLabel("", -1.15, BOX_HEIGHT + 0.12, 1.15);
    scene.add(new THREE.LineSegments(gridGeo, new THREE.LineBasicMaterial({ color: 0x000000, transparent: true, opacity: 0.18 })),
      box, zLabel, makeLabel(d.xLabel || "α", 0, -0.08, 1.25), makeLabel(d.yLabel || "β", 1.3, -0.08, 0));
    var trained = d.trained && typeof d.trained.alpha === "number" ? d.trained : null;
    var marker = new THREE.Mesh(new THREE.SphereBufferGeometry(0.035, 16, 12), new THREE.MeshBasicMaterial({ color: 0xd62728 }));
    if (trained) { marker.position.set(wx(trained.alpha), 0, wz(trained.beta)); scene.add(marker); }

    var controls = new THREE.OrbitControls(camera, canvas);
    controls.target.set(0, BOX_HEIGHT * 0.2, 0);
    controls.update();
    controls.addEventListener("change", render);  // render on demand; nothing animates

    // "#labbook-scale=linear" (or =log) in the URL overrides the page's initial scale, so a
    // test can screenshot both states without clicking.
    var forced = /labbook-scale=(linear|log)/.exec(window.location.hash);
    var log = (forced ? forced[1] : (d.initialScale || "log")) !== "linear";
    function applyScale() {
      var lo = Infinity, hi = -Infinity, h, t;
      for (var j = 0; j < M; j++) for (var i = 0; i < N; i++) {
        h = height(d.loss[j][i], log);
        if (h !== null) { lo = Math.min(lo, h); hi = Math.max(hi, h); }
      }
      var th = trained ? height(trained.loss, log) : null;
      if (th !== null) { lo = Math.min(lo, th); hi = Math.max(hi, th); }
      var span = hi - lo || 1;
      for (j = 0; j < M; j++) for (i = 0; i < N; i++) {
        h = height(d.loss[j][i], log);
        t = h === null ? 0 : (h - lo) / span;  // holes sit on the floor, unindexed, invisible
        pos[3 * (j * N + i) + 1] = BOX_HEIGHT * t;
        col.set(colourAt(d.colormap, t), 3 * (j * N + i));
      }
      posAttr.needsUpdate = colAttr.needsUpdate = true;
      geo.computeVertexNormals();
      geo.computeBoundingBox();    // raycasting trusts the cached bounds,
      geo.computeBoundingSphere(); // so refresh them after moving vertices
      if (th !== null) marker.position.y = BOX_HEIGHT * (th - lo) / span + 0.02;
      marker.visible = th !== null;
      var name = log ? "log₁₀ loss" : "linear loss";
      zLabel.setText(log ? "log₁₀ loss" : "loss");
      button.textContent = log ? "linear loss" : "log₁₀ loss";
      button.title = "Currently " + name + "; click to switch height and colour scale";
      // The legend always quotes raw loss values, whichever scale shapes the surface.
      lowText.textContent = "Height & colour: " + name + " — loss " + fmt(log ? Math.pow(10, lo) : lo);
      highText.textContent = fmt(log ? Math.pow(10, hi) : hi);
    }
    button.addEventListener("click", function () { log = !log; applyScale(); render(); });

    var ray = new THREE.Raycaster(), ndc = new THREE.Vector2(), p = new THREE.Vector3();
    canvas.addEventListener("mousemove", function (e) {
      var r = canvas.getBoundingClientRect();
      ndc.set((e.clientX - r.left) / r.width * 2 - 1, -(e.clientY - r.top) / r.height * 2 + 1);
      ray.setFromCamera(ndc, camera);
      var hit = ray.intersectObject(mesh)[0];
      if (!hit) { readout.textContent = HINT; return; }
      // Report the nearest grid vertex of the hit triangle: those are the measured points.
      var best = [hit.face.a, hit.face.b, hit.face.c].reduce(function (b, k) {
        var dk = p.fromBufferAttribute(posAttr, k).distanceToSquared(hit.point);
        return dk < b.d ? { k: k, d: dk } : b;
      }, { k: hit.face.a, d: Infinity }).k;
      var j = Math.floor(best / N), i = best % N, acc = d.accuracy && d.accuracy[j] ? d.accuracy[j][i] : undefined;
      readout.textContent = "α = " + fmt(d.alphas[i]) + ", β = " + fmt(d.betas[j]) + ", loss = " + fmt(d.loss[j][i]) +
        (d.accuracy ? ", accuracy = " + fmt(acc) : "");
    });
    canvas.addEventListener("mouseleave", function () { readout.textContent = HINT; });

    function resize() {
      var w = Math.max(1, canvas.clientWidth);
      renderer.setSize(w, canvasHeight, false);  // the CSS size stays 100% wide
      camera.aspect = w / canvasHeight;
      camera.updateProjectionMatrix();
      render();
    }
    function render() { renderer.render(scene, camera); }
    applyScale();
    resize();
    return { gl: gl, canvas: canvas, button: button, resize: resize };
  }

  // Cheap canvas fingerprint: FNV-1a over every 7th pixel (a prime stride so
  // samples do not line up in columns) plus the share that is not background.
  function fingerprint(gl) {
    var w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    var hash = 2166136261, n = 0, differ = 0;
    for (var q = 0; q < px.length; q += 28) {
      n++;
      if (px[q] !== 255 || px[q + 1] !== 255 || px[q + 2] !== 255) differ++;
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
        Array.prototype.slice.call(host.children).forEach(function (c) { if (!c.matches("script.surface-data")) host.removeChild(c); });
        results.push({ figure: figure, error: String(err && err.message || err) });
        continue;
      }
      if (SELFTEST) {
        var before = fingerprint(v.gl);
        v.button.click();  // the click handler re-renders synchronously
        var after = fingerprint(v.gl);
        results.push({ figure: figure, before: before.hash, after: after.hash,
          nonBlankFraction: +Math.min(before.nonBlank, after.nonBlank).toFixed(4) });
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
  // Entering or leaving the full-window view rebuilds the page in the other layout.
  window.addEventListener("hashchange", function (e) {
    if (/labbook-viewer=/.test(e.oldURL + " " + e.newURL)) window.location.reload();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
