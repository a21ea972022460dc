// Builds the playground bundle into static/ beside this file:
//   npm --prefix playground ci && npm --prefix playground run build
// The output is committed and shipped in the Python package, so the server
// never needs a CDN. It must be byte-for-byte reproducible from
// package-lock.json: .ci/run rebuilds it in a temporary folder and diffs.
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "static");

await rm(outdir, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: here, // paths in the output are relative to this folder, wherever it is
  entryPoints: { playground: "src/playground.jsx", dashboard: "src/dashboard.js" },
  outdir: "static",
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  sourcemap: false,
  charset: "utf8",
  jsx: "automatic",
  legalComments: "external", // the licences of what is bundled: static/playground.js.LEGAL.txt
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
