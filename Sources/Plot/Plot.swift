// Plot module: see README.md for the module map.
